//! What an audit entry records: `AuditAction`, its stored code (hashed into the chain, so never
//! renamed) and its Chinese label.

use std::borrow::Cow;
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

    /// What the auditor's page shows.
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

    pub fn label(self) -> &'static str {
        use AuditAction::*;
        match self {
            Bootstrap => "系统初始化",
            LoginSuccess => "登录成功",
            LoginFailure => "登录失败",
            Logout => "退出登录",
            AccountLocked => "账号被锁定",
            AccountCreate => "创建账号",
            AccountUpdate => "修改账号",
            AccountDisable => "停用账号",
            AccountEnable => "启用账号",
            AccountUnlock => "解除锁定",
            AccountResetPassword => "重置密码",
            AccountChangePassword => "修改本人密码",
            SessionEndAll => "强制下线",
            SecurityPolicy => "修改安全策略",
            CalendarSave => "保存放假安排",
            DeadlineRuleSave => "修改办理期限",
            SmsRetry => "重新发送短信",
            SmsQuietHours => "修改短信免打扰时段",
            AccountMobile => "修改账号手机号",
            LoginCodeSent => "发送登录验证码",
            PersonalRead => "查看个人信息",
            PersonalExport => "导出个人信息",
            DeputyCreate => "登记代表",
            DeputyUpdate => "修改代表信息",
            DeputyLeave => "登记代表离任",
            DeputyPhoto => "上传代表照片",
            StationCreate => "新增站点",
            StationUpdate => "修改站点信息",
            StationClose => "撤销站点",
            StationResidentAdd => "添加进站代表",
            StationResidentRemove => "移出进站代表",
            StationFileAdd => "上传站点照片或制度文件",
            StationFileRemove => "删除站点照片或制度文件",
            UnitCreate => "登记承办单位",
            UnitUpdate => "修改承办单位信息",
            RoutingSet => "设置交办规则",
            HouseholdCreate => "登记联系户",
            HouseholdMeeting => "记录与联系户见面",
            CommitteeLink => "安排常委会组成人员联系代表",
            CommitteeMeeting => "记录常委会组成人员与代表见面",
            OpinionSubmit => "群众提交意见",
            OpinionRecord => "代为登记意见",
            OpinionNote => "内部备注",
            OpinionPhotoVisibility => "照片公开设置",
            OpinionSupervise => "发出督办单",
            OpinionSuperviseAck => "签收督办单",
            OpinionKeySupervision => "重点督办",
            AccountRequest => "提出账号申请（待另一位管理员确认）",
            AccountGrant => "授权角色和范围",
            AccountRequestReject => "驳回账号申请",
            AccountRequestWithdraw => "撤回账号申请",
            LoginThrottled => "登录受限（尝试过多）",
            Opinion(a) => a.label(),
            PublicPhoneAdd => "添加公开电话",
            PublicPhoneRemove => "删除公开电话",
            SupervisionOrgan => "设置督办单签发机关",
            OpinionAttachmentVisibility => "答复附件公开设置",
            SuggestionPropose => "提出建议（议案）",
            SuggestionConfirm => "确认联名",
            SuggestionRefuse => "不同意联名",
            SuggestionSubmit => "提交建议",
            SuggestionRegister => "建议立案登记",
            SuggestionReturn => "退回建议",
            SuggestionResubmit => "重新提交建议",
            SuggestionAssign => "交办建议",
            SuggestionUnitReturn => "承办单位退回建议",
            SuggestionSignOff => "协办单位会签",
            SuggestionReply => "答复建议",
            SuggestionReclass => "调整答复类别",
            SuggestionRate => "建议办理满意度测评",
            SuggestionKey => "建议重点督办",
            SuggestionMilestone => "办理节点完成情况",
            SuggestionSuperviseAck => "签收建议督办单",
            MeetingSave => "设置届次和建议办理规则",
            ProjectCreate => "登记民生实事候选项目",
            ProjectVote => "录入民生实事票决结果",
            ProjectAssign => "交办民生实事",
            ProjectReport => "报告民生实事进度",
            ProjectComplete => "报告民生实事完成",
            ProjectInspect => "记录代表视察民生实事",
            ProjectTest => "录入民生实事满意度测评",
            ReviewCreate => "录入审议意见",
            ReviewSend => "交办审议意见",
            ReviewReport => "报送审议意见研究处理情况报告",
            ReviewReturnReport => "退回审议意见研究处理情况报告",
            ReviewExamine => "提出审议意见办理审核意见",
            ReviewTest => "录入审议意见办理满意度测评结果",
            ReviewSuperviseAck => "签收审议意见督办单",
        }
    }

    /// The label of a stored code; a code this version does not know still says what it is.
    pub fn label_of(code: &str) -> Cow<'static, str> {
        match AuditAction::parse(code) {
            Some(a) => Cow::Borrowed(a.label()),
            None => Cow::Owned(format!("其他操作（{code}）")),
        }
    }
}

impl From<&crate::suggestion::Action> for AuditAction {
    fn from(a: &crate::suggestion::Action) -> AuditAction {
        use crate::suggestion::Action as S;
        match a {
            S::Propose { .. } => AuditAction::SuggestionPropose,
            S::Confirm { .. } => AuditAction::SuggestionConfirm,
            S::Refuse { .. } => AuditAction::SuggestionRefuse,
            S::Submit => AuditAction::SuggestionSubmit,
            S::Register => AuditAction::SuggestionRegister,
            S::Return => AuditAction::SuggestionReturn,
            S::Resubmit => AuditAction::SuggestionResubmit,
            S::Assign { .. } => AuditAction::SuggestionAssign,
            S::UnitReturn => AuditAction::SuggestionUnitReturn,
            S::SignOff { .. } => AuditAction::SuggestionSignOff,
            S::Reply { .. } => AuditAction::SuggestionReply,
            S::Reclass { .. } => AuditAction::SuggestionReclass,
            S::Rate { .. } => AuditAction::SuggestionRate,
        }
    }
}

impl From<&crate::project::Action> for AuditAction {
    fn from(a: &crate::project::Action) -> AuditAction {
        use crate::project::Action as P;
        match a {
            P::Vote { .. } => AuditAction::ProjectVote,
            P::Assign { .. } => AuditAction::ProjectAssign,
            P::Report { .. } => AuditAction::ProjectReport,
            P::Complete => AuditAction::ProjectComplete,
            P::Inspect => AuditAction::ProjectInspect,
            P::Test { .. } => AuditAction::ProjectTest,
        }
    }
}

impl From<&crate::review::Action> for AuditAction {
    fn from(a: &crate::review::Action) -> AuditAction {
        use crate::review::Action as R;
        match a {
            R::Send { .. } => AuditAction::ReviewSend,
            R::Report => AuditAction::ReviewReport,
            R::ReturnReport => AuditAction::ReviewReturnReport,
            R::Examine => AuditAction::ReviewExamine,
            R::Test { .. } => AuditAction::ReviewTest,
        }
    }
}

impl From<Action> for AuditAction {
    fn from(a: Action) -> AuditAction {
        AuditAction::Opinion(a)
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

#[cfg(test)]
mod tests;
