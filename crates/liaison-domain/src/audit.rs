//! The audit log: what an entry records (`AuditAction`, with its Chinese label) and the hash chain. Each
//! entry's hash covers its content and the previous entry's hash, so a changed, inserted or deleted row
//! breaks the chain from that point on.

use std::borrow::Cow;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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
    /// A step of the opinion workflow, `opinion.<Action::name>`; only the kind of action counts (the data
    /// fields are ignored), so `AuditAction::from(action)` can take the action as it was applied.
    Opinion(Action),
}

/// The actions that are not opinion workflow steps, in the order the filter lists them.
const OTHERS: [AuditAction; 44] = {
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
            Opinion(a) => {
                let i = Action::EACH.iter().position(|e| e.name() == a.name());
                &OPINION_CODES[i.expect("Action::EACH holds every kind of action")]
            }
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// What the auditor's page shows.
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
            Opinion(a) => a.label(),
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

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The content of one audit entry as it is hashed (and stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the chain, 1, 2, 3… with no gaps.
    pub seq: i64,
    /// RFC 3339 UTC time with microseconds, as stored.
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub region_code: Option<String>,
    pub ip: String,
    /// Free detail, JSON text.
    pub detail: String,
}

impl AuditEntry {
    /// SHA-256 over the previous hash and every field, each length-prefixed so no two entries collide.
    pub fn chain_hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        };
        field(prev_hash);
        field(&self.seq.to_string());
        field(&self.at);
        field(&self.actor_id.map(|i| i.to_string()).unwrap_or_default());
        field(&self.actor);
        field(&self.action);
        field(&self.target);
        field(self.region_code.as_deref().unwrap_or(""));
        field(&self.ip);
        field(&self.detail);
        hex::encode(h.finalize())
    }
}

/// Where a chain stopped holding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// Entry `seq` was expected next but `found` came (a deleted or inserted row).
    Gap { expected: i64, found: i64 },
    /// Entry `seq` does not point at its predecessor's hash.
    Link { seq: i64 },
    /// Entry `seq`'s content does not match its stored hash (a changed row).
    Content { seq: i64 },
    /// The chain ends before the recorded head (rows removed from the end).
    Truncated { head_seq: i64, last_seq: i64 },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Gap { expected, found } => {
                write!(
                    f,
                    "第 {expected} 条缺失（下一条是第 {found} 条）：有记录被删除或插入"
                )
            }
            ChainBreak::Link { seq } => write!(f, "第 {seq} 条与前一条的哈希不衔接：记录被改动"),
            ChainBreak::Content { seq } => write!(f, "第 {seq} 条内容与其哈希不符：记录被改动"),
            ChainBreak::Truncated { head_seq, last_seq } => write!(
                f,
                "日志只到第 {last_seq} 条，但链头记录为第 {head_seq} 条：末尾记录被删除"
            ),
        }
    }
}

/// Incremental verifier: feed stored rows in `seq` order, then `finish` with the recorded head.
#[derive(Debug)]
pub struct ChainVerifier {
    prev_hash: String,
    next_seq: i64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            prev_hash: GENESIS.to_owned(),
            next_seq: 1,
        }
    }
}

impl ChainVerifier {
    pub fn push(
        &mut self,
        entry: &AuditEntry,
        stored_prev: &str,
        stored_hash: &str,
    ) -> Result<(), ChainBreak> {
        if entry.seq != self.next_seq {
            return Err(ChainBreak::Gap {
                expected: self.next_seq,
                found: entry.seq,
            });
        }
        if stored_prev != self.prev_hash {
            return Err(ChainBreak::Link { seq: entry.seq });
        }
        if entry.chain_hash(stored_prev) != stored_hash {
            return Err(ChainBreak::Content { seq: entry.seq });
        }
        self.prev_hash = stored_hash.to_owned();
        self.next_seq += 1;
        Ok(())
    }

    /// Number of entries verified so far.
    pub fn count(&self) -> i64 {
        self.next_seq - 1
    }

    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        let last = self.next_seq - 1;
        if head_seq != last || head_hash != self.prev_hash {
            return Err(ChainBreak::Truncated {
                head_seq,
                last_seq: last,
            });
        }
        Ok(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeSet, HashSet};

