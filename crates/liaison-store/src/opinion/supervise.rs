//! 督办 of an opinion: a 督办单 to the item's lead unit (staff who may act on the item, only while a
//! unit holds it), who may read a notice about an opinion, and the 重点督办 flag with the supervising
//! leader. The notices themselves are the shared `supervision` piece.

use chrono::{DateTime, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::opinion::Stage;
use liaison_domain::subject::Subject;
use liaison_domain::{RegionCode, Scope};

use crate::opinion::Opinion;
use crate::supervision::SupervisionNotice;
use crate::{Actor, Result, Store, StoreError, Visible};

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
        let o = self.opinion(scope, opinion_id).await?;
        let roles = o.relation();
        if !roles.staff {
            return Err(StoreError::Forbidden);
        }
        let unit = o
            .lead_unit_id
            .filter(|_| o.stage() == Stage::Assigned)
            .ok_or_else(|| StoreError::Refused("该事项目前不在承办单位办理中，不能发督办单".into()))?;
        let subject = Subject::opinion(opinion_id);
        let mut tx = self.begin().await?;
        let (id, number) = self
            .issue_supervision_in(&mut tx, actor, &scope.region, subject, unit, demand, reply_by)
            .await?;
        self.supervision_alert_in(&mut tx, &o, id).await?;
        let region = RegionCode::parse(&o.region_code).ok();
        let detail = serde_json::json!({ "number": number, "unit": unit }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::OpinionSupervise,
            &subject.to_string(),
            region.as_ref(),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The notices of an item the caller may see, oldest first; the demand and the note masked for a
    /// caller who may not read the citizen's contact.
    pub async fn supervision_notices(&self, o: &Visible<Opinion>) -> Result<Vec<SupervisionNotice>> {
        let mut notices = self.supervision_notices_of(Subject::opinion(o.id)).await?;
        if let Some(r) = self.masking_for(o).await? {
            for n in &mut notices {
                n.demand = r.text(&n.demand);
                n.ack_note = r.text(&n.ack_note);
            }
        }
        Ok(notices)
    }

    /// One notice about an item, with the item, as the caller may see them (the printed 督办单).
    pub async fn opinion_notice(
        &self,
        scope: &Scope,
        id: i64,
    ) -> Result<(SupervisionNotice, Visible<Opinion>)> {
        let mut n = self.supervision_notice(scope, id).await?;
        let o = self.opinion(scope, n.subject()?.id).await?;
        if let Some(r) = self.masking_for(&o).await? {
            n.demand = r.text(&n.demand);
            n.ack_note = r.text(&n.ack_note);
        }
        Ok((n, o))
    }

    /// Seeing the item is the permission to see its notices (staff, the deputy, the unit).
    pub(crate) async fn may_see_opinion_notice(&self, scope: &Scope, n: &SupervisionNotice) -> Result<bool> {
        let o = match self.opinion(scope, n.subject_id).await {
            Ok(found) => found,
            Err(StoreError::NotFound) => return Ok(false),
            Err(e) => return Err(e),
        };
        let roles = o.relation();
        let its_unit = n.unit_id.is_some() && n.unit_id == scope.unit_id;
        Ok(roles.staff || roles.deputy || its_unit || o.lead_unit_id == scope.unit_id)
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
        let o = self.opinion(scope, opinion_id).await?;
        let roles = o.relation();
        if !roles.staff {
            return Err(StoreError::Forbidden);
        }
        let supervisor = supervisor.trim();
        if on && (supervisor.is_empty() || supervisor.chars().count() > 50) {
            return Err(StoreError::Domain(liaison_domain::DomainError::Field {
                field: "supervisor",
                message: "请填写督办领导（不超过 50 字）",
            }));
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
            AuditAction::OpinionKeySupervision,
            &format!("opinion:{opinion_id}"),
            region.as_ref(),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
