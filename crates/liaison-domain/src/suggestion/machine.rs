//! The suggestion workflow's state machine (代表建议、议案): the status of an item is the fold of its
//! events ([`Workflow`]). Co-signers confirm before the item is submitted (a motion needs the
//! meeting's minimum of confirmed co-signers); the office registers or returns it; one lead unit and
//! co-units are assigned; every co-unit signs off (会签) before the lead may reply with a class; the
//! proposer's 不满意 sends it back to the lead unit for re-handling, 满意 / 基本满意 closes it.
//! Co-signers rate too; their verdicts are kept, the proposer's decides.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::opinion::Satisfaction;
use crate::suggestion::{Action, Capacity, Kind, Stage};
use crate::workflow::Workflow;

/// Why an action was refused; the text is what the user sees.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("该建议当前状态为“{state}”，不能{action}")]
    WrongStage {
        state: &'static str,
        action: &'static str,
    },
    #[error("您不能对该建议执行“{0}”")]
    NotYours(&'static str),
    #[error("议案须由至少 {need} 名代表联名，目前{what} {have} 名")]
    TooFewCosigners {
        need: u32,
        have: u32,
        what: &'static str,
    },
    #[error("还有 {0} 名联名代表尚未确认，全部确认（或不同意的退出）后才能提交")]
    CosignersPending(usize),
    #[error("该代表不在联名名单中，或已经答复过")]
    NotACosigner,
    #[error("领衔代表不能同时是联名代表")]
    ProposerCosigns,
    #[error("主办单位不能同时是协办单位")]
    LeadIsCoUnit,
    #[error("该单位不是本件的协办单位，或已经会签")]
    NotACoUnit,
    #[error("还有 {0} 个协办单位尚未会签，会签后主办单位才能答复")]
    SignOffsPending(usize),
    #[error("本轮答复已经测评过")]
    AlreadyRated,
    #[error("只有领衔代表和联名代表可以测评")]
    NotARater,
    #[error("本件已答复过，不能再退回交办")]
    ReturnAfterReply,
}

/// What the first state depends on: the kind, the meeting's minimum of co-signers for a motion, and
/// the proposer (none for an item raised by a delegation or group as a whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub kind: Kind,
    pub min_cosigners: u32,
    pub proposer: Option<i64>,
}

/// The status of a suggestion: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub stage: Stage,
    pub kind: Kind,
    pub min_cosigners: u32,
    pub proposer: Option<i64>,
    /// Invited co-signers: confirmed or not yet.
    pub cosigners: BTreeMap<i64, bool>,
    pub lead: Option<i64>,
    pub co_units: Vec<i64>,
    /// Co-units that signed off in this round.
    pub signed: BTreeSet<i64>,
    /// The class of the latest reply.
    pub class: Option<String>,
    /// Handling rounds started by a 不满意.
    pub reopens: u32,
    /// Times the office returned it, and times a lead unit returned it.
    pub returns: u32,
    pub unit_returns: u32,
    /// Replies given (over all rounds).
    pub replies: u32,
    /// Who has rated the current reply.
    pub rated: BTreeSet<i64>,
    /// The proposer's latest verdict.
    pub satisfaction: Option<Satisfaction>,
}

impl Status {
    pub fn new(o: Origin) -> Status {
        Status {
            stage: Stage::Draft,
            kind: o.kind,
            min_cosigners: o.min_cosigners,
            proposer: o.proposer,
            cosigners: BTreeMap::new(),
            lead: None,
            co_units: vec![],
            signed: BTreeSet::new(),
            class: None,
            reopens: 0,
            returns: 0,
            unit_returns: 0,
            replies: 0,
            rated: BTreeSet::new(),
            satisfaction: None,
        }
    }

    /// Confirmed co-signers.
    pub fn confirmed(&self) -> u32 {
        self.cosigners.values().filter(|c| **c).count() as u32
    }

    fn pending(&self) -> usize {
        self.cosigners.values().filter(|c| !**c).count()
    }

    fn enough(&self, have: u32, what: &'static str) -> Result<(), Refusal> {
        if self.kind == Kind::Motion && have < self.min_cosigners {
            return Err(Refusal::TooFewCosigners {
                need: self.min_cosigners,
                have,
                what,
            });
        }
        Ok(())
    }

    /// The co-units that have not signed off yet.
    pub fn unsigned(&self) -> Vec<i64> {
        self.co_units
            .iter()
            .filter(|u| !self.signed.contains(u))
            .copied()
            .collect()
    }

