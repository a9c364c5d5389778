//! What an audit entry records: `AuditAction`, its stored code (hashed into the chain, so never
//! renamed) and its Chinese label.

use std::sync::LazyLock;

use crate::opinion::Action;

/// What an audit entry records. The code (`as_str`) is what the log stores and hashes, so a code never
/// changes once written: old entries must keep parsing and verifying.
#[derive(Debug, Clone, Copy)]
pub enum AuditAction {
    Bootstrap,
    LoginSuccess,
    LoginFailure,
    Logout,
    AccountLocked,
    AccountCreate,
    AccountUpdate,
    AccountDisable,
    AccountEnable,
    AccountUnlock,
    AccountResetPassword,
    AccountChangePassword,
    SessionEndAll,
    SecurityPolicy,
    CalendarSave,
    DeadlineRuleSave,
    SmsRetry,
    SmsQuietHours,
    AccountMobile,
    LoginCodeSent,
    /// A read of personal data (a phone number, a citizen's contact).
    PersonalRead,
    PersonalExport,
    DeputyCreate,
    DeputyUpdate,
    DeputyLeave,
    DeputyPhoto,
    StationCreate,
    StationUpdate,
    StationClose,
    StationResidentAdd,
    StationResidentRemove,
    StationFileAdd,
    StationFileRemove,
    UnitCreate,
    UnitUpdate,
    RoutingSet,
    HouseholdCreate,
    HouseholdMeeting,
    CommitteeLink,
    CommitteeMeeting,
    /// A citizen's own submission.
    OpinionSubmit,
    /// A submission staff or a deputy recorded for a citizen.
    OpinionRecord,
    OpinionNote,
    OpinionPhotoVisibility,
    OpinionSupervise,
    OpinionSuperviseAck,
    OpinionKeySupervision,
    /// An administrator asked for an account change another administrator confirms (三员分立).
    AccountRequest,
    /// The security administrator granted proposed roles, region or bindings.
    AccountGrant,
    AccountRequestReject,
    AccountRequestWithdraw,
    /// Login attempts refused without a password check (throttled or locked out), one entry per address
    /// per minute with how many there were.
    LoginThrottled,
    /// A step of the opinion workflow, `opinion.<Action::name>`; only the kind of action counts (the data
    /// fields are ignored), so `AuditAction::from(action)` can take the action as it was applied.
    Opinion(Action),
    /// A number added to, or removed from, the public phone list (公开电话).
    PublicPhoneAdd,
    PublicPhoneRemove,
    /// A region's 督办单 issuing organ (签发机关) and number prefix set.
    SupervisionOrgan,
    /// An attachment of a unit's reply shown to, or hidden from, the citizen.
    OpinionAttachmentVisibility,
    /// The suggestion workflow's steps (`suggestion.<Action::name>`), its 重点督办 flag and milestones.
    SuggestionPropose,
    SuggestionConfirm,
    SuggestionRefuse,
    SuggestionSubmit,
    SuggestionRegister,
    SuggestionReturn,
    SuggestionResubmit,
    SuggestionAssign,
    SuggestionUnitReturn,
    SuggestionSignOff,
    SuggestionReply,
    SuggestionReclass,
    SuggestionRate,
    SuggestionKey,
    SuggestionMilestone,
    SuggestionSuperviseAck,
    MeetingSave,
    /// The livelihood project workflow's steps (`project.<Action::name>`) and its creation.
    ProjectCreate,
    ProjectVote,
    ProjectAssign,
    ProjectReport,
    ProjectComplete,
    ProjectInspect,
    ProjectTest,
    /// The review-opinion workflow: its creation and steps (`review.<Action::name>`), a 督办单 signed for.
    ReviewCreate,
    ReviewSend,
    ReviewReport,
    ReviewReturnReport,
    ReviewExamine,
    ReviewTest,
    ReviewSuperviseAck,
}

