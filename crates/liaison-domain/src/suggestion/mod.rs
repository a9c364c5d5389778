//! 代表建议、批评和意见 and 议案: what a deputy raises, its workflow ([`machine`]), who may act
//! ([`access`]), the meeting's rules ([`meeting`]), the reply classes kept as data ([`class`]), the
//! form parsed once ([`draft`]) and the figures over handled items ([`figures`]).

pub mod access;
pub mod action;
pub mod class;
pub mod draft;
pub mod figures;
pub mod machine;
pub mod meeting;
pub mod topics;

use serde::{Deserialize, Serialize};

pub use action::{Action, Capacity};
pub use class::ReplyClass;
pub use draft::{Draft, DraftFields};
pub use machine::{Origin, Refusal, Status};
pub use meeting::MeetingRules;

/// 建议 (suggestions, criticisms and opinions) or 议案 (a motion, which needs co-signers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Suggestion,
    Motion,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Suggestion, Kind::Motion];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Suggestion => "suggestion",
            Kind::Motion => "motion",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Suggestion => "建议",
            Kind::Motion => "议案",
        }
    }
}

/// Raised during the congress's meeting (大会期间) or between meetings (闭会期间).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Meeting,
    Recess,
}

impl Period {
    pub const ALL: [Period; 2] = [Period::Meeting, Period::Recess];

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Meeting => "meeting",
            Period::Recess => "recess",
        }
    }

    pub fn parse(s: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Period::Meeting => "大会期间",
            Period::Recess => "闭会期间",
        }
    }
}

/// Where a suggestion is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Before its first step (never stored: the first step is taken in the creating transaction).
    Draft,
    /// 联名征集中: waiting for co-signers to confirm.
    Cosigning,
    /// 待立案: with the office.
    Submitted,
    /// 已退回: returned to the proposer with a reason.
    Returned,
    /// 待交办: registered, no unit yet (or a unit returned it).
    Registered,
    /// 办理中.
    Assigned,
    /// 已答复: waiting for the deputies' rating.
    Replied,
    /// 已办结.
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Draft,
        Stage::Cosigning,
        Stage::Submitted,
        Stage::Returned,
        Stage::Registered,
        Stage::Assigned,
        Stage::Replied,
        Stage::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Cosigning => "cosigning",
            Stage::Submitted => "submitted",
            Stage::Returned => "returned",
            Stage::Registered => "registered",
            Stage::Assigned => "assigned",
            Stage::Replied => "replied",
            Stage::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "草稿",
            Stage::Cosigning => "联名确认中",
            Stage::Submitted => "待立案",
            Stage::Returned => "已退回",
            Stage::Registered => "待交办",
            Stage::Assigned => "办理中",
            Stage::Replied => "已答复待测评",
            Stage::Closed => "已办结",
        }
    }

    /// Registered and not closed: what the office follows up.
    pub fn in_handling(self) -> bool {
        matches!(self, Stage::Registered | Stage::Assigned | Stage::Replied)
    }

    /// On the public board: registered items (a returned or unconfirmed one is not public).
    pub fn is_public(self) -> bool {
        matches!(
            self,
            Stage::Registered | Stage::Assigned | Stage::Replied | Stage::Closed
        )
    }
}

/// What a notice about a suggestion says first, by what happened.
pub fn headline(kind: crate::notification::NoticeKind) -> &'static str {
    use crate::notification::NoticeKind as K;
    match kind {
        K::Arrived => "请确认联名",
        K::Assigned => "新交办的代表建议",
        K::Replied => "代表建议已答复，请测评",
        K::Reopened => "代表不满意，请重新办理",
        K::DueSoon => "代表建议即将到期",
        K::Overdue => "代表建议已超期",
        other => other.label(),
    }
}
