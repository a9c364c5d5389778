//! Managing accounts: the first administrator (bootstrap), creating and editing accounts with their
//! roles, disabling them, resetting passwords, lifting lockouts and ending sessions; every change audited.
//! Who may do which to whom is `liaison_domain::account::admin` (三员分立), applied inside the write
//! transaction with the target's row locked and its roles read there. What the rule sends to another
//! administrator becomes a request (`request.rs`) and changes nothing yet.

use chrono::Utc;
use liaison_domain::account::admin::{self, Action, Change, Decision, Party, Refusal};
use liaison_domain::account::request::RequestKind;
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

/// What an account-management call did: the change is made, or it waits as a request (its id) for
/// the administrator the rule names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Applied,
    Requested(i64),
}

/// An account's row as a write transaction sees it, its row locked.
#[derive(Debug, Clone)]
pub(crate) struct Locked {
    pub display_name: String,
    pub region: RegionCode,
    pub unit_id: Option<i64>,
    pub station_id: Option<i64>,
    pub person_id: Option<i64>,
    pub roles: Vec<Role>,
}

type LockedRow = (String, String, Option<i64>, Option<i64>, Option<i64>);

pub(crate) fn refused(r: Refusal) -> StoreError {
    StoreError::Refused(r.to_string())
}

pub(crate) fn party(scope: &Scope) -> Party<'_> {
    Party {
        id: scope.account_id,
        roles: &scope.roles,
    }
}

pub(crate) fn role_codes(roles: &[Role]) -> Vec<&'static str> {
    roles.iter().map(|r| r.as_str()).collect()
}

impl Store {
    async fn insert_account(&self, tx: &mut Tx, a: &NewAccount, roles: &[Role]) -> Result<i64> {
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
        self.replace_roles(tx, id, roles).await?;
        Ok(id)
    }

    pub(crate) async fn replace_roles(&self, tx: &mut Tx, id: i64, roles: &[Role]) -> Result<()> {
        with_tx!(tx, c => {
            sqlx::query("DELETE FROM account_role WHERE account_id = $1").bind(id).execute(&mut *c).await?;
            for r in roles {
                sqlx::query("INSERT INTO account_role (account_id, role) VALUES ($1, $2)")
                    .bind(id).bind(r.as_str()).execute(&mut *c).await?;
            }
        });
        Ok(())
    }

    /// Locks an account's row for the rest of `tx` (PostgreSQL; SQLite's writer is exclusive already)
    /// and reads it with its roles, so the rule is applied to what the write will change.
    pub(crate) async fn lock_account(&self, tx: &mut Tx, id: i64) -> Result<Locked> {
        let row: Option<LockedRow> = with_tx!(tx, c => {
            sqlx::query("UPDATE account SET disabled = disabled WHERE id = $1").bind(id).execute(&mut *c).await?;
            sqlx::query_as(
                "SELECT display_name, region_code, unit_id, station_id, person_id FROM account WHERE id = $1",
            )
            .bind(id).fetch_optional(&mut *c).await?
        });
        let (display_name, region, unit_id, station_id, person_id) = row.ok_or(StoreError::NotFound)?;
        let codes: Vec<(String,)> = with_tx!(tx, c => {
            sqlx::query_as("SELECT role FROM account_role WHERE account_id = $1 ORDER BY role")
                .bind(id).fetch_all(&mut *c).await?
        });
        let mut roles = codes
            .iter()
            .map(|(r,)| Role::parse(r))
            .collect::<std::result::Result<Vec<Role>, _>>()?;
        roles.sort();
        Ok(Locked {
            display_name,
            region: RegionCode::parse(&region).map_err(|_| StoreError::Corrupt(region))?,
            unit_id,
            station_id,
            person_id,
            roles,
        })
    }

    /// Whether no account holds `role` yet (the first security administrator and auditor of a
    /// deployment are created directly, since nobody could grant them).
    async fn founding(&self, tx: &mut Tx, role: Role) -> Result<bool> {
        let (n,): (i64,) = with_tx!(tx, c => {
            sqlx::query_as("SELECT COUNT(*) FROM account_role WHERE role = $1").bind(role.as_str()).fetch_one(&mut *c).await?
        });
        Ok(n == 0)
    }

    async fn require_region(&self, code: &RegionCode) -> Result<()> {
        self.region(code).await?.map(|_| ()).ok_or(StoreError::NotFound)
    }

