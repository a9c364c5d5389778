//! An account's mobile number (personal information): set by the person, or by a system administrator
//! for an account that is not an administrator's (`sms_login::may_set_mobile`); shown masked on every
//! page (no page holds the full number, so no read is audited); every change audited without the
//! number. The alert SMS and the login codes are its only uses.

use liaison_domain::account::sms_login::may_set_mobile;
use liaison_domain::audit::AuditAction;
use liaison_domain::{RegionCode, Role, Scope, mask};

use crate::account::LoginRecord;
use crate::{Actor, Result, Store, StoreError};

/// An account's mobile as pages show it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MobileView {
    /// Masked (`139****5678`); empty when none is set.
    pub masked: String,
    /// Alert SMS wanted.
    pub alerts: bool,
}

impl MobileView {
    pub fn is_set(&self) -> bool {
        !self.masked.is_empty()
    }
}

/// What happens to the number when an account's mobile settings are saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MobileChange<'a> {
    /// This number (already checked: `sms_login::parse_mobile`), or `None`: no number.
    Number(Option<&'a str>),
    /// The number stays; only the alerts switch changes.
    Keep,
}

impl Store {
    /// The mobile of an account the caller may read (their own, or one in an administrator's region).
    pub async fn account_mobile(&self, scope: &Scope, id: i64) -> Result<MobileView> {
        // the same visibility as the account itself
        self.account(scope, id).await?;
        let row: Option<(String, bool)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT mobile, sms_alerts FROM account WHERE id = $1").bind(id).fetch_optional(p).await?
        });
        let (mobile, alerts) = row.ok_or(StoreError::NotFound)?;
        Ok(MobileView {
            masked: if mobile.is_empty() {
                String::new()
            } else {
                mask::phone(&mobile)
            },
            alerts,
        })
    }

    /// Sets an account's mobile (`MobileChange::Number`: a number, or `None` to clear it; `Keep`: the
    /// number stays) and whether it wants alerts; audited without the number.
    pub async fn set_account_mobile(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        change: MobileChange<'_>,
        alerts: bool,
    ) -> Result<()> {
        let target = self.account(scope, id).await?;
        if !may_set_mobile(scope, id, &target.roles) {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.begin().await?;
        let (number, mobile) = match change {
            // the number written back as it is (`keep` = 1): one statement for both cases
            MobileChange::Keep => ("kept", None),
            MobileChange::Number(Some(m)) => ("set", Some(m)),
            MobileChange::Number(None) => ("cleared", Some("")),
        };
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE account SET mobile = COALESCE($1, mobile), sms_alerts = $2 WHERE id = $3")
                .bind(mobile).bind(alerts).bind(id).execute(&mut *c).await?;
        });
        let region = RegionCode::parse(&target.region_code).ok();
        let detail = serde_json::json!({ "mobile": number, "alerts": alerts }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::AccountMobile,
            &format!("account:{id}"),
            region.as_ref(),
            &detail,
        )
        .await?;
        tx.commit().await
    }

    /// The enabled accounts with this mobile, and their roles (the login by SMS code picks among them).
    pub async fn accounts_by_mobile(&self, mobile: &str) -> Result<Vec<(LoginRecord, Vec<Role>)>> {
        let recs: Vec<LoginRecord> = with_pool!(&self.read, p => {
            sqlx::query_as::<_, LoginRecord>(
                "SELECT id, username, region_code, password_hash, failed_logins, locked_until, disabled \
                 FROM account WHERE mobile = $1 AND mobile <> '' AND disabled = FALSE ORDER BY id LIMIT 10",
            )
            .bind(mobile).fetch_all(p).await?
        });
        let ids: Vec<i64> = recs.iter().map(|r| r.id).collect();
        let roles = self.load_roles(&ids).await?;
        Ok(recs
            .into_iter()
            .map(|rec| {
                let mine = roles
                    .iter()
                    .filter(|(id, _)| *id == rec.id)
                    .map(|(_, r)| *r)
                    .collect();
                (rec, mine)
            })
            .collect())
    }

    /// The login record of an account by id (the second factor finishes a login begun by password).
    pub async fn login_record_by_id(&self, id: i64) -> Result<Option<LoginRecord>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, LoginRecord>(
                "SELECT id, username, region_code, password_hash, failed_logins, locked_until, disabled \
                 FROM account WHERE id = $1",
            )
            .bind(id).fetch_optional(p).await?
        }))
    }

    /// The full mobile of an account, for sending it a code only (never shown).
    pub(crate) async fn mobile_for_code(&self, id: i64) -> Result<String> {
        let row: Option<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT mobile FROM account WHERE id = $1").bind(id).fetch_optional(p).await?
        });
        Ok(row.map(|r| r.0).unwrap_or_default())
    }
}