    /// The actions `who` may take now, by name (for showing forms; `apply` is the check). Actions with
    /// a person or unit are tried with `me`.
    pub fn allowed(&self, who: Capacity, me: Option<i64>) -> Vec<&'static str> {
        let me = me.unwrap_or(0);
        let tries = [
            Action::Confirm { person: me },
            Action::Refuse { person: me },
            Action::Submit,
            Action::Register,
            Action::Return,
            Action::Resubmit,
            Action::Assign { lead: 0, co: vec![] },
            Action::UnitReturn,
            Action::SignOff { unit: me },
            Action::Reply { class: String::new() },
            Action::Reclass { class: String::new() },
            Action::Rate {
                person: me,
                satisfaction: Satisfaction::Satisfied,
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
            Action::Propose { cosigners, confirmed } => {
                if *confirmed && who != Capacity::Staff {
                    return Err(Refusal::NotYours("代为确认联名"));
                }
                if self.proposer.is_some_and(|p| cosigners.contains(&p)) {
                    return Err(Refusal::ProposerCosigns);
                }
                let unique: BTreeSet<i64> = cosigners.iter().copied().collect();
                self.enough(unique.len() as u32, "联名名单只有")?;
                next.cosigners = unique.into_iter().map(|p| (p, *confirmed)).collect();
                next.stage = if next.pending() == 0 {
                    S::Submitted
                } else {
                    S::Cosigning
                };
            }
            Action::Confirm { person } => {
                if self.cosigners.get(person) != Some(&false) {
                    return Err(Refusal::NotACosigner);
                }
                next.cosigners.insert(*person, true);
            }
            Action::Refuse { person } => {
                if self.cosigners.get(person) != Some(&false) {
                    return Err(Refusal::NotACosigner);
                }
                next.cosigners.remove(person);
            }
            Action::Submit => {
                let pending = self.pending();
                if pending > 0 {
                    return Err(Refusal::CosignersPending(pending));
                }
                self.enough(self.confirmed(), "确认联名的只有")?;
                next.stage = S::Submitted;
            }
            Action::Register => next.stage = S::Registered,
            Action::Return => {
                next.stage = S::Returned;
                next.returns += 1;
            }
            Action::Resubmit => next.stage = S::Submitted,
            Action::Assign { lead, co } => {
                if co.contains(lead) {
                    return Err(Refusal::LeadIsCoUnit);
                }
                let co: BTreeSet<i64> = co.iter().copied().collect();
                next.stage = S::Assigned;
                next.lead = Some(*lead);
                next.co_units = co.into_iter().collect();
                next.signed.clear();
            }
            Action::UnitReturn => {
                if self.replies > 0 {
                    return Err(Refusal::ReturnAfterReply);
                }
                next.stage = S::Registered;
                next.lead = None;
                next.co_units.clear();
                next.signed.clear();
                next.unit_returns += 1;
            }
            Action::SignOff { unit } => {
                if !self.co_units.contains(unit) || self.signed.contains(unit) {
                    return Err(Refusal::NotACoUnit);
                }
                next.signed.insert(*unit);
            }
            Action::Reply { class } => {
                let missing = self.unsigned().len();
                if missing > 0 {
                    return Err(Refusal::SignOffsPending(missing));
                }
                next.stage = S::Replied;
                next.class = Some(class.clone());
                next.replies += 1;
                next.rated.clear();
            }
            Action::Reclass { class } => next.class = Some(class.clone()),
            Action::Rate { person, satisfaction } => {
                let is_proposer = self.proposer == Some(*person);
                let is_cosigner = self.cosigners.get(person) == Some(&true);
                let allowed = match who {
                    Capacity::Proposer => is_proposer,
                    Capacity::Cosigner => is_cosigner,
                    _ => is_proposer || is_cosigner,
                };
                if !allowed {
                    return Err(Refusal::NotARater);
                }
                let decides = is_proposer || self.proposer.is_none();
                if self.rated.contains(person) || (self.stage == S::Closed && decides) {
                    return Err(Refusal::AlreadyRated);
                }
                next.rated.insert(*person);
                // the proposer's verdict decides (an item raised by a group: any rater's)
                if decides {
                    next.satisfaction = Some(*satisfaction);
                    if *satisfaction == Satisfaction::Unsatisfied {
                        next.stage = S::Assigned;
                        next.reopens += 1;
                        next.signed.clear();
                    } else {
                        next.stage = S::Closed;
                    }
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
    type Origin = Origin;

    fn start(origin: Origin) -> Status {
        Status::new(origin)
    }

    fn apply(&self, who: Capacity, action: &Action) -> Result<Status, Refusal> {
        Status::apply(self, who, action)
    }
}

#[cfg(test)]
mod tests;
