//! Internal notes on an item (内部备注): written by those handling it — staff, the deputy it reached, the
//! lead unit — and read only by them; never on the tracking page or the public list. Audited.

use chrono::{DateTime, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::{RegionCode, Scope};
use serde::Serialize;

use crate::{Actor, Result, Store, StoreError};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Note {
    pub id: i64,
    pub author: Option<String>,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// The longest note.
pub const MAX_NOTE: usize = 2000;

impl Store {
    pub async fn add_opinion_note(&self, scope: &Scope, actor: &Actor, id: i64, body: &str) -> Result<()> {
        let o = self.opinion(scope, id).await?;
        let roles = o.relation();
        if !roles.any() {
            return Err(StoreError::Forbidden);
        }
        let body = body.trim();
        if body.is_empty() || body.chars().count() > MAX_NOTE {
            return Err(StoreError::Domain(liaison_domain::DomainError::Field {
                field: "body",
                message: "请填写备注（不超过 2000 字）",
            }));
        }
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("INSERT INTO opinion_note (opinion_id, account_id, body, at) VALUES ($1, $2, $3, $4)")
                .bind(id).bind(actor.account_id).bind(body).bind(Utc::now()).execute(&mut *c).await?;
        });
        let region = RegionCode::parse(&o.region_code).ok();
        self.audit(
            &mut tx,
            actor,
            AuditAction::OpinionNote,
            &format!("opinion:{id}"),
            region.as_ref(),
            "{}",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The notes of an item the caller may see, oldest first; masked for a caller who may not read the
    /// citizen's contact.
    pub async fn opinion_notes(&self, scope: &Scope, id: i64) -> Result<Vec<Note>> {
        let o = self.opinion(scope, id).await?;
        if !o.relation().any() {
            return Err(StoreError::Forbidden);
        }
        let mut notes = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Note>(
                "SELECT n.id, a.display_name AS author, n.body, n.at FROM opinion_note n \
                 LEFT JOIN account a ON a.id = n.account_id WHERE n.opinion_id = $1 ORDER BY n.id",
            )
            .bind(id).fetch_all(p).await?
        });
        if let Some(r) = self.masking_for(&o).await? {
            for n in &mut notes {
                n.body = r.text(&n.body);
            }
        }
        Ok(notes)
    }
}
