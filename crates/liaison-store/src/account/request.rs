//! Requests one administrator makes and another confirms (三员分立): the security administrator's grant
//! of proposed roles, region and bindings, and the two-person rule over administrators' passwords and
//! state. A request is written with its audit row in the asker's transaction and changes nothing; it
//! is confirmed, rejected or withdrawn in the decider's, with the rule checked again against the
//! account as it is then (its row locked).

use chrono::{DateTime, Utc};
use liaison_domain::account::admin::{self, Action, Decision, Party, Refusal};
use liaison_domain::account::request::{self as rule, RequestKind};
use liaison_domain::audit::AuditAction;
use liaison_domain::{Permission, RegionCode, Role, Scope};
use serde::Serialize;

use super::manage::{party, refused, role_codes};
use crate::{Actor, Result, Store, StoreError, Tx};

/// Access proposed for an account: what a grant applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub roles: Vec<Role>,
    pub region: RegionCode,
    pub unit_id: Option<i64>,
    pub station_id: Option<i64>,
    pub person_id: Option<i64>,
}

/// An open request, with the names the pages show.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AccountRequest {
    pub id: i64,
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    /// The account's region now.
    pub account_region: String,
    pub kind: String,
    /// Access: the proposed roles, comma-separated codes.
    pub roles: String,
    /// Access: the proposed region, and its name.
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    pub unit_id: Option<i64>,
    pub station_id: Option<i64>,
    pub person_id: Option<i64>,
    pub confirmer_role: String,
    pub requested_by: i64,
    /// The asker's username.
    pub requester: String,
    pub requested_at: DateTime<Utc>,
}

impl AccountRequest {
    pub fn kind(&self) -> Option<RequestKind> {
        RequestKind::parse(&self.kind)
    }

    pub fn kind_label(&self) -> &'static str {
        self.kind().map_or("其他申请", RequestKind::label)
    }

    pub fn proposed_roles(&self) -> Vec<Role> {
        self.roles
            .split(',')
            .filter_map(|r| Role::parse(r).ok())
            .collect()
    }

    pub fn confirmer(&self) -> Option<Role> {
        Role::parse(&self.confirmer_role).ok()
    }

    pub fn confirmer_label(&self) -> &'static str {
        self.confirmer().map_or("", Role::label)
    }

    pub fn expired_at(&self, now: DateTime<Utc>) -> bool {
        rule::expired(self.requested_at, now)
    }

    /// Confirming it sets a temporary password, shown to the one who confirms: a reset, or an
    /// administrator's role granted to a new account.
    pub fn sets_password(&self) -> bool {
        match self.kind() {
            Some(RequestKind::ResetPassword) => true,
            Some(RequestKind::Access) => self.proposed_roles().iter().any(|r| r.is_admin()),
            _ => false,
        }
    }
}

/// How an open request ends without being confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    /// By whoever may confirm it.
    Reject,
    /// By the one who asked.
    Withdraw,
}

/// What a confirmation did.
#[derive(Debug, Clone)]
pub struct Confirmed {
    pub account_id: i64,
    pub username: String,
    pub kind: RequestKind,
    /// A temporary password was set (the caller shows it to the one who confirmed, once).
    pub password_set: bool,
}

/// (id, account, kind, roles, region, unit, station, person, confirmer, requested_by, requester,
/// requested_at, outcome)
type RequestRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    i64,
    String,
    DateTime<Utc>,
    Option<String>,
);

const OPEN_SELECT: &str = "SELECT q.id, q.account_id, a.username, a.display_name, a.region_code AS account_region, \
     q.kind, q.roles, q.region_code, r.name AS region_name, q.unit_id, q.station_id, q.person_id, \
     q.confirmer_role, q.requested_by, b.username AS requester, q.requested_at \
     FROM account_request q JOIN account a ON a.id = q.account_id JOIN account b ON b.id = q.requested_by \
     LEFT JOIN region r ON r.code = q.region_code \
     WHERE q.outcome IS NULL AND a.region_code BETWEEN $1 AND $2 AND ($3 IS NULL OR q.account_id = $3) \
     AND ($4 IS NULL OR q.id = $4) \
     ORDER BY q.id LIMIT 500";

