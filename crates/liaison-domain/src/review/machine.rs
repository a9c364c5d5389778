//! The review-opinion workflow's state machine (审议意见): the status of an item is the fold of its
//! events ([`Workflow`]). The office sends it to one body (交办); the body reports its handling
//! (研究处理情况报告); the office may return a report that does not answer (退回重报) or examine it
//! (审核意见); the office then enters the members' satisfaction test, whose ballots decide
//! ([`Ballot::passes`]): passed, it is closed (办结); not passed, it goes back to the body for
//! re-handling and a new report.

use serde::{Deserialize, Serialize};

use crate::review::{Ballot, Stage};
use crate::workflow::Workflow;

/// In which capacity someone acts on a review opinion. `review::access` decides which a caller has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    /// The standing committee's office (its working body), also entering the paper ballots.
    Staff,
    /// The body the opinion was sent to (一府一委两院: a handling unit).
    Unit,
}

impl Capacity {
    pub const ALL: [Capacity; 2] = [Capacity::Staff, Capacity::Unit];

    pub fn as_str(self) -> &'static str {
        match self {
            Capacity::Staff => "staff",
            Capacity::Unit => "unit",
        }
    }

    pub fn parse(s: &str) -> Option<Capacity> {
        Capacity::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What someone does to a review opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Action {
    /// 交办: the first step, taken when the office creates it.
    Send { unit: i64 },
    /// 报送研究处理情况报告 (the text goes with the step).
    Report,
    /// 退回重报: the report does not answer the opinion; a reason goes with it.
    ReturnReport,
    /// 提出审核意见 on the report.
    Examine,
    /// 录入满意度测评结果: the counts of the paper ballots.
    Test {
        satisfied: u32,
        basic: u32,
        unsatisfied: u32,
    },
}

impl Action {
    /// One of each, for showing forms (`Status::allowed`) and property tests.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Send { .. } => "send",
            Action::Report => "report",
            Action::ReturnReport => "return_report",
            Action::Examine => "examine",
            Action::Test { .. } => "test",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Action::Send { .. } => "交办",
            Action::Report => "报送研究处理情况报告",
            Action::ReturnReport => "退回重报",
            Action::Examine => "提出审核意见",
            Action::Test { .. } => "录入满意度测评结果",
        }
    }

    /// Whether the text with the step (report, reason, examination) must not be empty.
    pub fn needs_note(&self) -> bool {
        matches!(self, Action::Report | Action::ReturnReport | Action::Examine)
    }

    /// The one table: who may take each action, from which stages.
    pub fn rule(&self) -> (&'static [Capacity], &'static [Stage]) {
        use Capacity as W;
        use Stage as S;
        match self {
            Action::Send { .. } => (&[W::Staff], &[S::Drafted]),
            Action::Report => (&[W::Unit], &[S::Sent]),
            Action::ReturnReport | Action::Examine => (&[W::Staff], &[S::Reported]),
            Action::Test { .. } => (&[W::Staff], &[S::Examined]),
        }
    }
}

/// Why an action was refused; the text is what the user sees.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("该审议意见当前状态为“{state}”，不能{action}")]
    WrongStage {
        state: &'static str,
        action: &'static str,
    },
    #[error("您不能对该审议意见执行“{0}”")]
    NotYours(&'static str),
    #[error("测评票数不能都为 0，请按纸质测评票录入满意、基本满意和不满意的票数")]
    NoBallots,
}

/// The status of a review opinion: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub stage: Stage,
    /// The body it was sent to.
    pub unit: Option<i64>,
    /// Reports received (over all rounds, returned ones too).
    pub reports: u32,
    /// Reports the office returned (退回重报).
    pub returns: u32,
    /// Re-handling rounds started by a test that did not pass.
    pub reopens: u32,
    /// The latest test's ballots.
    pub ballot: Option<Ballot>,
}

impl Default for Status {
    fn default() -> Status {
        Status {
            stage: Stage::Drafted,
            unit: None,
            reports: 0,
            returns: 0,
            reopens: 0,
            ballot: None,
        }
    }
}

impl Status {
    /// Whether the latest test passed (None: not tested yet).
    pub fn passed(&self) -> Option<bool> {
        self.ballot.map(|b| b.passes())
    }

    /// The actions `who` may take now, by name (for showing forms; `apply` is the check).
    pub fn allowed(&self, who: Capacity) -> Vec<&'static str> {
        let tries = [
            Action::Report,
            Action::ReturnReport,
            Action::Examine,
            Action::Test {
                satisfied: 1,
                basic: 0,
                unsatisfied: 0,
            },
        ];
        tries
            .iter()
            .filter(|a| self.apply(who, a).is_ok())
            .map(|a| a.name())
            .collect()
    }

    /// The next status, or why not. `self` is never changed.
    pub fn apply(&self, who: Capacity, action: &Action) -> Result<Status, Refusal> {
        use Stage as S;
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
        match action {
            Action::Send { unit } => {
                next.stage = S::Sent;
                next.unit = Some(*unit);
            }
            Action::Report => {
                next.stage = S::Reported;
                next.reports += 1;
            }
            Action::ReturnReport => {
                next.stage = S::Sent;
                next.returns += 1;
            }
            Action::Examine => next.stage = S::Examined,
            Action::Test {
                satisfied,
                basic,
                unsatisfied,
            } => {
                let ballot = Ballot::new(*satisfied, *basic, *unsatisfied)?;
                next.ballot = Some(ballot);
                if ballot.passes() {
                    next.stage = S::Closed;
                } else {
                    next.stage = S::Sent;
                    next.reopens += 1;
                }
            }
        }
        Ok(next)
    }
}

impl Workflow for Status {
    type Capacity = Capacity;
    type Action = Action;
    type Refusal = Refusal;
    type Origin = ();

    fn start(_: ()) -> Status {
        Status::default()
    }

    fn apply(&self, who: Capacity, action: &Action) -> Result<Status, Refusal> {
        Status::apply(self, who, action)
    }
}

#[cfg(test)]
mod tests;