    #[test]
    fn every_action_has_its_own_code_and_a_chinese_label() {
        let mut codes = HashSet::new();
        for a in AuditAction::ALL {
            assert!(codes.insert(a.as_str()), "{} twice", a.as_str());
            assert!(
                a.label().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{a:?}"
            );
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
            assert_eq!(AuditAction::label_of(a.as_str()), a.label());
        }
        assert_eq!(AuditAction::parse("opinion.nothing"), None);
        assert_eq!(AuditAction::label_of("seed.demo"), "其他操作（seed.demo）");
    }

    #[test]
    fn an_opinion_step_is_named_by_its_kind() {
        let a = AuditAction::from(Action::Assign { unit: 7 });
        assert_eq!((a.as_str(), a.label()), ("opinion.assign", "交办"));
        assert_eq!(a, AuditAction::Opinion(Action::Assign { unit: 0 }));
        assert_ne!(a, AuditAction::from(Action::Accept));
    }

    /// The codes the log holds today. Stored codes are hashed into the chain, so this list only grows:
    /// renaming a code would leave old entries unnamed.
    #[test]
    fn the_codes_are_the_ones_already_written() {
        let written = [
            "bootstrap",
            "login.success",
            "login.failure",
            "logout",
            "account.locked",
            "account.create",
            "account.update",
            "account.disable",
            "account.enable",
            "account.unlock",
            "account.reset_password",
            "account.change_password",
            "session.end_all",
            "security.policy",
            "calendar.save",
            "deadline_rule.save",
            "sms.retry",
            "personal.read",
            "personal.export",
            "deputy.create",
            "deputy.update",
            "deputy.leave",
            "deputy.photo",
            "station.create",
            "station.update",
            "station.close",
            "station.resident_add",
            "station.resident_remove",
            "station.file_add",
            "station.file_remove",
            "unit.create",
            "unit.update",
            "routing.set",
            "household.create",
            "household.meeting",
            "committee.link",
            "committee.meeting",
            "opinion.submit",
            "opinion.record",
            "opinion.note",
            "opinion.photo_visibility",
            "opinion.supervise",
            "opinion.supervise_ack",
            "opinion.key_supervision",
            "opinion.deputy_answer",
            "opinion.hand_over",
            "opinion.accept",
            "opinion.decline",
            "opinion.answer_on_spot",
            "opinion.escalate",
            "opinion.assign",
            "opinion.reply",
            "opinion.return",
            "opinion.feedback",
            "opinion.rate",
            "opinion.publish",
            "opinion.merge",
        ];
        let ours: BTreeSet<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(ours, BTreeSet::from(written));
        assert_eq!(AuditAction::ALL.len(), written.len());
    }

    fn entry(seq: i64, action: &str) -> AuditEntry {
        AuditEntry {
            seq,
            at: "2026-11-22T00:00:00.000000Z".into(),
            actor_id: Some(1),
            actor: "admin".into(),
            action: action.into(),
            target: "account:2".into(),
            region_code: Some("632521000000".into()),
            ip: "127.0.0.1".into(),
            detail: "{}".into(),
        }
    }

    fn build(n: i64) -> Vec<(AuditEntry, String, String)> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|i| {
                let e = entry(i, &format!("a{i}"));
                let h = e.chain_hash(&prev);
                let row = (e, prev.clone(), h.clone());
                prev = h;
                row
            })
            .collect()
    }

    fn verify(rows: &[(AuditEntry, String, String)], head: (i64, &str)) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::default();
        for (e, p, h) in rows {
            v.push(e, p, h)?;
        }
        v.finish(head.0, head.1)
    }

    proptest! {
        #[test]
        fn intact_chain_verifies_and_any_tamper_is_found(n in 1i64..30, k in 0usize..30, kind in 0u8..3) {
            let mut rows = build(n);
            let head = (n, rows.last().unwrap().2.clone());
            prop_assert_eq!(verify(&rows, (head.0, &head.1)), Ok(n));
            let k = k % rows.len();
            match kind {
                0 => rows[k].0.detail = "{\"x\":1}".into(),      // change
                1 => { rows.remove(k); }                           // delete
                _ => { rows.truncate(k); }                         // cut the tail
            }
            prop_assert!(verify(&rows, (head.0, &head.1)).is_err());
        }
    }
}
