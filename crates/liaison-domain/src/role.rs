//! Roles (角色) and what each may do. A role is held by an account within the account's region subtree.

use serde::{Deserialize, Serialize};

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 选联工委 / 代表工委: the deputy-affairs committee of a county (or city, province) congress.
    CommitteeStaff,
    /// 乡镇人大主席团 / 人大办 staff.
    TownshipStaff,
    /// 室长 / 联络员 of one station.
    StationManager,
    /// 人大代表.
    Deputy,
    /// 承办单位: answers assigned items for one handling unit.
    HandlingUnit,
    /// 主任会议: final approval of ratings and grades.
    ChairMeeting,
    /// 系统管理员: accounts (roles that read personal data wait for the security administrator's grant).
    SystemAdmin,
    /// 安全管理员: security policy, lockouts, sessions, and the grant of roles that read personal data.
    SecurityAdmin,
    /// 审计管理员: reads the audit log (and confirms other administrators' credential requests).
    Auditor,
}

/// Things a role can be allowed to do. Handlers ask for a permission, never for a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See the staff workbench and browse the region tree of one's subtree.
    ViewWorkbench,
    /// Create accounts, grant roles, disable accounts.
    ManageAccounts,
    /// Change the password policy, unlock accounts, end sessions.
    ManageSecurity,
    /// Read the audit log.
    ReadAudit,
    /// See stations, deputies and handling units of one's subtree.
    ViewRegistry,
    /// Create, edit, close stations; register deputies and units; import from Excel; print cards.
    ManageRegistry,
    /// See deputies' and station staff's phone numbers (each read is audited).
    ReadContacts,
    /// Enter the yearly public-holiday arrangement of the working-day calendar. Committee staff hold it
    /// everywhere, but the store lets only those of the deployment's top region or of a county use it.
    ManageCalendar,
    /// See the SMS outbox of one's region (numbers masked) and send a failed message again.
    ManageSms,
    /// Handle the opinions of one's region: register, assign, supervise, follow up, publish.
    HandleRegionOpinions,
    /// Handle the opinions of one's own station (a station manager).
    HandleStationOpinions,
    /// Act on opinions a township passed up to the county (上报县级).
    HandleEscalatedOpinions,
    /// Answer the opinions that reached oneself as a deputy (the account's person).
    AnswerAsDeputy,
    /// Answer the opinions and suggestions assigned to one's handling unit.
    AnswerAsUnit,
    /// See the administrators' pending account requests and confirm or reject the ones the rule
    /// (`account::admin`) gives one: each of the three administrators takes part in the two-person rule.
    ConfirmAccountRequests,
    /// See the figures of one's region (items received, closed, overdue, ratings; counts only, no
    /// personal data) on the home page, township by township.
    ViewFigures,
    /// Handle the suggestions and motions of the congresses in one's region: register, return,
    /// assign, enter paper co-signatures and ratings, supervise (the office).
    HandleSuggestions,
    /// Raise suggestions and motions, co-sign others' and rate the replies (a deputy, as the account's
    /// person).
    ProposeSuggestions,
    /// Keep the livelihood projects (民生实事) of one's region: candidates, the vote's count, the
    /// assignment, deputies' inspections and the year-end test.
    HandleProjects,
    /// Handle the standing committee's review opinions (审议意见) of one's region: send them to the
    /// bodies, return or examine their reports, enter the satisfaction tests (the committee's office;
    /// a township congress has no standing committee).
    HandleReviews,
}

impl Permission {
    pub const ALL: [Permission; 20] = [
        Permission::ViewWorkbench,
        Permission::ManageAccounts,
        Permission::ManageSecurity,
        Permission::ReadAudit,
        Permission::ViewRegistry,
        Permission::ManageRegistry,
        Permission::ReadContacts,
        Permission::ManageCalendar,
        Permission::ManageSms,
        Permission::HandleRegionOpinions,
        Permission::HandleStationOpinions,
        Permission::HandleEscalatedOpinions,
        Permission::AnswerAsDeputy,
        Permission::AnswerAsUnit,
        Permission::ConfirmAccountRequests,
        Permission::ViewFigures,
        Permission::HandleSuggestions,
        Permission::ProposeSuggestions,
        Permission::HandleProjects,
        Permission::HandleReviews,
    ];

