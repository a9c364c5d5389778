//! The livelihood project's state machine: the status is the fold of its events ([`Workflow`]). The
//! congress's vote chooses a candidate or not; a chosen project is assigned to one unit; the unit
//! reports progress and then completion; deputies' inspections are recorded; the year-end test closes
//! it or sends it back for rectification (整改).

use serde::{Deserialize, Serialize};

use crate::project::{Ballots, Stage, VoteCount};
use crate::workflow::Workflow;

/// In which capacity someone acts on a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    /// The standing committee's office (entering the vote, the inspections and the test).
    Staff,
    /// The unit carrying it out.
    Unit,
}

impl Capacity {
    pub fn as_str(self) -> &'static str {
        match self {
            Capacity::Staff => "staff",
            Capacity::Unit => "unit",
        }
    }

    pub fn parse(s: &str) -> Option<Capacity> {
        [Capacity::Staff, Capacity::Unit]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// What someone does to a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Action {
    /// 票决: the paper count entered.
    Vote { count: VoteCount },
    /// 交办 to the unit carrying it out.
    Assign { unit: i64 },
    /// 进度报告, in per cent done.
    Report { percent: u8 },
    /// The unit reports it done.
    Complete,
    /// 代表视察: an inspection recorded.
    Inspect,
    /// 年终满意度测评: the ballots entered.
    Test { ballots: Ballots },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Vote { .. } => "vote",
            Action::Assign { .. } => "assign",
            Action::Report { .. } => "report",
            Action::Complete => "complete",
            Action::Inspect => "inspect",
            Action::Test { .. } => "test",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Action::Vote { .. } => "票决",
            Action::Assign { .. } => "交办",
            Action::Report { .. } => "报告进度",
            Action::Complete => "报告完成",
            Action::Inspect => "记录代表视察",
            Action::Test { .. } => "满意度测评",
        }
    }

    /// The one table: who may take each action, from which stages.
    pub fn rule(&self) -> (&'static [Capacity], &'static [Stage]) {
        use Capacity as W;
        use Stage as S;
        match self {
            Action::Vote { .. } => (&[W::Staff], &[S::Candidate]),
            Action::Assign { .. } => (&[W::Staff], &[S::Chosen]),
            Action::Report { .. } | Action::Complete => (&[W::Unit], &[S::Underway]),
            Action::Inspect => (&[W::Staff], &[S::Underway, S::Completed]),
            Action::Test { .. } => (&[W::Staff], &[S::Completed]),
        }
    }
}

/// Why an action was refused; the text is what the user sees.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("该项目当前状态为“{state}”，不能{action}")]
    WrongStage {
        state: &'static str,
        action: &'static str,
    },
    #[error("您不能对该项目执行“{0}”")]
    NotYours(&'static str),
    #[error("进度应为 0～100 之间的整数")]
    BadPercent,
}

/// The status of a project: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub stage: Stage,
    pub vote: Option<VoteCount>,
    pub unit: Option<i64>,
    pub progress: u8,
    pub reports: u32,
    pub inspections: u32,
    /// The latest test, and how many tests sent it back.
    pub test: Option<Ballots>,
    pub reopens: u32,
}

impl Status {
    pub fn new() -> Status {
        Status {
            stage: Stage::Candidate,
            vote: None,
            unit: None,
            progress: 0,
            reports: 0,
            inspections: 0,
            test: None,
            reopens: 0,
        }
    }

    /// The actions `who` may take now, by name (for showing forms).
    pub fn allowed(&self, who: Capacity) -> Vec<&'static str> {
        [
            Action::Vote {
                count: VoteCount::default(),
            },
            Action::Assign { unit: 0 },
            Action::Report { percent: 0 },
            Action::Complete,
            Action::Inspect,
            Action::Test {
                ballots: Ballots::default(),
            },
        ]
        .iter()
        .filter(|a| {
            let (who_may, stages) = a.rule();
            who_may.contains(&who) && stages.contains(&self.stage)
        })
        .map(|a| a.name())
        .collect()
    }

    /// The next status, or why not. `self` is never changed.
    pub fn apply(&self, who: Capacity, action: &Action) -> Result<Status, Refusal> {
        let (actors, stages) = action.rule();
        if !actors.contains(&who) {
            return Err(Refusal::NotYours(action.label()));
        }
        if !stages.contains(&self.stage) {
            return Err(Refusal::WrongStage {
                state: self.stage.label(),
                action: action.label(),
            });
        }
        let mut next = self.clone();
        match *action {
            Action::Vote { count } => {
                next.vote = Some(count);
                next.stage = if count.chosen() {
                    Stage::Chosen
                } else {
                    Stage::NotChosen
                };
            }
            Action::Assign { unit } => {
                next.unit = Some(unit);
                next.stage = Stage::Underway;
            }
            Action::Report { percent } => {
                if percent > 100 {
                    return Err(Refusal::BadPercent);
                }
                next.progress = percent;
                next.reports += 1;
            }
            Action::Complete => {
                next.progress = 100;
                next.stage = Stage::Completed;
            }
            Action::Inspect => next.inspections += 1,
            Action::Test { ballots } => {
                next.test = Some(ballots);
                if ballots.passed() {
                    next.stage = Stage::Closed;
                } else {
                    next.stage = Stage::Underway;
                    next.reopens += 1;
                }
            }
        }
        Ok(next)
    }
}

