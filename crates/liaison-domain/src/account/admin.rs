//! 三员分立 (GB/T 22239-2019, level 3: 系统管理员, 安全管理员, 审计管理员): who may do what to whose
//! account in account management. One pure table; the store applies it inside the write transaction,
//! with the target's roles read there, and the pages offer only what it allows. The rule in prose, with
//! its reasons and the first run, is docs/ADMINISTRATORS.md.
//!
//! - Nobody acts on their own account here (one's own password is changed on 我的账号).
//! - An administrator account holds one administrator role and nothing else, fixed when it is created;
//!   its region is fixed too, and it answers for no unit, station or deputy.
//! - The system administrator keeps business accounts: creates them, renames them, sets their roles,
//!   region and bindings, resets their passwords, disables and enables them. Whatever gives an account
//!   personal data to read (a role that reads it, or another region or binding for such a role) is
//!   only proposed: it takes effect when the security administrator grants it.
//! - The security administrator grants, unlocks and ends sessions; it keeps no account alone.
//! - An administrator account's password, disabling and enabling: one of the two other administrators
//!   asks, the third confirms (the auditor only ever confirms). Two administrators of the same duty
//!   never manage each other.
//! - A new administrator account: the system administrator proposes, the security administrator
//!   grants; only the first security administrator and the first auditor of a deployment are created
//!   directly (`founding`), since nobody could grant them.

use thiserror::Error;

use crate::Role;

/// Which of the three administrators an account is, or none (a business account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Duty {
    Business,
    System,
    Security,
    Audit,
}

impl Duty {
    /// The duty of a set of roles. A set mixing an administrator role with others (which no rule here
    /// lets anyone make, but older data may hold) counts as that administrator.
    pub fn of(roles: &[Role]) -> Duty {
        if roles.contains(&Role::SystemAdmin) {
            Duty::System
        } else if roles.contains(&Role::SecurityAdmin) {
            Duty::Security
        } else if roles.contains(&Role::Auditor) {
            Duty::Audit
        } else {
            Duty::Business
        }
    }

    /// The administrator role of the duty.
    pub fn role(self) -> Option<Role> {
        match self {
            Duty::Business => None,
            Duty::System => Some(Role::SystemAdmin),
            Duty::Security => Some(Role::SecurityAdmin),
            Duty::Audit => Some(Role::Auditor),
        }
    }

    pub fn is_admin(self) -> bool {
        self != Duty::Business
    }
}

/// Who acts, or whose account it is: the account id and its roles (the target's as stored now).
#[derive(Debug, Clone, Copy)]
pub struct Party<'a> {
    pub id: i64,
    pub roles: &'a [Role],
}

/// What is done to an existing account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// The display name.
    Rename,
    /// The roles, to this set.
    SetRoles {
        to: &'a [Role],
    },
    /// The region; `widens`: the new region is not inside the old one (wider, or elsewhere).
    ChangeRegion {
        widens: bool,
    },
    /// The unit, station or deputy the account answers for.
    Rebind,
    ResetPassword,
    Disable,
    Enable,
    Unlock,
    EndSessions,
}

/// What the rule lets the actor do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The actor does it alone, now.
    Now,
    /// It is written as a request that an account holding this role, other than the one asking,
    /// confirms (`request::may_confirm`); nothing changes until then.
    Confirm(Role),
}

