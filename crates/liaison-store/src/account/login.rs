//! The login path, before the caller is known: the login record looked up by username and the
//! bookkeeping of failed attempts (lockout); and the caller's own password change.

use chrono::{DateTime, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::{RegionCode, Scope};

use crate::{Actor, Result, Store};

/// What the login path needs, looked up by username before anyone is known.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginRecord {
    pub id: i64,
    pub username: String,
    pub region_code: String,
    pub password_hash: String,
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub disabled: bool,
}

impl Store {
    pub async fn login_record(&self, username: &str) -> Result<Option<LoginRecord>> {
        let r = with_pool!(&self.read, p => {
            sqlx::query_as::<_, LoginRecord>(
                "SELECT id, username, region_code, password_hash, failed_logins, locked_until, disabled \
                 FROM account WHERE username = $1",
            )
            .bind(username)
            .fetch_optional(p)
            .await?
        });
        Ok(r)
    }

    /// Counts a failed attempt and, if the policy says so, locks the account; audited.
    pub async fn record_login_failure(
        &self,
        rec: &LoginRecord,
        ip: &str,
        lock_until: Option<DateTime<Utc>>,
        reason: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE account SET failed_logins = failed_logins + 1, locked_until = COALESCE($1, locked_until) \
                 WHERE id = $2",
            )
            .bind(lock_until).bind(rec.id).execute(&mut *c).await?;
        });
        let actor = Actor {
            account_id: Some(rec.id),
            username: rec.username.clone(),
            ip: ip.to_owned(),
        };
        let region = RegionCode::parse(&rec.region_code).ok();
        let detail = serde_json::json!({ "reason": reason }).to_string();
        self.audit(
            &mut tx,
            &actor,
            AuditAction::LoginFailure,
            &format!("account:{}", rec.id),
            region.as_ref(),
            &detail,
        )
        .await?;
        if lock_until.is_some() {
            self.audit(
                &mut tx,
                &actor,
                AuditAction::AccountLocked,
                &format!("account:{}", rec.id),
                region.as_ref(),
                "{}",
            )
            .await?;
        }
        tx.commit().await
    }

    /// The caller changes their own password (after checking the old one and the policy).
    pub async fn change_own_password(&self, scope: &Scope, actor: &Actor, hash: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE account SET password_hash = $1, must_change_password = FALSE, password_changed_at = $2 \
                 WHERE id = $3",
            )
            .bind(hash).bind(Utc::now()).bind(scope.account_id).execute(&mut *c).await?;
        });
        self.audit(
            &mut tx,
            actor,
            AuditAction::AccountChangePassword,
            &format!("account:{}", scope.account_id),
            Some(&scope.region),
            "{}",
        )
        .await?;
        tx.commit().await
    }

    pub async fn password_hash_of(&self, account_id: i64) -> Result<String> {
        let r: (String,) = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT password_hash FROM account WHERE id = $1").bind(account_id).fetch_one(p).await?
        });
        Ok(r.0)
    }
}
