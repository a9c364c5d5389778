//! 民生实事 (livelihood projects): candidates proposed (by the government, from deputies' suggestions,
//! from citizens' opinions), voted by the deputies at the congress (票决: staff enter the paper count),
//! the chosen ones assigned to a unit, progress reported through the year, inspected by deputies, and
//! a year-end satisfaction test (满意度测评) that closes the project or sends it back for rectification.
//! The state machine ([`machine`]) and the rules of a vote and a test ([`vote`]) are pure.

pub mod draft;
pub mod machine;
pub mod vote;

use serde::{Deserialize, Serialize};

pub use draft::{ProjectDraft, ProjectFields};
pub use machine::{Action, Capacity, Refusal, Status};
pub use vote::{Ballots, VoteCount};

/// Where a project is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 候选: proposed, waiting for the congress's vote.
    Candidate,
    /// 未入选: the vote did not choose it.
    NotChosen,
    /// 已票决入选: chosen, not yet assigned.
    Chosen,
    /// 实施中.
    Underway,
    /// 已完成: the unit reports it done; waiting for the year-end test.
    Completed,
    /// 已办结: the test passed.
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Candidate,
        Stage::NotChosen,
        Stage::Chosen,
        Stage::Underway,
        Stage::Completed,
        Stage::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Candidate => "candidate",
            Stage::NotChosen => "not_chosen",
            Stage::Chosen => "chosen",
            Stage::Underway => "underway",
            Stage::Completed => "completed",
            Stage::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Candidate => "候选项目",
            Stage::NotChosen => "未入选",
            Stage::Chosen => "已票决入选",
            Stage::Underway => "实施中",
            Stage::Completed => "已完成待测评",
            Stage::Closed => "已办结",
        }
    }

    /// Shown on the public board: what the congress chose.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            Stage::Chosen | Stage::Underway | Stage::Completed | Stage::Closed
        )
    }
}

/// Who proposed a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Government,
    Suggestion,
    Opinion,
}

impl Origin {
    pub const ALL: [Origin; 3] = [Origin::Government, Origin::Suggestion, Origin::Opinion];

    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Government => "government",
            Origin::Suggestion => "suggestion",
            Origin::Opinion => "opinion",
        }
    }

    pub fn parse(s: &str) -> Option<Origin> {
        Origin::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Origin::Government => "政府提出",
            Origin::Suggestion => "代表建议",
            Origin::Opinion => "群众意见",
        }
    }
}

/// What a notice about a project says first, by what happened.
pub fn headline(kind: crate::notification::NoticeKind) -> &'static str {
    use crate::notification::NoticeKind as K;
    match kind {
        K::Assigned => "新交办的民生实事",
        K::Reopened => "满意度测评未通过，请整改",
        K::DueSoon => "民生实事即将到年底",
        K::Overdue => "民生实事已过年底仍未完成",
        other => other.label(),
    }
}
