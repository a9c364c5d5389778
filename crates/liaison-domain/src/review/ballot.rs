//! 满意度测评 on a review opinion's handling: the counts of the paper ballots (满意 / 基本满意 /
//! 不满意) and the pass rule. Pure.

use serde::{Deserialize, Serialize};

use crate::review::Refusal;

/// The pass line: the handling passes when 满意 + 基本满意 make at least this share (in percent) of
/// the ballots; below it the item goes back to the body for re-handling. One line for every region
/// for now (the committees we know of use 50%); were regions to differ, it would become a column of
/// the item copied from a setting when it is created.
pub const PASS_LINE_PERCENT: u32 = 50;

/// The ballots' counts of one test. Made only by [`Ballot::new`], so it always holds a ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ballot {
    pub satisfied: u32,
    pub basic: u32,
    pub unsatisfied: u32,
}

impl Ballot {
    /// The counts as entered; no ballot at all is refused.
    pub fn new(satisfied: u32, basic: u32, unsatisfied: u32) -> Result<Ballot, Refusal> {
        let b = Ballot {
            satisfied,
            basic,
            unsatisfied,
        };
        if b.total() == 0 {
            return Err(Refusal::NoBallots);
        }
        Ok(b)
    }

    pub fn total(&self) -> u64 {
        u64::from(self.satisfied) + u64::from(self.basic) + u64::from(self.unsatisfied)
    }

    /// 满意 + 基本满意.
    pub fn approving(&self) -> u64 {
        u64::from(self.satisfied) + u64::from(self.basic)
    }

    /// The share of 满意 + 基本满意 in tenths of a percent, rounded down (0 with no ballots).
    pub fn share_permille(&self) -> u64 {
        (self.approving() * 1000).checked_div(self.total()).unwrap_or(0)
    }

    /// `66.7%`.
    pub fn share_label(&self) -> String {
        let p = self.share_permille();
        format!("{}.{}%", p / 10, p % 10)
    }

    /// Whether the handling passes: the approving share is at least the pass line (computed exactly,
    /// not from the rounded share).
    pub fn passes(&self) -> bool {
        self.total() > 0 && self.approving() * 100 >= u64::from(PASS_LINE_PERCENT) * self.total()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pass_line_is_half_of_the_ballots() {
        let b = |s, m, u| Ballot::new(s, m, u).unwrap();
        assert!(b(20, 5, 3).passes());
        assert!(b(5, 5, 10).passes(), "exactly 50% passes");
        assert!(!b(5, 4, 10).passes());
        assert!(!b(0, 0, 1).passes());
        assert!(b(0, 1, 0).passes());
        assert_eq!(b(20, 5, 3).share_label(), "89.2%");
        assert_eq!(b(1, 1, 1).share_label(), "66.6%");
        assert_eq!(b(u32::MAX, u32::MAX, u32::MAX).share_label(), "66.6%");
        assert_eq!(
            Ballot::new(0, 0, 0).unwrap_err().to_string(),
            "测评票数不能都为 0，请按纸质测评票录入满意、基本满意和不满意的票数"
        );
    }
}
