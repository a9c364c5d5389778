//! Meetings of a congress (届次会次: 某县第十八届人民代表大会第三次会议) and their rules for suggestions, kept by the office of the
//! region; the reply classes (答复类别) kept as data.

use chrono::{DateTime, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::calendar::Span;
use liaison_domain::suggestion::access;
use liaison_domain::suggestion::{MeetingRules, ReplyClass};
use liaison_domain::{RegionCode, Scope};
use serde::Serialize;

use crate::{Actor, Result, Store, StoreError};

/// A meeting as stored, with its region's name.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Meeting {
    pub id: i64,
    pub region_code: String,
    pub region_name: Option<String>,
    pub name: String,
    pub year: i32,
    pub min_cosigners: i32,
    pub answer_within: String,
    pub return_within: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl Meeting {
    fn span(s: &str) -> Result<Span> {
        Span::parse(s).map_err(|e| StoreError::Corrupt(format!("meeting span {s}: {e}")))
    }

    pub fn answer_span(&self) -> Result<Span> {
        Meeting::span(&self.answer_within)
    }

    pub fn return_span(&self) -> Result<Span> {
        Meeting::span(&self.return_within)
    }

    /// Months to answer, for the form.
    pub fn answer_months(&self) -> u32 {
        match Span::parse(&self.answer_within) {
            Ok(Span::Months(m)) => m,
            _ => 3,
        }
    }

    /// Working days to return, for the form.
    pub fn return_days(&self) -> u32 {
        match Span::parse(&self.return_within) {
            Ok(Span::WorkingDays(d)) => d,
            _ => 5,
        }
    }
}

const SELECT: &str = "SELECT g.id, g.region_code, r.name AS region_name, g.name, g.year, g.min_cosigners, \
     g.answer_within, g.return_within, g.active, g.created_at FROM congress_meeting g LEFT JOIN region r ON r.code = g.region_code";

impl Store {
    /// The meetings the caller may raise suggestions to or handle: a deputy's, those of the regions
    /// whose meeting elected them (in office); the office's, those inside its region. Newest first.
    pub async fn meetings(&self, scope: &Scope) -> Result<Vec<Meeting>> {
        let mut out: Vec<Meeting> = Vec::new();
        if access::is_staff(scope) {
            let (lo, hi) = scope.range();
            let sql =
                format!("{SELECT} WHERE g.region_code BETWEEN $1 AND $2 ORDER BY g.year DESC, g.id DESC");
            out = with_pool!(&self.read, p => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(lo).bind(hi).fetch_all(p).await?
            });
        }
        if access::is_deputy(scope)
            && let Some(person) = scope.person_id
        {
            let sql = format!(
                "{SELECT} WHERE g.region_code IN (SELECT congress_region FROM mandate WHERE person_id = $1 AND status = 'in_office') \
                 ORDER BY g.year DESC, g.id DESC"
            );
            let mine: Vec<Meeting> = with_pool!(&self.read, p => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person).fetch_all(p).await?
            });
            for c in mine {
                if !out.iter().any(|o| o.id == c.id) {
                    out.push(c);
                }
            }
        }
        Ok(out)
    }

    /// One meeting by id, if the caller may use it.
    pub async fn meeting(&self, scope: &Scope, id: i64) -> Result<Meeting> {
        self.meetings(scope)
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// A meeting by id, unscoped (the workflow step reads its rules).
    pub(crate) async fn meeting_row(&self, id: i64) -> Result<Meeting> {
        let sql = format!("{SELECT} WHERE g.id = $1");
        with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
        })
        .ok_or(StoreError::NotFound)
    }

    /// Adds a meeting of the office's own region, or changes one inside its region (new rules apply to
    /// items raised and assigned from now on). Audited.
    pub async fn save_meeting(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: Option<i64>,
        rules: &MeetingRules,
        active: bool,
    ) -> Result<i64> {
        if !access::is_staff(scope) {
            return Err(StoreError::Forbidden);
        }
        let now = Utc::now();
        let mut tx = self.begin().await?;
        let (id, region) = match id {
            None => {
                let region = scope.region.clone();
                let id: (i64,) = with_tx!(&mut tx, c => {
                    sqlx::query_as(
                        "INSERT INTO congress_meeting (region_code, name, year, min_cosigners, answer_within, return_within, active, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    )
                    .bind(region.as_str()).bind(&rules.name).bind(rules.year).bind(rules.min_cosigners as i32)
                    .bind(rules.answer_within.to_string()).bind(rules.return_within.to_string()).bind(active).bind(now)
                    .fetch_one(&mut *c).await?
                });
                (id.0, region)
            }
            Some(id) => {
                let row = self.meeting_row(id).await?;
                let region =
                    RegionCode::parse(&row.region_code).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                if !scope.covers(&region) {
                    return Err(StoreError::NotFound);
                }
                with_tx!(&mut tx, c => {
                    sqlx::query(
                        "UPDATE congress_meeting SET name = $1, year = $2, min_cosigners = $3, answer_within = $4, return_within = $5, active = $6 \
                         WHERE id = $7",
                    )
                    .bind(&rules.name).bind(rules.year).bind(rules.min_cosigners as i32)
                    .bind(rules.answer_within.to_string()).bind(rules.return_within.to_string()).bind(active).bind(id)
                    .execute(&mut *c).await?;
                });
                (id, region)
            }
        };
        let detail = serde_json::json!({
            "name": rules.name, "year": rules.year, "min_cosigners": rules.min_cosigners,
            "answer_within": rules.answer_within.to_string(), "return_within": rules.return_within.to_string(),
            "active": active,
        })
        .to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::MeetingSave,
            &format!("meeting:{id}"),
            Some(&region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The active reply classes, in their order.
    pub async fn reply_classes(&self) -> Result<Vec<ReplyClass>> {
        let rows: Vec<(String, String, bool, bool)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT code, label, needs_explanation, needs_plan FROM suggestion_class WHERE active = TRUE ORDER BY position, code",
            ).fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(|(code, label, needs_explanation, needs_plan)| ReplyClass {
                code,
                label,
                needs_explanation,
                needs_plan,
            })
            .collect())
    }
}

impl Store {
    /// The deputies in office elected by the meeting's region, by name: (person, name). For the
    /// co-signer and proposer pickers of a meeting the caller may use.
    pub async fn meeting_deputies(&self, meeting: &Meeting) -> Result<Vec<(i64, String)>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT DISTINCT p.id, p.name FROM mandate m JOIN person p ON p.id = m.person_id \
                 WHERE m.congress_region = $1 AND m.status = 'in_office' ORDER BY p.name, p.id LIMIT 2000",
            ).bind(&meeting.region_code).fetch_all(p).await?
        }))
    }
}
