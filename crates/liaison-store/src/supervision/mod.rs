//! 督办: formal supervision notices (督办单) about any subject — numbered per year, printed, signed for
//! (签收) by the unit they are addressed to. Who may issue one, and about what, is each workflow's rule
//! (e.g. `opinion::supervise`); this module writes, reads and acknowledges the notices. Every write is
//! audited in its transaction by the caller or here. The organ that issues a region's notices and
//! their number prefix: `organ`.

pub mod organ;

use chrono::{DateTime, Datelike, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::subject::{Subject, SubjectKind};
use liaison_domain::{RegionCode, Scope};
use serde::Serialize;

use crate::{Actor, Result, Store, StoreError, Tx};

/// A 督办单.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SupervisionNotice {
    pub id: i64,
    pub subject_kind: String,
    pub subject_id: i64,
    pub number: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub demand: String,
    pub reply_by: Option<DateTime<Utc>>,
    pub issued_by_name: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by_name: Option<String>,
    pub ack_note: String,
    /// The issuing region's organ as set (None: the default for `organ_region_name`).
    pub organ_set: Option<String>,
    /// The region whose organ issued it (the issuer's region).
    pub organ_region: Option<String>,
    pub organ_region_name: Option<String>,
}

impl SupervisionNotice {
    /// What the notice is about.
    pub fn subject(&self) -> Result<Subject> {
        Subject::from_columns(&self.subject_kind, self.subject_id).ok_or_else(|| {
            StoreError::Corrupt(format!("supervision notice {}: {}", self.id, self.subject_kind))
        })
    }

    /// The issuing organ (签发机关) as printed: the region's setting, else its default.
    pub fn organ_name(&self) -> String {
        match &self.organ_set {
            Some(o) => o.clone(),
            None => {
                liaison_domain::supervision::Organ::default_for(
                    self.organ_region_name.as_deref().unwrap_or(""),
                )
                .name
            }
        }
    }

    /// The staff page of what it is about.
    pub fn subject_path(&self) -> String {
        self.subject().map(|s| s.path()).unwrap_or_default()
    }
}

const NOTICE_SELECT: &str = "SELECT n.id, n.subject_kind, n.subject_id, n.number, n.unit_id, u.name AS unit_name, n.demand, \
     n.reply_by, a.display_name AS issued_by_name, n.issued_at, n.acknowledged_at, b.display_name AS acknowledged_by_name, \
     n.ack_note, so.organ AS organ_set, COALESCE(n.region_code, a.region_code) AS organ_region, rg.name AS organ_region_name \
     FROM supervision_notice n LEFT JOIN handling_unit u ON u.id = n.unit_id \
     LEFT JOIN account a ON a.id = n.issued_by LEFT JOIN account b ON b.id = n.acknowledged_by \
     LEFT JOIN supervision_organ so ON so.region_code = COALESCE(n.region_code, a.region_code) \
     LEFT JOIN region rg ON rg.code = COALESCE(n.region_code, a.region_code) ";

/// The longest 督办要求 accepted.
pub const DEMAND_MAX: usize = 1000;

/// What to write when the demand is missing or too long (`DEMAND_MAX`).
const DEMAND_MESSAGE: &str = "请填写督办要求（不超过 1000 字）";

