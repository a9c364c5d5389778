//! 审议意见: after a standing-committee meeting (常委会会议) reviews a work report, the committee
//! sends its review opinion to the body responsible (a handling unit) with a deadline; the body
//! reports how it handled it (研究处理情况报告), the committee's office examines the report (审核意见),
//! and the members test satisfaction on the handling (满意度测评) on paper ballots that staff enter.
//! Its workflow ([`machine`]), who may act ([`access`]), the test's pass rule ([`ballot`]) and the
//! creation form parsed once ([`draft`]).

pub mod access;
pub mod ballot;
pub mod draft;
pub mod machine;

use serde::{Deserialize, Serialize};

pub use ballot::{Ballot, PASS_LINE_PERCENT};
pub use draft::{Draft, DraftFields};
pub use machine::{Action, Capacity, Refusal, Status};

/// Where a review opinion is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Before it is sent (never stored beyond the creating transaction: the send is taken in it).
    Drafted,
    /// 办理中: with the body, its report due.
    Sent,
    /// 已报送: the report is with the office, to examine or return.
    Reported,
    /// 待测评: the office examined the report; the members' test is next.
    Examined,
    /// 已办结: the test passed.
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Drafted,
        Stage::Sent,
        Stage::Reported,
        Stage::Examined,
        Stage::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Drafted => "drafted",
            Stage::Sent => "sent",
            Stage::Reported => "reported",
            Stage::Examined => "examined",
            Stage::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Drafted => "草稿",
            Stage::Sent => "办理中",
            Stage::Reported => "已报送",
            Stage::Examined => "待测评",
            Stage::Closed => "已办结",
        }
    }
}