/// The actions that are not opinion workflow steps, in the order the filter lists them.
const OTHERS: [AuditAction; 87] = {
    use AuditAction::*;
    [
        Bootstrap,
        LoginSuccess,
        LoginFailure,
        Logout,
        AccountLocked,
        AccountCreate,
        AccountUpdate,
        AccountDisable,
        AccountEnable,
        AccountUnlock,
        AccountResetPassword,
        AccountChangePassword,
        SessionEndAll,
        SecurityPolicy,
        CalendarSave,
        DeadlineRuleSave,
        SmsRetry,
        SmsQuietHours,
        AccountMobile,
        LoginCodeSent,
        PersonalRead,
        PersonalExport,
        DeputyCreate,
        DeputyUpdate,
        DeputyLeave,
        DeputyPhoto,
        StationCreate,
        StationUpdate,
        StationClose,
        StationResidentAdd,
        StationResidentRemove,
        StationFileAdd,
        StationFileRemove,
        UnitCreate,
        UnitUpdate,
        RoutingSet,
        HouseholdCreate,
        HouseholdMeeting,
        CommitteeLink,
        CommitteeMeeting,
        OpinionSubmit,
        OpinionRecord,
        OpinionNote,
        OpinionPhotoVisibility,
        OpinionSupervise,
        OpinionSuperviseAck,
        OpinionKeySupervision,
        AccountRequest,
        AccountGrant,
        AccountRequestReject,
        AccountRequestWithdraw,
        PublicPhoneAdd,
        PublicPhoneRemove,
        LoginThrottled,
        SupervisionOrgan,
        OpinionAttachmentVisibility,
        SuggestionPropose,
        SuggestionConfirm,
        SuggestionRefuse,
        SuggestionSubmit,
        SuggestionRegister,
        SuggestionReturn,
        SuggestionResubmit,
        SuggestionAssign,
        SuggestionUnitReturn,
        SuggestionSignOff,
        SuggestionReply,
        SuggestionReclass,
        SuggestionRate,
        SuggestionKey,
        SuggestionMilestone,
        SuggestionSuperviseAck,
        MeetingSave,
        ProjectCreate,
        ProjectVote,
        ProjectAssign,
        ProjectReport,
        ProjectComplete,
        ProjectInspect,
        ProjectTest,
        ReviewCreate,
        ReviewSend,
        ReviewReport,
        ReviewReturnReport,
        ReviewExamine,
        ReviewTest,
        ReviewSuperviseAck,
    ]
};

/// `opinion.<name>` for each of `Action::EACH`, built once so `as_str` can lend a `&'static str`.
static OPINION_CODES: LazyLock<[String; Action::EACH.len()]> =
    LazyLock::new(|| Action::EACH.map(|a| format!("opinion.{}", a.name())));

