//! Staff accounts, their roles and the login bookkeeping (failures, lockout, password changes).

pub mod binding;
pub mod session;

use chrono::{DateTime, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::role::validate_role_set;
use liaison_domain::{Permission, RegionCode, Role, Scope};
use serde::Serialize;

use crate::{Actor, Result, Store, StoreError, Tx};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub region_code: String,
    pub region_name: String,
    pub unit_id: Option<i64>,
    pub station_id: Option<i64>,
    pub person_id: Option<i64>,
    pub must_change_password: bool,
    pub password_changed_at: DateTime<Utc>,
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub disabled: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    #[sqlx(skip)]
    pub roles: Vec<Role>,
}

impl Account {
    pub fn locked_at(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|t| t > now)
    }
}

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

/// username, region, unit, station, person
/// username, region_code, unit_id, station_id, person_id
pub(crate) type ScopeRow = (String, String, Option<i64>, Option<i64>, Option<i64>);

fn can_see_accounts(scope: &Scope) -> bool {
    scope.can(Permission::ManageAccounts) || scope.can(Permission::ManageSecurity)
}

impl Store {
    pub async fn account_count(&self) -> Result<i64> {
        let n: (i64,) = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT COUNT(*) FROM account").fetch_one(p).await?
        });
        Ok(n.0)
    }

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

    async fn load_roles(&self, ids: &[i64]) -> Result<Vec<(i64, Role)>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(200) {
            let rows: Vec<(i64, String)> = with_pool!(&self.read, p => {
                let mut qb = sqlx::QueryBuilder::new("SELECT account_id, role FROM account_role WHERE account_id IN (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(") ORDER BY account_id, role");
                qb.build_query_as().fetch_all(p).await?
            });
            for (id, r) in rows {
                out.push((id, Role::parse(&r)?));
            }
        }
        Ok(out)
    }

    async fn with_roles(&self, mut accounts: Vec<Account>) -> Result<Vec<Account>> {
        let ids: Vec<i64> = accounts.iter().map(|a| a.id).collect();
        if ids.is_empty() {
            return Ok(accounts);
        }
        let roles = self.load_roles(&ids).await?;
        for a in &mut accounts {
            a.roles = roles
                .iter()
                .filter(|(id, _)| *id == a.id)
                .map(|(_, r)| *r)
                .collect();
        }
        Ok(accounts)
    }

    /// Accounts in the caller's subtree, by id, `limit` after `after` (keyset); `q` matches username or name.
    pub async fn accounts(
        &self,
        scope: &Scope,
        q: Option<&str>,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Account>> {
        if !can_see_accounts(scope) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = scope.range();
        let pattern = q.map(|q| format!("%{}%", q.replace(['%', '_', '\\'], "")));
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Account>(
                "SELECT a.id, a.username, a.display_name, a.region_code, r.name AS region_name, \
                 a.unit_id, a.station_id, a.person_id, a.must_change_password, a.password_changed_at, a.failed_logins, \
                 a.locked_until, a.disabled, a.last_login_at, a.created_at \
                 FROM account a JOIN region r ON r.code = a.region_code \
                 WHERE a.region_code BETWEEN $1 AND $2 AND a.id > $3 \
                   AND ($4 IS NULL OR a.username LIKE $4 OR a.display_name LIKE $4) \
                 ORDER BY a.id LIMIT $5",
            )
            .bind(&lo).bind(&hi).bind(after.unwrap_or(0)).bind(&pattern).bind(limit)
            .fetch_all(p)
            .await?
        });
        self.with_roles(rows).await
    }

    /// One account, if it lies in the caller's subtree (`OutOfScope` otherwise, `NotFound` if absent).
    pub async fn account(&self, scope: &Scope, id: i64) -> Result<Account> {
        if !can_see_accounts(scope) && scope.account_id != id {
            return Err(StoreError::Forbidden);
        }
        let row = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Account>(
                "SELECT a.id, a.username, a.display_name, a.region_code, r.name AS region_name, \
                 a.unit_id, a.station_id, a.person_id, a.must_change_password, a.password_changed_at, a.failed_logins, \
                 a.locked_until, a.disabled, a.last_login_at, a.created_at \
                 FROM account a JOIN region r ON r.code = a.region_code WHERE a.id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await?
        });
        let row = row.ok_or(StoreError::NotFound)?;
        let region =
            RegionCode::parse(&row.region_code).map_err(|_| StoreError::Corrupt(row.region_code.clone()))?;
        if !scope.covers(&region) {
            return Err(StoreError::OutOfScope);
        }
        Ok(self.with_roles(vec![row]).await?.remove(0))
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

    /// Lifts a lockout (security administrator).
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

    // ---- the login path (no scope yet: the caller is not known) ----

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

    /// The scope an account acts with.
    pub async fn scope_of(&self, account_id: i64) -> Result<Scope> {
        let row: Option<ScopeRow> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT username, region_code, unit_id, station_id, person_id FROM account WHERE id = $1")
                .bind(account_id).fetch_optional(p).await?
        });
        self.scope_with_roles(account_id, row.ok_or(StoreError::NotFound)?)
            .await
    }

    /// The scope of an account whose row the caller read already (the session lookup joins it).
    pub(crate) async fn scope_with_roles(&self, account_id: i64, row: ScopeRow) -> Result<Scope> {
        let (username, region, unit_id, station_id, person_id) = row;
        let roles = self
            .load_roles(&[account_id])
            .await?
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        Ok(Scope {
            account_id,
            username,
            roles,
            region: RegionCode::parse(&region).map_err(|_| StoreError::Corrupt(region))?,
            unit_id,
            station_id,
            person_id,
        })
    }
}