/// Why the rule refuses; the text is what the administrator reads, next to the field it concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Refusal {
    #[error("只有管理员可以管理账号")]
    NotAnAdministrator,
    #[error("不能在账号管理中操作本人账号：本人密码请在“我的账号”中修改，其他变更请由另一位管理员办理")]
    OwnAccount,
    #[error("审计管理员只查看审计日志和确认其他管理员的申请，不管理账号")]
    AuditorKeepsNoAccounts,
    #[error("新建账号、修改账号信息和角色由系统管理员办理")]
    SystemAdministratorsDuty,
    #[error("解除锁定、强制下线由安全管理员办理")]
    SecurityAdministratorsDuty,
    #[error("业务账号的密码重置、停用和启用由系统管理员办理")]
    BusinessCredentials,
    #[error(
        "管理员账号的密码重置、停用和启用须由另外两类管理员中的一位提出、另一位确认，同类管理员之间不能互相办理"
    )]
    SameDuty,
    #[error("管理员账号的角色在创建时确定，不能更改；如需更换，请停用该账号并新建账号")]
    AdministratorRolesFixed,
    #[error("管理员角色只能在新建账号时设定，不能加给已有账号")]
    AdministratorRoleOnExisting,
    #[error("管理员账号的所属行政区在创建时确定，不能更改")]
    AdministratorRegionFixed,
    #[error("管理员账号不关联承办单位、站点或代表")]
    AdministratorUnbound,
    #[error("三员分立：管理员账号只担任一个管理员角色，不兼任其他角色")]
    AdministratorRoleCombined,
    #[error("账号至少需要一个角色")]
    NoRole,
    #[error("提出申请的管理员不能自己确认，须由另一位管理员确认")]
    OwnRequest,
    #[error("该申请须由{}确认", .0.label())]
    NotTheConfirmer(Role),
    #[error(
        "该申请提出已超过 {} 天，已失效，请重新提出",
        crate::account::request::REQUEST_DAYS
    )]
    Expired,
    #[error("只有提出申请的管理员可以撤回")]
    NotTheRequester,
    #[error("账号情况已变化，该申请不再适用，请重新提出")]
    Stale,
}

impl Refusal {
    /// The form field the refusal is about (`roles`, `region`, `binding`), if one.
    pub fn field(self) -> Option<&'static str> {
        match self {
            Refusal::AdministratorRolesFixed
            | Refusal::AdministratorRoleOnExisting
            | Refusal::AdministratorRoleCombined
            | Refusal::NoRole => Some("roles"),
            Refusal::AdministratorRegionFixed => Some("region"),
            Refusal::AdministratorUnbound => Some("binding"),
            _ => None,
        }
    }
}

/// A role set as it may be stored: at least one role, an administrator role alone.
pub fn check_role_set(roles: &[Role]) -> Result<(), Refusal> {
    if roles.is_empty() {
        return Err(Refusal::NoRole);
    }
    if roles.iter().any(|r| r.is_admin()) && roles.len() > 1 {
        return Err(Refusal::AdministratorRoleCombined);
    }
    Ok(())
}

fn reads_personal_data(roles: &[Role]) -> bool {
    roles.iter().any(|r| r.reads_personal_data())
}

/// Who may act on accounts at all: the system and security administrators (the auditor only confirms).
fn keeper(actor: Party<'_>) -> Result<Duty, Refusal> {
    match Duty::of(actor.roles) {
        Duty::Business => Err(Refusal::NotAnAdministrator),
        Duty::Audit => Err(Refusal::AuditorKeepsNoAccounts),
        d => Ok(d),
    }
}

/// Creating an account with `roles`. `founding`: no account of the deployment holds the administrator
/// role asked for yet.
pub fn decide_create(actor: Party<'_>, roles: &[Role], founding: bool) -> Result<Decision, Refusal> {
    if keeper(actor)? != Duty::System {
        return Err(Refusal::SystemAdministratorsDuty);
    }
    check_role_set(roles)?;
    match roles.iter().find(|r| r.is_admin()) {
        Some(Role::SecurityAdmin | Role::Auditor) if founding => Ok(Decision::Now),
        Some(_) => Ok(Decision::Confirm(Role::SecurityAdmin)),
        None if reads_personal_data(roles) => Ok(Decision::Confirm(Role::SecurityAdmin)),
        None => Ok(Decision::Now),
    }
}

