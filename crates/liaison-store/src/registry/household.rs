//! 双联系: the households a deputy links and the meetings with them. Household members are citizens:
//! their phone numbers are never shown in lists, only masked.

use chrono::{Datelike, NaiveDate, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::registry::household::HouseholdKind;
use liaison_domain::{Permission, RegionCode, Scope};
use serde::Serialize;

use crate::{Actor, Result, Store, StoreError};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Household {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    pub name: String,
    pub phone: String,
    pub region_code: String,
    pub region_name: String,
    pub address: String,
    pub meetings_this_year: i64,
    pub last_met: Option<NaiveDate>,
}

impl Household {
    pub fn kind(&self) -> Option<HouseholdKind> {
        HouseholdKind::parse(&self.kind)
    }

    pub fn kind_label(&self) -> &'static str {
        self.kind().map(|k| k.label()).unwrap_or("")
    }
}

#[derive(Debug, Clone)]
pub struct HouseholdInput {
    pub kind: HouseholdKind,
    pub name: String,
    pub phone: String,
    pub region: RegionCode,
    pub address: String,
}

impl Store {
    /// The person must hold a mandate inside the caller's subtree.
    pub(crate) async fn person_in_scope(&self, scope: &Scope, person_id: i64) -> Result<()> {
        let (lo, hi) = scope.range();
        let n: (i64,) = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT COUNT(*) FROM mandate WHERE person_id = $1 AND constituency_region BETWEEN $2 AND $3")
                .bind(person_id).bind(&lo).bind(&hi).fetch_one(p).await?
        });
        if n.0 == 0 {
            Err(StoreError::OutOfScope)
        } else {
            Ok(())
        }
    }

    /// A deputy's linked households, with this year's meeting count.
    pub async fn households(&self, scope: &Scope, person_id: i64) -> Result<Vec<Household>> {
        if !scope.can(Permission::ViewRegistry) {
            return Err(StoreError::Forbidden);
        }
        self.person_in_scope(scope, person_id).await?;
        let year_start =
            NaiveDate::from_ymd_opt(Utc::now().year(), 1, 1).ok_or(StoreError::Corrupt("date".into()))?;
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Household>(
                "SELECT h.id, h.person_id, h.kind, h.name, h.phone, h.region_code, r.name AS region_name, h.address, \
                 (SELECT COUNT(*) FROM household_meeting m WHERE m.household_id = h.id AND m.met_on >= $2) AS meetings_this_year, \
                 (SELECT MAX(m.met_on) FROM household_meeting m WHERE m.household_id = h.id) AS last_met \
                 FROM linked_household h JOIN region r ON r.code = h.region_code WHERE h.person_id = $1 ORDER BY h.id",
            )
            .bind(person_id).bind(year_start).fetch_all(p).await?
        });
        Ok(rows)
    }

    pub async fn add_household(
        &self,
        scope: &Scope,
        actor: &Actor,
        person_id: i64,
        h: &HouseholdInput,
    ) -> Result<i64> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        self.person_in_scope(scope, person_id).await?;
        if !scope.covers(&h.region) {
            return Err(StoreError::OutOfScope);
        }
        let mut tx = self.begin().await?;
        let (id,): (i64,) = with_tx!(&mut tx, c => {
            sqlx::query_as(
                "INSERT INTO linked_household (person_id, kind, name, phone, region_code, address, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(person_id).bind(h.kind.as_str()).bind(&h.name).bind(&h.phone).bind(h.region.as_str()).bind(&h.address)
            .bind(Utc::now()).fetch_one(&mut *c).await?
        });
        let detail = serde_json::json!({ "person": person_id, "kind": h.kind.as_str() }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::HouseholdCreate,
            &format!("household:{id}"),
            Some(&h.region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a meeting with a linked household (date not in the future).
    pub async fn log_household_meeting(
        &self,
        scope: &Scope,
        actor: &Actor,
        household_id: i64,
        on: NaiveDate,
        note: &str,
    ) -> Result<()> {
        let row: Option<(i64, String)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT person_id, region_code FROM linked_household WHERE id = $1")
                .bind(household_id).fetch_optional(p).await?
        });
        let (person_id, region) = row.ok_or(StoreError::NotFound)?;
        self.person_in_scope(scope, person_id).await?;
        if !liaison_domain::registry::household::may_record_meeting(scope, person_id) {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("INSERT INTO household_meeting (household_id, met_on, note, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(household_id).bind(on).bind(note).bind(actor.account_id).bind(Utc::now()).execute(&mut *c).await?;
        });
        let region = RegionCode::parse(&region).ok();
        self.audit(
            &mut tx,
            actor,
            AuditAction::HouseholdMeeting,
            &format!("household:{household_id}"),
            region.as_ref(),
            "{}",
        )
        .await?;
        tx.commit().await
    }
}