    /// First run: records the deployment region and creates the system administrator. Refused once any
    /// account exists.
    pub async fn bootstrap(&self, actor: &Actor, region: &RegionCode, admin: NewAccount) -> Result<i64> {
        self.require_region(region).await?;
        validate_role_set(&admin.roles)?;
        if admin.roles != [Role::SystemAdmin] {
            return Err(StoreError::Refused("首次运行只创建系统管理员".into()));
        }
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
        let id = self.insert_account(&mut tx, &admin, &admin.roles).await?;
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

    /// Creates an account inside the caller's subtree (system administrator only). Roles that read
    /// personal data, and an administrator's role (but the first security administrator's and
    /// auditor's), are only proposed: the account starts with no role and waits for the security
    /// administrator's grant (`open_requests_of` shows it).
    pub async fn create_account(&self, scope: &Scope, actor: &Actor, a: NewAccount) -> Result<i64> {
        if !scope.can(Permission::ManageAccounts) {
            return Err(StoreError::Forbidden);
        }
        validate_role_set(&a.roles)?;
        if !scope.covers(&a.region) {
            return Err(StoreError::OutOfScope);
        }
        self.require_region(&a.region).await?;
        self.check_binding(&a.region, a.unit_id, a.station_id, a.person_id)
            .await?;
        let mut tx = self.begin().await?;
        let founding = match a.roles.iter().find(|r| r.is_admin()) {
            Some(r) => self.founding(&mut tx, *r).await?,
            None => false,
        };
        let decision = admin::decide_create(party(scope), &a.roles, founding).map_err(refused)?;
        let now_roles: &[Role] = match decision {
            Decision::Now => &a.roles,
            Decision::Confirm(_) => &[],
        };
        let id = self.insert_account(&mut tx, &a, now_roles).await?;
        let detail = serde_json::json!({"username": a.username, "roles": role_codes(now_roles),
            "proposed": role_codes(&a.roles)})
        .to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::AccountCreate,
            &format!("account:{id}"),
            Some(&a.region),
            &detail,
        )
        .await?;
        if let Decision::Confirm(confirmer) = decision {
            let access = crate::account::request::Proposal {
                roles: a.roles.clone(),
                region: a.region.clone(),
                unit_id: a.unit_id,
                station_id: a.station_id,
                person_id: a.person_id,
            };
            self.write_request(
                &mut tx,
                actor,
                scope.account_id,
                id,
                &a.region,
                RequestKind::Access,
                Some(&access),
                confirmer,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Changes name, region, roles and bindings (system administrator; never one's own account, never
    /// an administrator's roles or region). A change that gives the account personal data to read
    /// waits, whole, for the security administrator's grant; the name changes at once.
    pub async fn update_account(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        ch: AccountChange,
    ) -> Result<Done> {
        if !scope.can(Permission::ManageAccounts) {
            return Err(StoreError::Forbidden);
        }
        self.account(scope, id).await?;
        if !scope.covers(&ch.region) {
            return Err(StoreError::OutOfScope);
        }
        validate_role_set(&ch.roles)?;
        self.require_region(&ch.region).await?;
        self.check_binding(&ch.region, ch.unit_id, ch.station_id, ch.person_id)
            .await?;
        let mut tx = self.begin().await?;
        let before = self.lock_account(&mut tx, id).await?;
        let mut roles = ch.roles.clone();
        roles.sort();
        roles.dedup();
        let renamed = before.display_name != ch.display_name.trim();
        let access_changed = before.roles != roles
            || before.region != ch.region
            || (before.unit_id, before.station_id, before.person_id)
                != (ch.unit_id, ch.station_id, ch.person_id);
        let change = Change {
            renamed,
            roles: (before.roles != roles).then_some(&roles[..]),
            region: (before.region != ch.region).then(|| !before.region.contains(&ch.region)),
            rebound: (before.unit_id, before.station_id, before.person_id)
                != (ch.unit_id, ch.station_id, ch.person_id),
        };
        let target = Party {
            id,
            roles: &before.roles,
        };
        let decision = admin::decide_change(party(scope), target, change).map_err(refused)?;
        if change.is_empty() {
            return Ok(Done::Applied);
        }
        if renamed {
            with_tx!(&mut tx, c => {
                sqlx::query("UPDATE account SET display_name = $1 WHERE id = $2")
                    .bind(ch.display_name.trim()).bind(id).execute(&mut *c).await?;
            });
        }
        let done = match decision {
            Decision::Confirm(confirmer) => {
                let access = crate::account::request::Proposal {
                    roles: roles.clone(),
                    region: ch.region.clone(),
                    unit_id: ch.unit_id,
                    station_id: ch.station_id,
                    person_id: ch.person_id,
                };
                let request = self
                    .write_request(
                        &mut tx,
                        actor,
                        scope.account_id,
                        id,
                        &before.region,
                        RequestKind::Access,
                        Some(&access),
                        confirmer,
                    )
                    .await?;
                Done::Requested(request)
            }
            Decision::Now => {
                if access_changed {
                    self.apply_access(
                        &mut tx,
                        id,
                        &roles,
                        &ch.region,
                        (ch.unit_id, ch.station_id, ch.person_id),
                    )
                    .await?;
                    // what was proposed before no longer fits the account
                    self.supersede(&mut tx, id, RequestKind::Access).await?;
                }
                Done::Applied
            }
        };
        if renamed || done == Done::Applied {
            let detail = serde_json::json!({"display_name": ch.display_name.trim(),
                "region": ch.region.as_str(), "roles": role_codes(&roles), "applied": done == Done::Applied,
                "before": {"display_name": before.display_name, "region": before.region.as_str(), "roles": role_codes(&before.roles)}})
            .to_string();
            self.audit(
                &mut tx,
                actor,
                AuditAction::AccountUpdate,
                &format!("account:{id}"),
                Some(&before.region),
                &detail,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// Writes roles, region and bindings, and ends the account's sessions so the new scope applies at once.
    pub(crate) async fn apply_access(
        &self,
        tx: &mut Tx,
        id: i64,
        roles: &[Role],
        region: &RegionCode,
        (unit, station, person): (Option<i64>, Option<i64>, Option<i64>),
    ) -> Result<()> {
        with_tx!(tx, c => {
            sqlx::query("UPDATE account SET region_code = $1, unit_id = $2, station_id = $3, person_id = $4 WHERE id = $5")
                .bind(region.as_str()).bind(unit).bind(station).bind(person).bind(id)
                .execute(&mut *c)
                .await?;
        });
        self.replace_roles(tx, id, roles).await?;
        self.delete_sessions_of(tx, id).await
    }

    /// Lifts a lockout (security administrator; not their own).
    pub async fn unlock_account(&self, scope: &Scope, actor: &Actor, id: i64) -> Result<()> {
        if !scope.can(Permission::ManageSecurity) {
            return Err(StoreError::Forbidden);
        }
        self.account(scope, id).await?;
        let mut tx = self.begin().await?;
        let a = self.lock_account(&mut tx, id).await?;
        self.security_step(scope, id, &a, Action::Unlock)?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE account SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                .bind(id).execute(&mut *c).await?;
        });
        self.lift_login_locks_of(&mut tx, id).await?;
        self.audit(
            &mut tx,
            actor,
            AuditAction::AccountUnlock,
            &format!("account:{id}"),
            Some(&a.region),
            "{}",
        )
        .await?;
        tx.commit().await
    }

    /// Ends every session of an account (security administrator; not their own).
    pub async fn end_sessions(&self, scope: &Scope, actor: &Actor, id: i64) -> Result<()> {
        if !scope.can(Permission::ManageSecurity) {
            return Err(StoreError::Forbidden);
        }
        self.account(scope, id).await?;
        let mut tx = self.begin().await?;
        let a = self.lock_account(&mut tx, id).await?;
        self.security_step(scope, id, &a, Action::EndSessions)?;
        self.delete_sessions_of(&mut tx, id).await?;
        self.audit(
            &mut tx,
            actor,
            AuditAction::SessionEndAll,
            &format!("account:{id}"),
            Some(&a.region),
            "{}",
        )
        .await?;
        tx.commit().await
    }

    /// The rule for the security administrator's own steps, which are never requests.
    fn security_step(&self, scope: &Scope, id: i64, a: &Locked, action: Action<'_>) -> Result<()> {
        let who = Party { id, roles: &a.roles };
        match admin::decide(party(scope), who, action).map_err(refused)? {
            Decision::Now => Ok(()),
            Decision::Confirm(_) => Err(StoreError::Conflict("request_kind")),
        }
    }
}