    /// Whether holding it lets an account read someone's personal data: deputies' and staff's phones,
    /// or citizens' names and phones on the items it handles or answers (a unit's only with the
    /// citizen's consent, a deputy's only of the items sent to them, but personal data all the same).
    pub fn reads_personal_data(self) -> bool {
        use Permission::*;
        matches!(
            self,
            ReadContacts
                | HandleRegionOpinions
                | HandleStationOpinions
                | HandleEscalatedOpinions
                | AnswerAsDeputy
                | AnswerAsUnit
        )
    }
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::CommitteeStaff,
        Role::TownshipStaff,
        Role::StationManager,
        Role::Deputy,
        Role::HandlingUnit,
        Role::ChairMeeting,
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::CommitteeStaff => "committee_staff",
            Role::TownshipStaff => "township_staff",
            Role::StationManager => "station_manager",
            Role::Deputy => "deputy",
            Role::HandlingUnit => "handling_unit",
            Role::ChairMeeting => "chair_meeting",
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::Auditor => "auditor",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::CommitteeStaff => "代表联络工作委员会",
            Role::TownshipStaff => "乡镇人大",
            Role::StationManager => "站室负责人（室长/联络员）",
            Role::Deputy => "人大代表",
            Role::HandlingUnit => "承办单位",
            Role::ChairMeeting => "主任会议",
            Role::SystemAdmin => "系统管理员",
            Role::SecurityAdmin => "安全管理员",
            Role::Auditor => "审计管理员",
        }
    }

    pub fn parse(s: &str) -> Result<Role, DomainError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| DomainError::UnknownRole(s.chars().take(40).collect()))
    }

    pub fn is_admin(self) -> bool {
        matches!(self, Role::SystemAdmin | Role::SecurityAdmin | Role::Auditor)
    }

    /// Whether the role lets its account read someone's personal data: the system administrator may
    /// propose it, but only the security administrator's grant makes it take effect (三员分立).
    pub fn reads_personal_data(self) -> bool {
        Permission::ALL
            .into_iter()
            .any(|p| p.reads_personal_data() && self.permits(p))
    }

    /// The permission table. Administrators hold only their own duty (三员分立): the system
    /// administrator cannot read the audit log, the auditor changes nothing but takes part, as the
    /// second person, in the two-person rule over the other administrators' accounts. The system
    /// administrator also keeps the working-day calendar (system data, neither security nor audit)
    /// and watches the SMS delivery (system operation).
    pub fn permits(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::SystemAdmin => matches!(
                p,
                ManageAccounts | ManageCalendar | ManageSms | ConfirmAccountRequests
            ),
            Role::SecurityAdmin => matches!(p, ManageSecurity | ConfirmAccountRequests),
            Role::Auditor => matches!(p, ReadAudit | ConfirmAccountRequests),
            Role::CommitteeStaff => matches!(
                p,
                ViewWorkbench
                    | ViewRegistry
                    | ManageRegistry
                    | ReadContacts
                    | ManageCalendar
                    | HandleRegionOpinions
                    | HandleEscalatedOpinions
                    | ViewFigures
                    | HandleSuggestions
                    | HandleProjects
                    | HandleReviews
            ),
            Role::TownshipStaff => matches!(
                p,
                ViewWorkbench
                    | ViewRegistry
                    | ManageRegistry
                    | ReadContacts
                    | HandleRegionOpinions
                    | ViewFigures
                    | HandleSuggestions
                    | HandleProjects
            ),
            Role::StationManager => matches!(
                p,
                ViewWorkbench | ViewRegistry | ReadContacts | HandleStationOpinions
            ),
            // a deputy reads their own record (`registry::deputy::is_self`), not the registry
            Role::Deputy => matches!(p, ViewWorkbench | AnswerAsDeputy | ProposeSuggestions),
            Role::HandlingUnit => matches!(p, ViewWorkbench | ViewRegistry | AnswerAsUnit),
            Role::ChairMeeting => matches!(p, ViewWorkbench | ViewRegistry | ViewFigures),
        }
    }
}

/// Checks a role set before it is stored: at least one role; an administrator role stands alone (one
/// of the three administrators, and no business role beside it).
pub fn validate_role_set(roles: &[Role]) -> Result<(), DomainError> {
    if roles.is_empty() {
        return Err(DomainError::NoRole);
    }
    if roles.iter().any(|r| r.is_admin()) && roles.len() > 1 {
        return Err(DomainError::AdminRolesCombined);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn three_admins_are_separated() {
        assert!(validate_role_set(&[Role::SystemAdmin]).is_ok());
        assert!(validate_role_set(&[Role::SystemAdmin, Role::Auditor]).is_err());
        assert!(validate_role_set(&[Role::SecurityAdmin, Role::Auditor]).is_err());
        assert!(validate_role_set(&[Role::TownshipStaff, Role::Deputy]).is_ok());
        assert!(validate_role_set(&[]).is_err());
        // an administrator holds no business role either
        assert!(validate_role_set(&[Role::SystemAdmin, Role::TownshipStaff]).is_err());
        assert!(validate_role_set(&[Role::Auditor, Role::ChairMeeting]).is_err());
        // no admin holds another admin's permission
        assert!(!Role::SystemAdmin.permits(Permission::ReadAudit));
        assert!(!Role::Auditor.permits(Permission::ManageAccounts));
        assert!(!Role::SecurityAdmin.permits(Permission::ManageAccounts));
        let sms: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.permits(Permission::ManageSms))
            .collect();
        assert_eq!(
            sms,
            [Role::SystemAdmin],
            "SMS delivery is the system administrator's"
        );
    }

    #[test]
    fn only_the_chair_meeting_reads_no_personal_data() {
        let readers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| !r.is_admin() && r.reads_personal_data())
            .collect();
        assert_eq!(
            readers,
            [
                Role::CommitteeStaff,
                Role::TownshipStaff,
                Role::StationManager,
                Role::Deputy,
                Role::HandlingUnit
            ]
        );
        // the administrators read none through their permissions
        for r in [Role::SystemAdmin, Role::SecurityAdmin, Role::Auditor] {
            assert!(!r.reads_personal_data(), "{r:?}");
        }
        // every permission is listed once
        let mut seen = std::collections::HashSet::new();
        assert!(Permission::ALL.iter().all(|p| seen.insert(*p)));
    }
}
