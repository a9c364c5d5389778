//! An account's password and state (disabled or not): the system administrator's for business
//! accounts, done at once; for an administrator's account a request that a second administrator
//! confirms (三员分立, `liaison_domain::account::admin`), the step itself done then (`request.rs`).

use chrono::Utc;
use liaison_domain::account::admin::{self, Action, Decision, Party};
use liaison_domain::account::request::RequestKind;
use liaison_domain::audit::AuditAction;
use liaison_domain::{Permission, RegionCode, Scope};

use super::manage::{Done, party, refused};
use crate::{Actor, Result, Store, StoreError, Tx};

impl Store {
    /// Disables or re-enables an account: the system administrator's for business accounts; for an
    /// administrator's account a request another administrator confirms. Disabling ends its sessions.
    pub async fn set_disabled(&self, scope: &Scope, actor: &Actor, id: i64, disabled: bool) -> Result<Done> {
        let (action, kind) = if disabled {
            (Action::Disable, RequestKind::Disable)
        } else {
            (Action::Enable, RequestKind::Enable)
        };
        self.credential_step(scope, actor, id, action, kind, None).await
    }

    /// Sets a temporary password that must be changed at next login: the system administrator's for
    /// business accounts; for an administrator's account a request, and the administrator who confirms
    /// it sets the password (`confirm_request`).
    pub async fn reset_password(&self, scope: &Scope, actor: &Actor, id: i64, hash: &str) -> Result<Done> {
        self.credential_step(
            scope,
            actor,
            id,
            Action::ResetPassword,
            RequestKind::ResetPassword,
            Some(hash),
        )
        .await
    }

    async fn credential_step(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        action: Action<'_>,
        kind: RequestKind,
        hash: Option<&str>,
    ) -> Result<Done> {
        if !scope.can(Permission::ManageAccounts) && !scope.can(Permission::ManageSecurity) {
            return Err(StoreError::Forbidden);
        }
        self.account(scope, id).await?;
        let mut tx = self.begin().await?;
        let target = self.lock_account(&mut tx, id).await?;
        let who = Party {
            id,
            roles: &target.roles,
        };
        let done = match admin::decide(party(scope), who, action).map_err(refused)? {
            Decision::Confirm(confirmer) => Done::Requested(
                self.write_request(
                    &mut tx,
                    actor,
                    scope.account_id,
                    id,
                    &target.region,
                    kind,
                    None,
                    confirmer,
                )
                .await?,
            ),
            Decision::Now => {
                self.apply_credential(&mut tx, actor, id, &target.region, kind, hash, "{}")
                    .await?;
                Done::Applied
            }
        };
        tx.commit().await?;
        Ok(done)
    }

    /// Resets the password, disables or enables, with its audit row (`detail` names the request, if one).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn apply_credential(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        id: i64,
        region: &RegionCode,
        kind: RequestKind,
        hash: Option<&str>,
        detail: &str,
    ) -> Result<()> {
        let action = match kind {
            RequestKind::ResetPassword => {
                let hash = hash.ok_or(StoreError::Conflict("password"))?;
                with_tx!(tx, c => {
                    sqlx::query(
                        "UPDATE account SET password_hash = $1, must_change_password = TRUE, password_changed_at = $2, \
                         failed_logins = 0, locked_until = NULL WHERE id = $3",
                    )
                    .bind(hash).bind(Utc::now()).bind(id).execute(&mut *c).await?;
                });
                self.lift_login_locks_of(tx, id).await?;
                self.delete_sessions_of(tx, id).await?;
                AuditAction::AccountResetPassword
            }
            RequestKind::Disable | RequestKind::Enable => {
                let disabled = kind == RequestKind::Disable;
                with_tx!(tx, c => {
                    sqlx::query("UPDATE account SET disabled = $1 WHERE id = $2").bind(disabled).bind(id).execute(&mut *c).await?;
                });
                if disabled {
                    self.delete_sessions_of(tx, id).await?;
                    AuditAction::AccountDisable
                } else {
                    AuditAction::AccountEnable
                }
            }
            RequestKind::Access => return Err(StoreError::Conflict("request_kind")),
        };
        self.audit(tx, actor, action, &format!("account:{id}"), Some(region), detail)
            .await
    }
}