impl Default for Status {
    fn default() -> Status {
        Status::new()
    }
}

impl Workflow for Status {
    type Capacity = Capacity;
    type Action = Action;
    type Refusal = Refusal;
    type Origin = ();

    fn start(_: ()) -> Status {
        Status::new()
    }

    fn apply(&self, who: Capacity, action: &Action) -> Result<Status, Refusal> {
        Status::apply(self, who, action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use Capacity as W;
    use proptest::prelude::*;

    fn ballots(s: u32, b: u32, u: u32) -> Ballots {
        Ballots {
            satisfied: s,
            basic: b,
            unsatisfied: u,
        }
    }

    #[test]
    fn voted_assigned_reported_tested_twice() {
        let steps = [
            (
                W::Staff,
                A::Vote {
                    count: VoteCount {
                        present: 100,
                        yes: 80,
                        no: 10,
                        abstain: 10,
                    },
                },
            ),
            (W::Staff, A::Assign { unit: 7 }),
            (W::Unit, A::Report { percent: 40 }),
            (W::Staff, A::Inspect),
            (W::Unit, A::Complete),
            (
                W::Staff,
                A::Test {
                    ballots: ballots(20, 20, 60),
                },
            ),
            (W::Unit, A::Report { percent: 90 }),
            (W::Unit, A::Complete),
            (
                W::Staff,
                A::Test {
                    ballots: ballots(60, 20, 20),
                },
            ),
        ];
        let mut s = Status::new();
        for (i, (who, a)) in steps.iter().enumerate() {
            s = s.apply(*who, a).unwrap_or_else(|e| panic!("step {i}: {e}"));
            if i == 5 {
                assert_eq!(s.stage, Stage::Underway, "a failed test sends it back");
            }
        }
        assert_eq!(
            (s.stage, s.reopens, s.reports, s.inspections),
            (Stage::Closed, 1, 2, 1)
        );
        assert_eq!(<Status as Workflow>::replay((), &steps).unwrap(), s);
        let lost = Status::new()
            .apply(
                W::Staff,
                &A::Vote {
                    count: VoteCount {
                        present: 100,
                        yes: 50,
                        no: 50,
                        abstain: 0,
                    },
                },
            )
            .unwrap();
        assert_eq!(lost.stage, Stage::NotChosen);
        assert_eq!(
            lost.apply(W::Staff, &A::Assign { unit: 1 })
                .unwrap_err()
                .to_string(),
            "该项目当前状态为“未入选”，不能交办"
        );
        assert_eq!(
            Status::new()
                .apply(W::Staff, &A::Complete)
                .unwrap_err()
                .to_string(),
            "您不能对该项目执行“报告完成”"
        );
    }

    fn any_step() -> impl Strategy<Value = (Capacity, Action)> {
        let who = prop_oneof![Just(W::Staff), Just(W::Unit)];
        let n = 0u32..60;
        let action = prop_oneof![
            (1u32..100, n.clone(), n.clone(), n.clone()).prop_map(|(present, yes, no, abstain)| A::Vote {
                count: VoteCount {
                    present,
                    yes,
                    no,
                    abstain
                }
            }),
            (1i64..4).prop_map(|unit| A::Assign { unit }),
            (0u8..=120).prop_map(|percent| A::Report { percent }),
            Just(A::Complete),
            Just(A::Inspect),
            (n.clone(), n.clone(), n).prop_map(|(s, b, u)| A::Test {
                ballots: ballots(s, b, u)
            }),
        ];
        (who, action)
    }

    proptest! {
        /// Refused attempts change nothing; replay equals the fold; a failed test counts a reopening;
        /// a closed project passed its last test; only a chosen vote leads past the candidate stage.
        #[test]
        fn any_sequence_keeps_the_invariants(attempts in prop::collection::vec(any_step(), 0..60)) {
            let mut s = Status::new();
            let mut accepted = Vec::new();
            let mut failed = 0;
            for (who, a) in attempts {
                let before = s.clone();
                match s.apply(who, &a) {
                    Err(_) => prop_assert_eq!(&s, &before),
                    Ok(next) => {
                        if let A::Test { ballots } = a && !ballots.passed() { failed += 1; }
                        if next.stage == Stage::Closed { prop_assert!(next.test.is_some_and(|t| t.passed())); }
                        if !matches!(next.stage, Stage::Candidate | Stage::NotChosen) {
                            prop_assert!(next.vote.is_some_and(|v| v.chosen()));
                        }
                        prop_assert!(next.progress <= 100);
                        accepted.push((who, a));
                        s = next;
                    }
                }
            }
            prop_assert_eq!(s.reopens, failed);
            prop_assert_eq!(<Status as Workflow>::replay((), &accepted).unwrap(), s);
        }
    }
}