impl AuditAction {
    /// Every action, the opinion workflow's steps last.
    pub const ALL: [AuditAction; OTHERS.len() + Action::EACH.len()] = {
        let mut all = [AuditAction::Bootstrap; OTHERS.len() + Action::EACH.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] = if i < OTHERS.len() {
                OTHERS[i]
            } else {
                AuditAction::Opinion(Action::EACH[i - OTHERS.len()])
            };
            i += 1;
        }
        all
    };

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        use AuditAction::*;
        match self {
            Bootstrap => "bootstrap",
            LoginSuccess => "login.success",
            LoginFailure => "login.failure",
            Logout => "logout",
            AccountLocked => "account.locked",
            AccountCreate => "account.create",
            AccountUpdate => "account.update",
            AccountDisable => "account.disable",
            AccountEnable => "account.enable",
            AccountUnlock => "account.unlock",
            AccountResetPassword => "account.reset_password",
            AccountChangePassword => "account.change_password",
            SessionEndAll => "session.end_all",
            SecurityPolicy => "security.policy",
            CalendarSave => "calendar.save",
            DeadlineRuleSave => "deadline_rule.save",
            SmsRetry => "sms.retry",
            SmsQuietHours => "sms.quiet_hours",
            AccountMobile => "account.mobile",
            LoginCodeSent => "login.code_sent",
            PersonalRead => "personal.read",
            PersonalExport => "personal.export",
            DeputyCreate => "deputy.create",
            DeputyUpdate => "deputy.update",
            DeputyLeave => "deputy.leave",
            DeputyPhoto => "deputy.photo",
            StationCreate => "station.create",
            StationUpdate => "station.update",
            StationClose => "station.close",
            StationResidentAdd => "station.resident_add",
            StationResidentRemove => "station.resident_remove",
            StationFileAdd => "station.file_add",
            StationFileRemove => "station.file_remove",
            UnitCreate => "unit.create",
            UnitUpdate => "unit.update",
            RoutingSet => "routing.set",
            HouseholdCreate => "household.create",
            HouseholdMeeting => "household.meeting",
            CommitteeLink => "committee.link",
            CommitteeMeeting => "committee.meeting",
            OpinionSubmit => "opinion.submit",
            OpinionRecord => "opinion.record",
            OpinionNote => "opinion.note",
            OpinionPhotoVisibility => "opinion.photo_visibility",
            OpinionSupervise => "opinion.supervise",
            OpinionSuperviseAck => "opinion.supervise_ack",
            OpinionKeySupervision => "opinion.key_supervision",
            AccountRequest => "account.request",
            AccountGrant => "account.grant",
            AccountRequestReject => "account.request_reject",
            AccountRequestWithdraw => "account.request_withdraw",
            LoginThrottled => "login.throttled",
            Opinion(a) => {
                let i = Action::EACH.iter().position(|e| e.name() == a.name());
                &OPINION_CODES[i.expect("Action::EACH holds every kind of action")]
            }
            PublicPhoneAdd => "public_phone.add",
            PublicPhoneRemove => "public_phone.remove",
            SupervisionOrgan => "supervision.organ",
            OpinionAttachmentVisibility => "opinion.attachment_visibility",
            SuggestionPropose => "suggestion.propose",
            SuggestionConfirm => "suggestion.confirm",
            SuggestionRefuse => "suggestion.refuse",
            SuggestionSubmit => "suggestion.submit",
            SuggestionRegister => "suggestion.register",
            SuggestionReturn => "suggestion.return",
            SuggestionResubmit => "suggestion.resubmit",
            SuggestionAssign => "suggestion.assign",
            SuggestionUnitReturn => "suggestion.unit_return",
            SuggestionSignOff => "suggestion.sign_off",
            SuggestionReply => "suggestion.reply",
            SuggestionReclass => "suggestion.reclass",
            SuggestionRate => "suggestion.rate",
            SuggestionKey => "suggestion.key",
            SuggestionMilestone => "suggestion.milestone",
            SuggestionSuperviseAck => "suggestion.supervise_ack",
            MeetingSave => "meeting.save",
            ProjectCreate => "project.create",
            ProjectVote => "project.vote",
            ProjectAssign => "project.assign",
            ProjectReport => "project.report",
            ProjectComplete => "project.complete",
            ProjectInspect => "project.inspect",
            ProjectTest => "project.test",
            ReviewCreate => "review.create",
            ReviewSend => "review.send",
            ReviewReport => "review.report",
            ReviewReturnReport => "review.return_report",
            ReviewExamine => "review.examine",
            ReviewTest => "review.test",
            ReviewSuperviseAck => "review.supervise_ack",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether the action changes the registry's pickers (stations, deputies, units): the store forgets
    /// its kept pickers when one is written (every registry write, form or import, is audited).
    pub fn changes_registry(self) -> bool {
        use AuditAction::*;
        matches!(
            self,
            DeputyCreate
                | DeputyUpdate
                | DeputyLeave
                | StationCreate
                | StationUpdate
                | StationClose
                | StationResidentAdd
                | StationResidentRemove
                | UnitCreate
                | UnitUpdate
        )
    }
}

/// The code is the identity: `Opinion(Assign { unit: 1 })` and `Opinion(Assign { unit: 2 })` are one action.
impl PartialEq for AuditAction {
    fn eq(&self, other: &AuditAction) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for AuditAction {}

impl std::hash::Hash for AuditAction {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

mod from;
mod label;

#[cfg(test)]
mod tests;
