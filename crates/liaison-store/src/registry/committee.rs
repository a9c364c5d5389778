//! The other link of 双联系: each standing-committee member (常委会组成人员) directly links some deputies
//! and meets them; the link and its meetings are recorded here.

use chrono::{Datelike, NaiveDate, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::{Permission, Scope};
use serde::Serialize;

use crate::{Actor, Result, Store, StoreError};

/// One link as seen from one side: the other person's name and this year's meetings.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CommitteeLink {
    pub id: i64,
    pub member_person_id: i64,
    pub member_name: String,
    pub deputy_person_id: i64,
    pub deputy_name: String,
    pub meetings_this_year: i64,
    pub last_met: Option<NaiveDate>,
}

impl Store {
    /// Links `member` (a standing-committee member) to `deputy`; both must hold a mandate in scope.
    pub async fn link_committee_member(
        &self,
        scope: &Scope,
        actor: &Actor,
        member: i64,
        deputy: i64,
    ) -> Result<i64> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        if member == deputy {
            return Err(StoreError::Conflict("self_link"));
        }
        self.person_in_scope(scope, member).await?;
        self.person_in_scope(scope, deputy).await?;
        let mut tx = self.begin().await?;
        let (id,): (i64,) = with_tx!(&mut tx, c => {
            sqlx::query_as(
                "INSERT INTO committee_link (member_person_id, deputy_person_id, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(member).bind(deputy).bind(Utc::now()).fetch_one(&mut *c).await.map_err(StoreError::unique("link"))?
        });
        let detail = serde_json::json!({ "member": member, "deputy": deputy }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::CommitteeLink,
            &format!("committee_link:{id}"),
            Some(&scope.region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Links where the person is the member or the linked deputy.
    pub async fn committee_links(&self, scope: &Scope, person: i64) -> Result<Vec<CommitteeLink>> {
        self.person_readable(scope, person).await?;
        let year_start =
            NaiveDate::from_ymd_opt(Utc::now().year(), 1, 1).ok_or(StoreError::Corrupt("date".into()))?;
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, CommitteeLink>(
                "SELECT l.id, l.member_person_id, mp.name AS member_name, l.deputy_person_id, dp.name AS deputy_name, \
                 (SELECT COUNT(*) FROM committee_meeting m WHERE m.link_id = l.id AND m.met_on >= $2) AS meetings_this_year, \
                 (SELECT MAX(m.met_on) FROM committee_meeting m WHERE m.link_id = l.id) AS last_met \
                 FROM committee_link l JOIN person mp ON mp.id = l.member_person_id JOIN person dp ON dp.id = l.deputy_person_id \
                 WHERE l.member_person_id = $1 OR l.deputy_person_id = $1 ORDER BY l.id",
            )
            .bind(person).bind(year_start).fetch_all(p).await?
        });
        Ok(rows)
    }

    /// Records a meeting on a link (both people in scope).
    pub async fn log_committee_meeting(
        &self,
        scope: &Scope,
        actor: &Actor,
        link: i64,
        on: NaiveDate,
        note: &str,
    ) -> Result<()> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        let row: Option<(i64, i64)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT member_person_id, deputy_person_id FROM committee_link WHERE id = $1")
                .bind(link).fetch_optional(p).await?
        });
        let (member, deputy) = row.ok_or(StoreError::NotFound)?;
        self.person_in_scope(scope, member).await?;
        self.person_in_scope(scope, deputy).await?;
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("INSERT INTO committee_meeting (link_id, met_on, note, created_at) VALUES ($1, $2, $3, $4)")
                .bind(link).bind(on).bind(note).bind(Utc::now()).execute(&mut *c).await?;
        });
        self.audit(
            &mut tx,
            actor,
            AuditAction::CommitteeMeeting,
            &format!("committee_link:{link}"),
            Some(&scope.region),
            "{}",
        )
        .await?;
        tx.commit().await
    }
}
