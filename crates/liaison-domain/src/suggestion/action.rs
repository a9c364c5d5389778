//! Who acts on a suggestion ([`Capacity`]) and what they do ([`Action`]), with the one table of who may
//! take each action from which stages ([`Action::rule`]); the state machine (`machine`) checks it and
//! the pages offer forms from it.

use serde::{Deserialize, Serialize};

use crate::opinion::Satisfaction;
use crate::suggestion::Stage;

/// In which capacity someone acts on a suggestion. The store and `suggestion::access` decide which
/// capacities a caller has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    /// 领衔代表: the deputy who raised it.
    Proposer,
    /// 联名代表 (附议).
    Cosigner,
    /// The office (选联工委 / 人大办 / 乡镇人大主席团), also entering what deputies hand in on paper.
    Staff,
    /// 主办单位.
    LeadUnit,
    /// 协办单位.
    CoUnit,
}

impl Capacity {
    pub const ALL: [Capacity; 5] = [
        Capacity::Proposer,
        Capacity::Cosigner,
        Capacity::Staff,
        Capacity::LeadUnit,
        Capacity::CoUnit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Capacity::Proposer => "proposer",
            Capacity::Cosigner => "cosigner",
            Capacity::Staff => "staff",
            Capacity::LeadUnit => "lead_unit",
            Capacity::CoUnit => "co_unit",
        }
    }

    pub fn parse(s: &str) -> Option<Capacity> {
        Capacity::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What someone does to a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Action {
    /// The first step: the co-signers invited (staff entering a paper item with signatures mark them
    /// confirmed at once).
    Propose {
        cosigners: Vec<i64>,
        #[serde(default)]
        confirmed: bool,
    },
    /// A co-signer agrees (or staff record their paper signature).
    Confirm { person: i64 },
    /// A co-signer declines to sign; they leave the list.
    Refuse { person: i64 },
    /// 提交: every invited co-signer has answered (and a motion has enough of them).
    Submit,
    /// 立案登记.
    Register,
    /// 退回: not registered, with a reason; the proposer may revise and submit again.
    Return,
    /// Submitted again after a return.
    Resubmit,
    /// 交办: one lead unit and co-units.
    Assign { lead: i64, co: Vec<i64> },
    /// The lead unit returns an item that is not its business (within the meeting's window, which the
    /// store checks with the calendar).
    UnitReturn,
    /// 会签: a co-unit signs off the handling.
    SignOff { unit: i64 },
    /// 答复 with a class code from the class list (data).
    Reply { class: String },
    /// The office changes the class of a reply.
    Reclass { class: String },
    /// 满意度测评 by the proposer or a co-signer (or staff entering a paper rating for them).
    Rate { person: i64, satisfaction: Satisfaction },
}

impl Action {
    /// One of each, for showing buttons (`Status::allowed`) and property tests.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Propose { .. } => "propose",
            Action::Confirm { .. } => "confirm",
            Action::Refuse { .. } => "refuse",
            Action::Submit => "submit",
            Action::Register => "register",
            Action::Return => "return",
            Action::Resubmit => "resubmit",
            Action::Assign { .. } => "assign",
            Action::UnitReturn => "unit_return",
            Action::SignOff { .. } => "sign_off",
            Action::Reply { .. } => "reply",
            Action::Reclass { .. } => "reclass",
            Action::Rate { .. } => "rate",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Action::Propose { .. } => "提出",
            Action::Confirm { .. } => "确认联名",
            Action::Refuse { .. } => "不同意联名",
            Action::Submit => "提交",
            Action::Register => "立案登记",
            Action::Return => "退回",
            Action::Resubmit => "重新提交",
            Action::Assign { .. } => "交办",
            Action::UnitReturn => "申请退回交办",
            Action::SignOff { .. } => "会签",
            Action::Reply { .. } => "答复",
            Action::Reclass { .. } => "调整答复类别",
            Action::Rate { .. } => "满意度测评",
        }
    }

    /// Whether the note (reason, reply text, comment) must not be empty.
    pub fn needs_note(&self) -> bool {
        matches!(
            self,
            Action::Return | Action::UnitReturn | Action::Reply { .. } | Action::Reclass { .. }
        )
    }

    /// The one table: who may take each action, from which stages.
    pub fn rule(&self) -> (&'static [Capacity], &'static [Stage]) {
        use Capacity as W;
        use Stage as S;
        match self {
            Action::Propose { .. } => (&[W::Proposer, W::Staff], &[S::Draft]),
            Action::Confirm { .. } => (&[W::Cosigner, W::Staff], &[S::Cosigning]),
            Action::Refuse { .. } => (&[W::Cosigner, W::Staff], &[S::Cosigning]),
            Action::Submit => (&[W::Proposer, W::Staff], &[S::Cosigning]),
            Action::Register | Action::Return => (&[W::Staff], &[S::Submitted]),
            Action::Resubmit => (&[W::Proposer, W::Staff], &[S::Returned]),
            Action::Assign { .. } => (&[W::Staff], &[S::Registered]),
            Action::UnitReturn => (&[W::LeadUnit], &[S::Assigned]),
            Action::SignOff { .. } => (&[W::CoUnit, W::Staff], &[S::Assigned]),
            Action::Reply { .. } => (&[W::LeadUnit], &[S::Assigned]),
            Action::Reclass { .. } => (&[W::Staff], &[S::Replied, S::Closed]),
            // co-signers may still rate once the proposer's verdict closed it
            Action::Rate { .. } => (&[W::Proposer, W::Cosigner, W::Staff], &[S::Replied, S::Closed]),
        }
    }
}
