//! The two counts a project goes through, as pure rules: the congress's vote (票决) — chosen when
//! more than half of the deputies present vote for it — and the year-end satisfaction test — passed
//! when 满意 and 基本满意 together reach the pass line of the ballots cast.

use crate::opinion::submission::Problem;

/// The share of 满意 + 基本满意 a year-end test needs, in per cent.
pub const PASS_PERCENT: u32 = 60;

/// A vote as entered from the paper count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct VoteCount {
    pub present: u32,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

impl VoteCount {
    /// Checks the count as typed: numbers, and no more votes than deputies present.
    pub fn parse(present: &str, yes: &str, no: &str, abstain: &str) -> Result<VoteCount, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut num = |field: &'static str, s: &str, what: &str| match s.trim().parse::<u32>() {
            Ok(n) if n <= 100_000 => n,
            _ => {
                problems.push(Problem {
                    field,
                    message: format!("请填写{what}（整数）"),
                });
                0
            }
        };
        let v = VoteCount {
            present: num("present", present, "出席代表人数"),
            yes: num("yes", yes, "赞成票数"),
            no: num("no", no, "反对票数"),
            abstain: num("abstain", abstain, "弃权票数"),
        };
        if problems.is_empty() && v.present == 0 {
            problems.push(Problem {
                field: "present",
                message: "出席代表人数不能为 0".into(),
            });
        }
        if problems.is_empty() && v.yes + v.no + v.abstain > v.present {
            problems.push(Problem {
                field: "yes",
                message: format!(
                    "赞成、反对、弃权合计 {} 票，超过出席人数 {}",
                    v.yes + v.no + v.abstain,
                    v.present
                ),
            });
        }
        if problems.is_empty() { Ok(v) } else { Err(problems) }
    }

    /// Chosen: more than half of the deputies present voted for it.
    pub fn chosen(&self) -> bool {
        self.yes * 2 > self.present
    }
}

/// A satisfaction test's ballots as entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Ballots {
    pub satisfied: u32,
    pub basic: u32,
    pub unsatisfied: u32,
}

impl Ballots {
    pub fn parse(satisfied: &str, basic: &str, unsatisfied: &str) -> Result<Ballots, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut num = |field: &'static str, s: &str, what: &str| match s.trim().parse::<u32>() {
            Ok(n) if n <= 100_000 => n,
            _ => {
                problems.push(Problem {
                    field,
                    message: format!("请填写{what}票数（整数）"),
                });
                0
            }
        };
        let b = Ballots {
            satisfied: num("satisfied", satisfied, "满意"),
            basic: num("basic", basic, "基本满意"),
            unsatisfied: num("unsatisfied", unsatisfied, "不满意"),
        };
        if problems.is_empty() && b.total() == 0 {
            problems.push(Problem {
                field: "satisfied",
                message: "测评票数合计不能为 0".into(),
            });
        }
        if problems.is_empty() { Ok(b) } else { Err(problems) }
    }

    pub fn total(&self) -> u32 {
        self.satisfied + self.basic + self.unsatisfied
    }

    /// 满意 + 基本满意 over all ballots, in per mille (for display as a percentage with one decimal).
    pub fn share_permille(&self) -> u32 {
        if self.total() == 0 {
            return 0;
        }
        ((self.satisfied + self.basic) * 1000 + self.total() / 2) / self.total()
    }

    /// Passed: 满意 + 基本满意 reach [`PASS_PERCENT`] of the ballots.
    pub fn passed(&self) -> bool {
        self.total() > 0 && (self.satisfied + self.basic) * 100 >= PASS_PERCENT * self.total()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_than_half_of_those_present_chooses_and_sixty_per_cent_passes() {
        let v = VoteCount::parse("120", "61", "40", "19").unwrap();
        assert!(v.chosen());
        assert!(
            !VoteCount::parse("120", "60", "40", "20").unwrap().chosen(),
            "exactly half is not more than half"
        );
        let e = VoteCount::parse("100", "80", "30", "0").unwrap_err();
        assert_eq!(e[0].message, "赞成、反对、弃权合计 110 票，超过出席人数 100");
        let e = VoteCount::parse("x", "", "1", "1").unwrap_err();
        assert_eq!(e.iter().map(|p| p.field).collect::<Vec<_>>(), ["present", "yes"]);
        let b = Ballots::parse("30", "30", "40").unwrap();
        assert!(b.passed(), "60 of 100");
        assert_eq!(b.share_permille(), 600);
        assert!(!Ballots::parse("30", "29", "41").unwrap().passed());
        assert_eq!(Ballots::parse("0", "0", "0").unwrap_err()[0].field, "satisfied");
        assert_eq!(Ballots::parse("1", "1", "1").unwrap().share_permille(), 667);
    }
}
