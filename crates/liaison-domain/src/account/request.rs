//! Requests one administrator makes and another confirms (the security administrator's grant, the
//! two-person rule over administrators' accounts): what a request is, who may confirm, reject or
//! withdraw it, and how long it stays open. What becomes a request is `admin`'s decision.

use chrono::{DateTime, Duration, Utc};

use crate::Role;
use crate::account::admin::{Duty, Party, Refusal, check_role_set};

/// A request stays open this many days; then it can only be withdrawn or rejected.
pub const REQUEST_DAYS: i64 = 7;

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// Roles, region and bindings that give an account personal data to read (or an administrator's
    /// role on a new account): the security administrator's grant.
    Access,
    ResetPassword,
    Disable,
    Enable,
}

impl RequestKind {
    pub const ALL: [RequestKind; 4] = [
        RequestKind::Access,
        RequestKind::ResetPassword,
        RequestKind::Disable,
        RequestKind::Enable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::ResetPassword => "reset_password",
            RequestKind::Disable => "disable",
            RequestKind::Enable => "enable",
        }
    }

    pub fn parse(s: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestKind::Access => "授权角色和范围",
            RequestKind::ResetPassword => "重置密码",
            RequestKind::Disable => "停用账号",
            RequestKind::Enable => "启用账号",
        }
    }
}

/// Whether a request made at `requested_at` is past its time at `now`.
pub fn expired(requested_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - requested_at > Duration::days(REQUEST_DAYS)
}

/// May `actor` confirm a request `requester` made about account `target`, which `confirmer` confirms?
/// Never the one who asked, never the account concerned, only an account holding that role, in time.
pub fn may_confirm(
    actor: Party<'_>,
    requester: i64,
    target: i64,
    confirmer: Role,
    expired: bool,
) -> Result<(), Refusal> {
    if actor.id == requester {
        return Err(Refusal::OwnRequest);
    }
    if actor.id == target {
        return Err(Refusal::OwnAccount);
    }
    if !actor.roles.contains(&confirmer) {
        return Err(Refusal::NotTheConfirmer(confirmer));
    }
    if expired {
        return Err(Refusal::Expired);
    }
    Ok(())
}

/// May `actor` reject it: whoever may confirm it, expired or not.
pub fn may_reject(actor: Party<'_>, requester: i64, target: i64, confirmer: Role) -> Result<(), Refusal> {
    may_confirm(actor, requester, target, confirmer, false)
}

/// May `actor` withdraw it: only the one who asked.
pub fn may_withdraw(actor: Party<'_>, requester: i64) -> Result<(), Refusal> {
    if actor.id == requester {
        Ok(())
    } else {
        Err(Refusal::NotTheRequester)
    }
}

/// A grant applies the proposed roles to the account as it is now: a valid set, on a business
/// account; an administrator's role only to a new account that holds no role yet.
pub fn may_grant(current: &[Role], proposed: &[Role]) -> Result<(), Refusal> {
    check_role_set(proposed)?;
    if Duty::of(current).is_admin() {
        return Err(Refusal::AdministratorRolesFixed);
    }
    if proposed.iter().any(|r| r.is_admin()) && !current.is_empty() {
        return Err(Refusal::AdministratorRoleOnExisting);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in RequestKind::ALL {
            assert_eq!(RequestKind::parse(k.as_str()), Some(k));
            assert!(!k.label().is_ascii());
        }
        assert_eq!(RequestKind::parse("root"), None);
    }

    #[test]
    fn a_second_person_confirms() {
        let sec = Party {
            id: 2,
            roles: &[Role::SecurityAdmin],
        };
        let sys = Party {
            id: 1,
            roles: &[Role::SystemAdmin],
        };
        let aud = Party {
            id: 3,
            roles: &[Role::Auditor],
        };
        // the system administrator asked about account 9; the security administrator confirms
        assert_eq!(may_confirm(sec, 1, 9, Role::SecurityAdmin, false), Ok(()));
        assert_eq!(
            may_confirm(sys, 1, 9, Role::SecurityAdmin, false),
            Err(Refusal::OwnRequest)
        );
        assert_eq!(
            may_confirm(aud, 1, 9, Role::SecurityAdmin, false),
            Err(Refusal::NotTheConfirmer(Role::SecurityAdmin))
        );
        assert_eq!(
            may_confirm(sec, 1, 9, Role::SecurityAdmin, true),
            Err(Refusal::Expired)
        );
        // never about oneself, even if one holds the role
        assert_eq!(
            may_confirm(sec, 1, 2, Role::SecurityAdmin, false),
            Err(Refusal::OwnAccount)
        );
        // a security administrator who asked cannot confirm their own request through a second role
        assert_eq!(
            may_confirm(sec, 2, 9, Role::SecurityAdmin, false),
            Err(Refusal::OwnRequest)
        );
        assert_eq!(may_reject(sec, 1, 9, Role::SecurityAdmin), Ok(()));
        assert_eq!(may_withdraw(sys, 1), Ok(()));
        assert_eq!(may_withdraw(sec, 1), Err(Refusal::NotTheRequester));
        assert_eq!(
            Refusal::NotTheConfirmer(Role::Auditor).to_string(),
            "该申请须由审计管理员确认"
        );
    }

    #[test]
    fn requests_expire_after_a_week() {
        let t = DateTime::parse_from_rfc3339("2026-03-02T08:00:00Z")
            .unwrap()
            .to_utc();
        assert!(!expired(t, t + Duration::days(REQUEST_DAYS)));
        assert!(expired(
            t,
            t + Duration::days(REQUEST_DAYS) + Duration::seconds(1)
        ));
    }

    #[test]
    fn a_grant_fits_the_account_as_it_is() {
        assert_eq!(may_grant(&[Role::ChairMeeting], &[Role::TownshipStaff]), Ok(()));
        assert_eq!(may_grant(&[], &[Role::Auditor]), Ok(()));
        assert_eq!(
            may_grant(&[Role::ChairMeeting], &[Role::Auditor]),
            Err(Refusal::AdministratorRoleOnExisting)
        );
        assert_eq!(
            may_grant(&[Role::SystemAdmin], &[Role::TownshipStaff]),
            Err(Refusal::AdministratorRolesFixed)
        );
        assert_eq!(
            may_grant(&[], &[Role::Auditor, Role::Deputy]),
            Err(Refusal::AdministratorRoleCombined)
        );
        assert_eq!(may_grant(&[Role::Deputy], &[]), Err(Refusal::NoRole));
    }
}