fn codes(roles: &[Role]) -> String {
    role_codes(roles).join(",")
}

impl Store {
    /// Writes a request (replacing an open one of the same kind on the same account, unless it asks
    /// for the same thing) and its audit row; returns its id.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn write_request(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        requested_by: i64,
        account: i64,
        region: &RegionCode,
        kind: RequestKind,
        proposal: Option<&Proposal>,
        confirmer: Role,
    ) -> Result<i64> {
        let (roles, to_region, unit, station, person) = match proposal {
            Some(p) => (
                codes(&p.roles),
                Some(p.region.as_str().to_owned()),
                p.unit_id,
                p.station_id,
                p.person_id,
            ),
            None => (String::new(), None, None, None, None),
        };
        type Open = (
            i64,
            String,
            Option<String>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            i64,
        );
        let open: Option<Open> = with_tx!(tx, c => {
            sqlx::query_as(
                "SELECT id, roles, region_code, unit_id, station_id, person_id, requested_by FROM account_request \
                 WHERE account_id = $1 AND kind = $2 AND outcome IS NULL",
            )
            .bind(account).bind(kind.as_str()).fetch_optional(&mut *c).await?
        });
        if let Some((id, ..)) = open.as_ref().filter(|o| {
            (&o.1, &o.2, o.3, o.4, o.5, o.6) == (&roles, &to_region, unit, station, person, requested_by)
        }) {
            return Ok(*id);
        }
        self.supersede(tx, account, kind).await?;
        let (id,): (i64,) = with_tx!(tx, c => {
            sqlx::query_as(
                "INSERT INTO account_request (account_id, kind, roles, region_code, unit_id, station_id, person_id, \
                 confirmer_role, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(account).bind(kind.as_str()).bind(&roles).bind(&to_region).bind(unit).bind(station).bind(person)
            .bind(confirmer.as_str()).bind(requested_by).bind(Utc::now())
            .fetch_one(&mut *c)
            .await?
        });
        let mut detail =
            serde_json::json!({"request": id, "kind": kind.as_str(), "confirmer": confirmer.as_str()});
        if let Some(p) = proposal {
            detail["roles"] = serde_json::json!(role_codes(&p.roles));
            detail["region"] = serde_json::json!(p.region.as_str());
        }
        self.audit(
            tx,
            actor,
            AuditAction::AccountRequest,
            &format!("account:{account}"),
            Some(region),
            &detail.to_string(),
        )
        .await?;
        Ok(id)
    }

    /// Closes the open request of `kind` on an account, if any, as replaced.
    pub(crate) async fn supersede(&self, tx: &mut Tx, account: i64, kind: RequestKind) -> Result<()> {
        with_tx!(tx, c => {
            sqlx::query(
                "UPDATE account_request SET outcome = 'superseded', decided_at = $1 \
                 WHERE account_id = $2 AND kind = $3 AND outcome IS NULL",
            )
            .bind(Utc::now()).bind(account).bind(kind.as_str()).execute(&mut *c).await?;
        });
        Ok(())
    }

    async fn open_request_rows(
        &self,
        scope: &Scope,
        account: Option<i64>,
        id: Option<i64>,
    ) -> Result<Vec<AccountRequest>> {
        if !scope.can(Permission::ConfirmAccountRequests) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = scope.range();
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, AccountRequest>(OPEN_SELECT)
                .bind(&lo).bind(&hi).bind(account).bind(id).fetch_all(p).await?
        }))
    }

    /// The open requests on accounts of the caller's subtree, oldest first (any of the three
    /// administrators; who may decide which is the rule's, see `liaison_domain::account::request`).
    pub async fn open_requests(&self, scope: &Scope) -> Result<Vec<AccountRequest>> {
        self.open_request_rows(scope, None, None).await
    }

    /// One open request on an account of the caller's subtree (`NotFound` otherwise, or once decided).
    pub async fn open_request(&self, scope: &Scope, id: i64) -> Result<AccountRequest> {
        self.open_request_rows(scope, None, Some(id))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// The open requests on one account of the caller's subtree.
    pub async fn open_requests_of(&self, scope: &Scope, account: i64) -> Result<Vec<AccountRequest>> {
        self.open_request_rows(scope, Some(account), None).await
    }

    /// Locks an open request's row and reads it; `NotFound`, or `Conflict("request_closed")` once decided.
    async fn lock_request(&self, tx: &mut Tx, id: i64) -> Result<RequestRow> {
        let row: Option<RequestRow> = with_tx!(tx, c => {
            sqlx::query("UPDATE account_request SET outcome = outcome WHERE id = $1").bind(id).execute(&mut *c).await?;
            sqlx::query_as(
                "SELECT q.id, q.account_id, q.kind, q.roles, q.region_code, q.unit_id, q.station_id, q.person_id, \
                 q.confirmer_role, q.requested_by, b.username, q.requested_at, q.outcome \
                 FROM account_request q JOIN account b ON b.id = q.requested_by WHERE q.id = $1",
            )
            .bind(id).fetch_optional(&mut *c).await?
        });
        let row = row.ok_or(StoreError::NotFound)?;
        if row.12.is_some() {
            return Err(StoreError::Conflict("request_closed"));
        }
        Ok(row)
    }

    async fn mark(&self, tx: &mut Tx, id: i64, outcome: &str, by: i64) -> Result<()> {
        with_tx!(tx, c => {
            sqlx::query("UPDATE account_request SET outcome = $1, decided_by = $2, decided_at = $3 WHERE id = $4")
                .bind(outcome).bind(by).bind(Utc::now()).bind(id).execute(&mut *c).await?;
        });
        Ok(())
    }

    /// Confirms a request as the administrator the rule names (never the one who asked, never the
    /// account's own holder): grants the proposed access, or resets the password (to `password_hash`,
    /// which must be given then; also when an administrator's role is granted to a new account),
    /// disables or enables. Audited as the action itself, naming the request and who asked.
    pub async fn confirm_request(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        password_hash: Option<&str>,
    ) -> Result<Confirmed> {
        if !scope.can(Permission::ConfirmAccountRequests) {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.begin().await?;
        let (
            _,
            account,
            kind,
            roles,
            to_region,
            unit,
            station,
            person,
            confirmer,
            requested_by,
            requester,
            at,
            _,
        ) = self.lock_request(&mut tx, id).await?;
        let target = self.lock_account(&mut tx, account).await?;
        if !scope.covers(&target.region) {
            return Err(StoreError::OutOfScope);
        }
        let kind = RequestKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(kind.clone()))?;
        let confirmer = Role::parse(&confirmer)?;
        rule::may_confirm(
            party(scope),
            requested_by,
            account,
            confirmer,
            rule::expired(at, Utc::now()),
        )
        .map_err(refused)?;
        let username: (String,) = with_tx!(&mut tx, c => {
            sqlx::query_as("SELECT username FROM account WHERE id = $1").bind(account).fetch_one(&mut *c).await?
        });
        let mut password_set = false;
        match kind {
            RequestKind::Access => {
                let proposed: Vec<Role> = roles
                    .split(',')
                    .filter(|r| !r.is_empty())
                    .map(Role::parse)
                    .collect::<std::result::Result<_, _>>()?;
                let region = match to_region {
                    Some(r) => RegionCode::parse(&r).map_err(|_| StoreError::Corrupt(r))?,
                    None => target.region.clone(),
                };
                if !scope.covers(&region) {
                    return Err(StoreError::OutOfScope);
                }
                rule::may_grant(&target.roles, &proposed).map_err(refused)?;
                self.check_binding(&region, unit, station, person).await?;
                if proposed.iter().any(|r| r.is_admin()) {
                    let hash = password_hash.ok_or(StoreError::Conflict("password"))?;
                    with_tx!(&mut tx, c => {
                        sqlx::query(
                            "UPDATE account SET password_hash = $1, must_change_password = TRUE, password_changed_at = $2, \
                             failed_logins = 0, locked_until = NULL WHERE id = $3",
                        )
                        .bind(hash).bind(Utc::now()).bind(account).execute(&mut *c).await?;
                    });
                    password_set = true;
                }
                self.apply_access(&mut tx, account, &proposed, &region, (unit, station, person))
                    .await?;
                let detail = serde_json::json!({"request": id, "requested_by": requester,
                    "roles": role_codes(&proposed), "region": region.as_str(),
                    "before": {"roles": role_codes(&target.roles), "region": target.region.as_str()}})
                .to_string();
                self.audit(
                    &mut tx,
                    actor,
                    AuditAction::AccountGrant,
                    &format!("account:{account}"),
                    Some(&target.region),
                    &detail,
                )
                .await?;
            }
            RequestKind::ResetPassword | RequestKind::Disable | RequestKind::Enable => {
                // still what the rule asks for, between these two accounts as they are now
                let asker: Vec<(String,)> = with_tx!(&mut tx, c => {
                    sqlx::query_as("SELECT role FROM account_role WHERE account_id = $1")
                        .bind(requested_by).fetch_all(&mut *c).await?
                });
                let asker: Vec<Role> = asker.iter().filter_map(|(r,)| Role::parse(r).ok()).collect();
                let action = match kind {
                    RequestKind::ResetPassword => Action::ResetPassword,
                    RequestKind::Disable => Action::Disable,
                    _ => Action::Enable,
                };
                let asked = Party {
                    id: requested_by,
                    roles: &asker,
                };
                let concerned = Party {
                    id: account,
                    roles: &target.roles,
                };
                if admin::decide(asked, concerned, action) != Ok(Decision::Confirm(confirmer)) {
                    return Err(refused(Refusal::Stale));
                }
                let detail = serde_json::json!({"request": id, "requested_by": requester}).to_string();
                self.apply_credential(
                    &mut tx,
                    actor,
                    account,
                    &target.region,
                    kind,
                    password_hash,
                    &detail,
                )
                .await?;
                password_set = kind == RequestKind::ResetPassword;
            }
        }
        self.mark(&mut tx, id, "confirmed", scope.account_id).await?;
        tx.commit().await?;
        Ok(Confirmed {
            account_id: account,
            username: username.0,
            kind,
            password_set,
        })
    }

    /// Rejects (whoever may confirm it) or withdraws (the one who asked) an open request; audited.
    /// Returns the account it was about.
    pub async fn close_request(&self, scope: &Scope, actor: &Actor, id: i64, how: Close) -> Result<i64> {
        if !scope.can(Permission::ConfirmAccountRequests) {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.begin().await?;
        let (_, account, kind, .., confirmer, requested_by, _, _, _) = self.lock_request(&mut tx, id).await?;
        let target = self.lock_account(&mut tx, account).await?;
        if !scope.covers(&target.region) {
            return Err(StoreError::OutOfScope);
        }
        let confirmer = Role::parse(&confirmer)?;
        let (outcome, action) = match how {
            Close::Reject => {
                rule::may_reject(party(scope), requested_by, account, confirmer).map_err(refused)?;
                ("rejected", AuditAction::AccountRequestReject)
            }
            Close::Withdraw => {
                rule::may_withdraw(party(scope), requested_by).map_err(refused)?;
                ("withdrawn", AuditAction::AccountRequestWithdraw)
            }
        };
        self.mark(&mut tx, id, outcome, scope.account_id).await?;
        let detail = serde_json::json!({"request": id, "kind": kind}).to_string();
        self.audit(
            &mut tx,
            actor,
            action,
            &format!("account:{account}"),
            Some(&target.region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(account)
    }
}