impl Store {
    /// Writes a numbered 督办单 about `subject` to `unit` in the caller's transaction, issued by the
    /// organ of `region` (the issuer's); returns its id and number (the organ's prefix, e.g.
    /// 督〔2026〕第0001号, counted per prefix and Beijing year). The number is stored as text: a prefix
    /// changed later leaves it as it was.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn issue_supervision_in(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        region: &RegionCode,
        subject: Subject,
        unit: i64,
        demand: &str,
        reply_by: Option<DateTime<Utc>>,
    ) -> Result<(i64, String)> {
        let demand = demand.trim();
        if demand.is_empty() || demand.chars().count() > DEMAND_MAX {
            return Err(StoreError::Domain(liaison_domain::DomainError::Field {
                field: "demand",
                message: DEMAND_MESSAGE,
            }));
        }
        let now = Utc::now();
        let year = liaison_domain::time::local(now).year();
        let prefix = self.organ_in(tx, region).await?.number_stem(year);
        let (count,): (i64,) = with_tx!(tx, c => {
            sqlx::query_as("SELECT COUNT(*) FROM supervision_notice WHERE number LIKE $1")
                .bind(format!("{prefix}%")).fetch_one(&mut *c).await?
        });
        let number = liaison_domain::supervision::number(&prefix, count + 1);
        let (id,): (i64,) = with_tx!(tx, c => {
            sqlx::query_as(
                "INSERT INTO supervision_notice (subject_kind, subject_id, number, unit_id, demand, reply_by, issued_by, issued_at, region_code) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(subject.kind.as_str()).bind(subject.id).bind(&number).bind(unit).bind(demand).bind(reply_by)
            .bind(actor.account_id).bind(now).bind(region.as_str())
            .fetch_one(&mut *c).await.map_err(StoreError::unique("supervision_number"))?
        });
        Ok((id, number))
    }

    /// The notices about a subject, oldest first. The caller has shown that the reader may see it.
    pub(crate) async fn supervision_notices_of(&self, subject: Subject) -> Result<Vec<SupervisionNotice>> {
        let sql = format!("{NOTICE_SELECT} WHERE n.subject_kind = $1 AND n.subject_id = $2 ORDER BY n.id");
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, SupervisionNotice>(sqlx::AssertSqlSafe(sql))
                .bind(subject.kind.as_str()).bind(subject.id).fetch_all(p).await?
        }))
    }

    /// One notice, for whoever may see its subject (the subject's workflow decides).
    pub async fn supervision_notice(&self, scope: &Scope, id: i64) -> Result<SupervisionNotice> {
        let sql = format!("{NOTICE_SELECT} WHERE n.id = $1");
        let n = with_pool!(&self.read, p => {
            sqlx::query_as::<_, SupervisionNotice>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
        })
        .ok_or(StoreError::NotFound)?;
        let visible = match n.subject()?.kind {
            SubjectKind::Opinion => self.may_see_opinion_notice(scope, &n).await?,
            SubjectKind::Suggestion => self.suggestion(scope, n.subject()?.id).await.is_ok(),
            // no 督办单 is issued about a project yet
            SubjectKind::Project => false,
            SubjectKind::Review => self.review(scope, n.subject()?.id).await.is_ok(),
        };
        if !visible {
            return Err(StoreError::NotFound);
        }
        Ok(n)
    }

    /// The unit acknowledges receipt (签收), with an optional note; returns what the notice is about.
    pub async fn acknowledge_supervision(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        note: &str,
    ) -> Result<Subject> {
        let n = self.supervision_notice(scope, id).await?;
        if n.unit_id.is_none() || n.unit_id != scope.unit_id {
            return Err(StoreError::Refused("只有被督办的承办单位可以签收".into()));
        }
        if n.acknowledged_at.is_some() {
            return Err(StoreError::Refused("该督办单已签收".into()));
        }
        let subject = n.subject()?;
        let note: String = note.trim().chars().take(500).collect();
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE supervision_notice SET acknowledged_at = $1, acknowledged_by = $2, ack_note = $3 WHERE id = $4 AND acknowledged_at IS NULL")
                .bind(Utc::now()).bind(actor.account_id).bind(&note).bind(id).execute(&mut *c).await?;
        });
        let detail = serde_json::json!({ "number": n.number }).to_string();
        self.audit(
            &mut tx,
            actor,
            match subject.kind {
                SubjectKind::Opinion => AuditAction::OpinionSuperviseAck,
                // no notice about a project can be seen (above), so none is acknowledged
                SubjectKind::Suggestion | SubjectKind::Project => AuditAction::SuggestionSuperviseAck,
                SubjectKind::Review => AuditAction::ReviewSuperviseAck,
            },
            &subject.to_string(),
            None,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(subject)
    }
}
