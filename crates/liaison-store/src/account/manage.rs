//! Managing accounts: the first administrator (bootstrap), creating and editing accounts with their
//! roles, disabling them, resetting passwords, lifting lockouts and ending sessions; every change audited.

use chrono::Utc;
use liaison_domain::audit::AuditAction;
use liaison_domain::role::validate_role_set;
use liaison_domain::{Permission, RegionCode, Role, Scope};

use crate::{Actor, Result, Store, StoreError, Tx};

/// A new account as the system administrator (or bootstrap) describes it; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub region: RegionCode,
    pub roles: Vec<Role>,
    pub unit_id: Option<i64>,
    pub station_id: Option<i64>,
    pub person_id: Option<i64>,
    pub password_hash: String,
    pub must_change_password: bool,
}

/// The editable part of an account.
#[derive(Debug, Clone)]
pub struct AccountChange {
    pub display_name: String,
    pub region: RegionCode,
    pub roles: Vec<Role>,
    pub unit_id: Option<i64>,
    pub station_id: Option<i64>,
    pub person_id: Option<i64>,
}

impl Store {
    async fn insert_account(&self, tx: &mut Tx, a: &NewAccount) -> Result<i64> {
        validate_role_set(&a.roles)?;
        let now = Utc::now();
        let (id,): (i64,) = with_tx!(tx, c => {
            sqlx::query_as(
                "INSERT INTO account (username, display_name, region_code, unit_id, station_id, person_id, password_hash, \
                 must_change_password, password_changed_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(&a.username).bind(a.display_name.trim()).bind(a.region.as_str()).bind(a.unit_id)
            .bind(a.station_id).bind(a.person_id).bind(&a.password_hash).bind(a.must_change_password).bind(now).bind(now)
            .fetch_one(&mut *c)
            .await
            .map_err(StoreError::unique("username"))?
        });
        self.replace_roles(tx, id, &a.roles).await?;
        Ok(id)
    }

    async fn replace_roles(&self, tx: &mut Tx, id: i64, roles: &[Role]) -> Result<()> {
        with_tx!(tx, c => {
            sqlx::query("DELETE FROM account_role WHERE account_id = $1").bind(id).execute(&mut *c).await?;
            for r in roles {
                sqlx::query("INSERT INTO account_role (account_id, role) VALUES ($1, $2)")
                    .bind(id).bind(r.as_str()).execute(&mut *c).await?;
            }
        });
        Ok(())
    }

    async fn require_region(&self, code: &RegionCode) -> Result<()> {
        self.region(code).await?.map(|_| ()).ok_or(StoreError::NotFound)
    }

    /// First run: records the deployment region and creates the system administrator. Refused once any
    /// account exists.
    pub async fn bootstrap(&self, actor: &Actor, region: &RegionCode, admin: NewAccount) -> Result<i64> {
        self.require_region(region).await?;
        let mut tx = self.begin().await?;
        let (n,): (i64,) = with_tx!(&mut tx, c => {
            sqlx::query_as("SELECT COUNT(*) FROM account").fetch_one(&mut *c).await?
        });
        if n > 0 {
            return Err(StoreError::Conflict("bootstrap"));
        }
        self.set_setting_raw(&mut tx, crate::setting::DEPLOYMENT_REGION, region.as_str())
            .await?;
        self.set_setting_raw(&mut tx, crate::setting::SETUP_TOKEN, "")
            .await?;
        let id = self.insert_account(&mut tx, &admin).await?;
        let detail = format!(
            "{{\"region\":\"{}\",\"username\":\"{}\"}}",
            region, admin.username
        );
        self.audit(
            &mut tx,
            actor,
            AuditAction::Bootstrap,
            &format!("account:{id}"),
            Some(region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Creates an account inside the caller's subtree (system administrator only).
    pub async fn create_account(&self, scope: &Scope, actor: &Actor, a: NewAccount) -> Result<i64> {
        if !scope.can(Permission::ManageAccounts) {
            return Err(StoreError::Forbidden);
        }
        if !scope.covers(&a.region) {
            return Err(StoreError::OutOfScope);
        }
        self.require_region(&a.region).await?;
        self.check_binding(&a.region, a.unit_id, a.station_id, a.person_id)
            .await?;
        let mut tx = self.begin().await?;
        let id = self.insert_account(&mut tx, &a).await?;
        let roles: Vec<&str> = a.roles.iter().map(|r| r.as_str()).collect();
        let detail = serde_json::json!({"username": a.username, "roles": roles}).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::AccountCreate,
            &format!("account:{id}"),
            Some(&a.region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes name, region and roles (system administrator; never one's own roles).
    pub async fn update_account(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        ch: AccountChange,
    ) -> Result<()> {
        if !scope.can(Permission::ManageAccounts) {
            return Err(StoreError::Forbidden);
        }
        let before = self.account(scope, id).await?;
        if !scope.covers(&ch.region) {
            return Err(StoreError::OutOfScope);
        }
        if id == scope.account_id && before.roles != ch.roles {
            return Err(StoreError::Conflict("self_roles"));
        }
        validate_role_set(&ch.roles)?;
        self.require_region(&ch.region).await?;
        self.check_binding(&ch.region, ch.unit_id, ch.station_id, ch.person_id)
            .await?;
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE account SET display_name = $1, region_code = $2, unit_id = $3, station_id = $4, person_id = $5 WHERE id = $6",
            )
            .bind(ch.display_name.trim()).bind(ch.region.as_str()).bind(ch.unit_id).bind(ch.station_id).bind(ch.person_id).bind(id)
            .execute(&mut *c)
            .await?;
        });
        self.replace_roles(&mut tx, id, &ch.roles).await?;
        let roles: Vec<&str> = ch.roles.iter().map(|r| r.as_str()).collect();
        let detail = serde_json::json!({"region": ch.region.as_str(), "roles": roles,
            "before": {"region": before.region_code, "roles": before.roles}})
        .to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::AccountUpdate,
            &format!("account:{id}"),
            Some(&ch.region),
            &detail,
        )
        .await?;
        // a change of roles or region ends the account's sessions, so the new scope applies at once
        self.delete_sessions_of(&mut tx, id).await?;
        tx.commit().await
    }

    /// Disables or re-enables an account (system administrator; not oneself). Disabling ends its sessions.
    pub async fn set_disabled(&self, scope: &Scope, actor: &Actor, id: i64, disabled: bool) -> Result<()> {
        if !scope.can(Permission::ManageAccounts) {
            return Err(StoreError::Forbidden);
        }
        let a = self.account(scope, id).await?;
        if id == scope.account_id {
            return Err(StoreError::Conflict("self_disable"));
        }
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE account SET disabled = $1 WHERE id = $2").bind(disabled).bind(id).execute(&mut *c).await?;
        });
        if disabled {
            self.delete_sessions_of(&mut tx, id).await?;
        }
        let action = if disabled {
            AuditAction::AccountDisable
        } else {
            AuditAction::AccountEnable
        };
        let region = RegionCode::parse(&a.region_code).ok();
        self.audit(
            &mut tx,
            actor,
            action,
            &format!("account:{id}"),
            region.as_ref(),
            "{}",
        )
        .await?;
        tx.commit().await
    }

    /// Sets a temporary password that must be changed at next login (system administrator).
    pub async fn reset_password(&self, scope: &Scope, actor: &Actor, id: i64, hash: &str) -> Result<()> {
        if !scope.can(Permission::ManageAccounts) {
            return Err(StoreError::Forbidden);
        }
        let a = self.account(scope, id).await?;
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE account SET password_hash = $1, must_change_password = TRUE, password_changed_at = $2, \
                 failed_logins = 0, locked_until = NULL WHERE id = $3",
            )
            .bind(hash).bind(Utc::now()).bind(id).execute(&mut *c).await?;
        });
        self.lift_login_locks(&mut tx, &a.username).await?;
        self.delete_sessions_of(&mut tx, id).await?;
        let region = RegionCode::parse(&a.region_code).ok();
        self.audit(
            &mut tx,
            actor,
            AuditAction::AccountResetPassword,
            &format!("account:{id}"),
            region.as_ref(),
            "{}",
        )
        .await?;
        tx.commit().await
    }

    /// Lifts a lockout, from every address and account-wide (security administrator).
    pub async fn unlock_account(&self, scope: &Scope, actor: &Actor, id: i64) -> Result<()> {
        if !scope.can(Permission::ManageSecurity) {
            return Err(StoreError::Forbidden);
        }
        let a = self.account(scope, id).await?;
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE account SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                .bind(id).execute(&mut *c).await?;
        });
        self.lift_login_locks(&mut tx, &a.username).await?;
        let region = RegionCode::parse(&a.region_code).ok();
        self.audit(
            &mut tx,
            actor,
            AuditAction::AccountUnlock,
            &format!("account:{id}"),
            region.as_ref(),
            "{}",
        )
        .await?;
        tx.commit().await
    }

    /// Ends every session of an account (security administrator).
    pub async fn end_sessions(&self, scope: &Scope, actor: &Actor, id: i64) -> Result<()> {
        if !scope.can(Permission::ManageSecurity) {
            return Err(StoreError::Forbidden);
        }
        let a = self.account(scope, id).await?;
        let mut tx = self.begin().await?;
        self.delete_sessions_of(&mut tx, id).await?;
        let region = RegionCode::parse(&a.region_code).ok();
        self.audit(
            &mut tx,
            actor,
            AuditAction::SessionEndAll,
            &format!("account:{id}"),
            region.as_ref(),
            "{}",
        )
        .await?;
        tx.commit().await
    }
}
