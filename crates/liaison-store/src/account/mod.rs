//! Staff accounts, their roles and the login bookkeeping (failures, lockout, password changes).

pub mod binding;
pub mod mobile;
pub mod session;
pub mod sms_code;

mod credential;
mod login;
mod manage;
mod request;

pub use login::{LoginClaim, LoginRecord};
pub use manage::{AccountChange, Done, NewAccount};
pub use request::{AccountRequest, Close, Confirmed, Proposal};

use chrono::{DateTime, Utc};
use liaison_domain::{Permission, RegionCode, Role, Scope};
use serde::Serialize;

use crate::{Result, Store, StoreError};

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

/// username, region_code, unit_id, station_id, person_id
type ScopeRow = (String, String, Option<i64>, Option<i64>, Option<i64>);

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

    /// The scope an account acts with.
    pub async fn scope_of(&self, account_id: i64) -> Result<Scope> {
        let row: Option<ScopeRow> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT username, region_code, unit_id, station_id, person_id FROM account WHERE id = $1")
                .bind(account_id).fetch_optional(p).await?
        });
        let (username, region, unit_id, station_id, person_id) = row.ok_or(StoreError::NotFound)?;
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
