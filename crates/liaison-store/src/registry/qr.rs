//! QR codes: a short random id per deputy (person) or station, resolved on scan, revocable.

use chrono::{DateTime, Utc};
use liaison_domain::registry::qr::new_code;
use serde::Serialize;

use crate::{Result, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum QrTarget {
    /// A person holding at least one deputy mandate.
    Deputy(i64),
    Station(i64),
}

impl QrTarget {
    fn parts(self) -> (&'static str, i64) {
        match self {
            QrTarget::Deputy(id) => ("deputy", id),
            QrTarget::Station(id) => ("station", id),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QrRow {
    pub code: String,
    pub target_kind: String,
    pub target_id: i64,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_reason: String,
}

impl QrRow {
    pub fn target(&self) -> Option<QrTarget> {
        match self.target_kind.as_str() {
            "deputy" => Some(QrTarget::Deputy(self.target_id)),
            "station" => Some(QrTarget::Station(self.target_id)),
            _ => None,
        }
    }
}

impl Store {
    /// The live code of a target, created on first use. (Callers check the caller may see the target.)
    pub async fn qr_code_for(&self, target: QrTarget) -> Result<String> {
        let (kind, id) = target.parts();
        let mut tx = self.begin().await?;
        let live: Option<(String,)> = with_tx!(&mut tx, c => {
            sqlx::query_as("SELECT code FROM qr_code WHERE target_kind = $1 AND target_id = $2 AND revoked_at IS NULL")
                .bind(kind).bind(id).fetch_optional(&mut *c).await?
        });
        if let Some((code,)) = live {
            return Ok(code);
        }
        let code = new_code();
        with_tx!(&mut tx, c => {
            sqlx::query("INSERT INTO qr_code (code, target_kind, target_id, created_at) VALUES ($1, $2, $3, $4)")
                .bind(&code).bind(kind).bind(id).bind(Utc::now()).execute(&mut *c).await?;
        });
        tx.commit().await?;
        Ok(code)
    }

    /// What a scanned code points at, revoked or not.
    pub async fn resolve_qr(&self, code: &str) -> Result<Option<QrRow>> {
        let r = with_pool!(&self.read, p => {
            sqlx::query_as::<_, QrRow>(
                "SELECT code, target_kind, target_id, revoked_at, revoked_reason FROM qr_code WHERE code = $1",
            )
            .bind(code).fetch_optional(p).await?
        });
        Ok(r)
    }
}