/// One action on an existing account. For `ChangeRegion` and `Rebind`, `target.roles` are the roles
/// the account will hold (see [`decide_change`]).
pub fn decide(actor: Party<'_>, target: Party<'_>, action: Action<'_>) -> Result<Decision, Refusal> {
    let me = keeper(actor)?;
    if actor.id == target.id {
        return Err(Refusal::OwnAccount);
    }
    let them = Duty::of(target.roles);
    match action {
        Action::Unlock | Action::EndSessions => match me {
            Duty::Security => Ok(Decision::Now),
            _ => Err(Refusal::SecurityAdministratorsDuty),
        },
        Action::ResetPassword | Action::Disable | Action::Enable => credentials(me, them),
        _ if me != Duty::System => Err(Refusal::SystemAdministratorsDuty),
        Action::Rename => Ok(Decision::Now),
        Action::SetRoles { to } => {
            if them.is_admin() {
                return Err(Refusal::AdministratorRolesFixed);
            }
            check_role_set(to)?;
            if to.iter().any(|r| r.is_admin()) {
                return Err(Refusal::AdministratorRoleOnExisting);
            }
            let added_reader = to
                .iter()
                .any(|r| !target.roles.contains(r) && r.reads_personal_data());
            Ok(grant_if(added_reader))
        }
        Action::ChangeRegion { widens } => {
            if them.is_admin() {
                return Err(Refusal::AdministratorRegionFixed);
            }
            Ok(grant_if(widens && reads_personal_data(target.roles)))
        }
        Action::Rebind => {
            if them.is_admin() {
                return Err(Refusal::AdministratorUnbound);
            }
            Ok(grant_if(reads_personal_data(target.roles)))
        }
    }
}

fn grant_if(needed: bool) -> Decision {
    if needed {
        Decision::Confirm(Role::SecurityAdmin)
    } else {
        Decision::Now
    }
}

/// Password, disabling, enabling: the system administrator's for business accounts; for an
/// administrator's account, asked by one of the two other duties and confirmed by the third.
fn credentials(me: Duty, them: Duty) -> Result<Decision, Refusal> {
    match (me, them) {
        (Duty::System, Duty::Business) => Ok(Decision::Now),
        (_, Duty::Business) => Err(Refusal::BusinessCredentials),
        (me, them) if me == them => Err(Refusal::SameDuty),
        (me, them) => {
            let third = [Duty::System, Duty::Security, Duty::Audit]
                .into_iter()
                .find(|d| *d != me && *d != them)
                .and_then(Duty::role);
            third.map(Decision::Confirm).ok_or(Refusal::SameDuty)
        }
    }
}

/// An edit of an account from its form, in parts: each part that changes is one action.
#[derive(Debug, Clone, Copy, Default)]
pub struct Change<'a> {
    pub renamed: bool,
    /// The new roles, when they differ from the stored ones.
    pub roles: Option<&'a [Role]>,
    /// When the region changes: whether the new one is not inside the old one.
    pub region: Option<bool>,
    /// The unit, station or deputy changes.
    pub rebound: bool,
}

impl Change<'_> {
    pub fn is_empty(&self) -> bool {
        !self.renamed && self.roles.is_none() && self.region.is_none() && !self.rebound
    }
}

/// The whole edit: refused if any part is; to be confirmed if any part needs it; otherwise now.
pub fn decide_change(actor: Party<'_>, target: Party<'_>, change: Change<'_>) -> Result<Decision, Refusal> {
    keeper(actor)?;
    if actor.id == target.id {
        return Err(Refusal::OwnAccount);
    }
    let after = Party {
        id: target.id,
        roles: change.roles.unwrap_or(target.roles),
    };
    let mut steps: Vec<(Party<'_>, Action<'_>)> = Vec::new();
    if change.renamed {
        steps.push((target, Action::Rename));
    }
    if let Some(to) = change.roles {
        steps.push((target, Action::SetRoles { to }));
    }
    if let Some(widens) = change.region {
        steps.push((after, Action::ChangeRegion { widens }));
    }
    if change.rebound {
        steps.push((after, Action::Rebind));
    }
    let mut out = Decision::Now;
    for (t, a) in steps {
        if let Decision::Confirm(r) = decide(actor, t, a)? {
            out = Decision::Confirm(r);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
