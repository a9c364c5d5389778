//! 督办: formal supervision notices (督办单) to an item's lead unit — issued by staff who may act on
//! the item, numbered per year, printed, acknowledged by the unit — and the 重点督办 flag with the
//! supervising leader. Every write is audited in its transaction.

use chrono::{DateTime, Datelike, Utc};
use liaison_domain::{RegionCode, Scope};
use serde::Serialize;

use crate::{Actor, Result, Store, StoreError};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Notice {
    pub id: i64,
    pub opinion_id: i64,
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
}

const NOTICE_SELECT: &str = "SELECT n.id, n.opinion_id, n.number, n.unit_id, u.name AS unit_name, n.demand, n.reply_by, \
     a.display_name AS issued_by_name, n.issued_at, n.acknowledged_at, b.display_name AS acknowledged_by_name, n.ack_note \
     FROM supervision_notice n LEFT JOIN handling_unit u ON u.id = n.unit_id \
     LEFT JOIN account a ON a.id = n.issued_by LEFT JOIN account b ON b.id = n.acknowledged_by ";

impl Store {
    /// Issues a 督办单 to the item's lead unit. Only staff who may act on the item, and only while a
    /// unit holds it.
    pub async fn issue_supervision(
        &self,
        scope: &Scope,
        actor: &Actor,
        opinion_id: i64,
        demand: &str,
        reply_by: Option<DateTime<Utc>>,
    ) -> Result<i64> {
        let (o, roles) = self.opinion(scope, opinion_id).await?;
        if !roles.staff {
            return Err(StoreError::Forbidden);
        }
        let unit = o
            .lead_unit_id
            .filter(|_| o.stage() == liaison_domain::opinion::Stage::Assigned)
            .ok_or_else(|| StoreError::Refused("该事项目前不在承办单位办理中，不能发督办单".into()))?;
        let demand = demand.trim();
        if demand.is_empty() || demand.chars().count() > 1000 {
            return Err(StoreError::Refused("请填写督办要求（不超过 1000 字）".into()));
        }
        let now = Utc::now();
        let mut tx = self.begin().await?;
        let year = liaison_domain::time::local(now).year();
        let prefix = format!("督〔{year}〕第");
        let (count,): (i64,) = with_tx!(&mut tx, c => {
            sqlx::query_as("SELECT COUNT(*) FROM supervision_notice WHERE number LIKE $1")
                .bind(format!("{prefix}%")).fetch_one(&mut *c).await?
        });
        let number = format!("{prefix}{:04}号", count + 1);
        let (id,): (i64,) = with_tx!(&mut tx, c => {
            sqlx::query_as(
                "INSERT INTO supervision_notice (opinion_id, number, unit_id, demand, reply_by, issued_by, issued_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(opinion_id).bind(&number).bind(unit).bind(demand).bind(reply_by).bind(actor.account_id).bind(now)
            .fetch_one(&mut *c).await.map_err(StoreError::unique("supervision_number"))?
        });
        self.supervision_alert_in(&mut tx, &o, id).await?;
        let region = RegionCode::parse(&o.region_code).ok();
        let detail = serde_json::json!({ "number": number, "unit": unit }).to_string();
        self.audit(
            &mut tx,
            actor,
            "opinion.supervise",
            &format!("opinion:{opinion_id}"),
            region.as_ref(),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The notices of an item, oldest first.
    pub async fn supervision_notices(&self, opinion_id: i64) -> Result<Vec<Notice>> {
        let sql = format!("{NOTICE_SELECT} WHERE n.opinion_id = $1 ORDER BY n.id");
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Notice>(sqlx::AssertSqlSafe(sql)).bind(opinion_id).fetch_all(p).await?
        });
        Ok(rows)
    }

    /// One notice, for whoever may see its item (staff, the unit, the deputy).
    pub async fn supervision_notice(&self, scope: &Scope, id: i64) -> Result<Notice> {
        let sql = format!("{NOTICE_SELECT} WHERE n.id = $1");
        let n = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Notice>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
        })
        .ok_or(StoreError::NotFound)?;
        // seeing the item is the permission to see its notices
        let (o, roles) = self.opinion(scope, n.opinion_id).await?;
        let its_unit = n.unit_id.is_some() && n.unit_id == scope.unit_id;
        if !(roles.staff || roles.deputy || its_unit || o.lead_unit_id == scope.unit_id) {
            return Err(StoreError::NotFound);
        }
        Ok(n)
    }

    /// The unit acknowledges receipt (签收), with an optional note.
    pub async fn acknowledge_supervision(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        note: &str,
    ) -> Result<i64> {
        let n = self.supervision_notice(scope, id).await?;
        if n.unit_id.is_none() || n.unit_id != scope.unit_id {
            return Err(StoreError::Refused("只有被督办的承办单位可以签收".into()));
        }
        if n.acknowledged_at.is_some() {
            return Err(StoreError::Refused("该督办单已签收".into()));
        }
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
            "opinion.supervise_ack",
            &format!("opinion:{}", n.opinion_id),
            None,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(n.opinion_id)
    }

    /// Flags or unflags an item for 重点督办 with the supervising leader's name.
    pub async fn set_key_supervision(
        &self,
        scope: &Scope,
        actor: &Actor,
        opinion_id: i64,
        on: bool,
        supervisor: &str,
    ) -> Result<()> {
        let (o, roles) = self.opinion(scope, opinion_id).await?;
        if !roles.staff {
            return Err(StoreError::Forbidden);
        }
        let supervisor = supervisor.trim();
        if on && (supervisor.is_empty() || supervisor.chars().count() > 50) {
            return Err(StoreError::Refused("请填写督办领导（不超过 50 字）".into()));
        }
        let supervisor = if on { supervisor } else { "" };
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE opinion SET key_supervision = $1, supervisor = $2 WHERE id = $3")
                .bind(on).bind(supervisor).bind(opinion_id).execute(&mut *c).await?;
        });
        let region = RegionCode::parse(&o.region_code).ok();
        let detail = serde_json::json!({ "on": on, "supervisor": supervisor }).to_string();
        self.audit(
            &mut tx,
            actor,
            "opinion.key_supervision",
            &format!("opinion:{opinion_id}"),
            region.as_ref(),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
