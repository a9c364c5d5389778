//! Deployment-wide settings (key → JSON text): the deployment region, the password policy, the one-time
//! setup token.

use chrono::Utc;
use liaison_domain::audit::AuditAction;
use liaison_domain::password::PasswordPolicy;
use liaison_domain::{Permission, RegionCode, Scope};

use crate::{Actor, Result, Store, StoreError, Tx};

pub const DEPLOYMENT_REGION: &str = "deployment_region";
pub const PASSWORD_POLICY: &str = "password_policy";
pub const SETUP_TOKEN: &str = "setup_token_digest";

impl Store {
    pub(crate) async fn setting_raw(&self, key: &str) -> Result<Option<String>> {
        let v: Option<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT value FROM setting WHERE key = $1").bind(key).fetch_optional(p).await?
        });
        Ok(v.map(|v| v.0))
    }

    pub(crate) async fn set_setting_raw(&self, tx: &mut Tx, key: &str, value: &str) -> Result<()> {
        with_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO setting (key, value, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(key)
            .bind(value)
            .bind(Utc::now())
            .execute(c)
            .await?;
        });
        Ok(())
    }

    /// The region this deployment serves (a county, a city or a province); set at bootstrap.
    pub async fn deployment_region(&self) -> Result<Option<RegionCode>> {
        match self.setting_raw(DEPLOYMENT_REGION).await? {
            Some(v) => RegionCode::parse(&v)
                .map(Some)
                .map_err(|_| StoreError::Corrupt(v)),
            None => Ok(None),
        }
    }

    pub async fn password_policy(&self) -> Result<PasswordPolicy> {
        Ok(match self.setting_raw(PASSWORD_POLICY).await? {
            Some(v) => serde_json::from_str(&v).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            None => PasswordPolicy::default(),
        })
    }

    /// Security administrator only; the policy must pass [`PasswordPolicy::validate`] first.
    pub async fn set_password_policy(
        &self,
        scope: &Scope,
        actor: &Actor,
        policy: &PasswordPolicy,
    ) -> Result<()> {
        if !scope.can(Permission::ManageSecurity) {
            return Err(StoreError::Forbidden);
        }
        let json = serde_json::to_string(policy).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.begin().await?;
        self.set_setting_raw(&mut tx, PASSWORD_POLICY, &json).await?;
        self.audit(
            &mut tx,
            actor,
            AuditAction::SecurityPolicy,
            "setting:password_policy",
            Some(&scope.region),
            &json,
        )
        .await?;
        tx.commit().await
    }

    /// Stores the digest of the one-time first-run setup token (replacing any earlier one).
    pub async fn set_setup_token(&self, digest: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        self.set_setting_raw(&mut tx, SETUP_TOKEN, digest).await?;
        tx.commit().await
    }

    pub async fn setup_token(&self) -> Result<Option<String>> {
        self.setting_raw(SETUP_TOKEN).await
    }
}
