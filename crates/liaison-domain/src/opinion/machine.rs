//! The opinion handling loop's state machine: the status an item is in is the fold of its events
//! ([`Workflow`]); [`Status::apply`] checks the table of [`Action::rule`] and the loop's own conditions
//! (a deputy acts on what reached them, an item is escalated once, 不满意 goes back to whoever answered).

use serde::{Deserialize, Serialize};

use crate::opinion::{Action, Capacity, Channel, Satisfaction, Stage};
use crate::workflow::Workflow;

/// Why an action was refused; the text is what the user sees.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("该事项当前状态为“{state}”，不能{action}")]
    WrongStage {
        state: &'static str,
        action: &'static str,
    },
    #[error("您不能对该事项执行“{0}”")]
    NotYours(&'static str),
    #[error("该事项已上报县级，不能重复上报")]
    AlreadyEscalated,
}

/// The status of an item: the fold of its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub stage: Stage,
    /// It reached a deputy first (their code or their visit).
    pub deputy_first: bool,
    /// The lead unit while assigned, and kept after the reply so a 不满意 goes back to it.
    pub unit: Option<i64>,
    /// Times a 不满意 reopened it.
    pub reopens: u32,
    /// Times a unit returned it as wrongly assigned.
    pub returns: u32,
    /// Passed up from the township to the county.
    pub escalated: bool,
    /// The last verdict given at the follow-up.
    pub satisfaction: Option<Satisfaction>,
}

/// Who is expected to act next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    Deputy,
    Station,
    Unit,
    Citizen,
    Nobody,
}

impl Holder {
    pub fn as_str(self) -> &'static str {
        match self {
            Holder::Deputy => "deputy",
            Holder::Station => "station",
            Holder::Unit => "unit",
            Holder::Citizen => "citizen",
            Holder::Nobody => "nobody",
        }
    }

    pub fn parse(s: &str) -> Option<Holder> {
        [
            Holder::Deputy,
            Holder::Station,
            Holder::Unit,
            Holder::Citizen,
            Holder::Nobody,
        ]
        .into_iter()
        .find(|h| h.as_str() == s)
    }
}

impl Status {
    pub fn new(channel: Channel) -> Status {
        Status {
            stage: Stage::Submitted,
            deputy_first: channel.deputy_first(),
            unit: None,
            reopens: 0,
            returns: 0,
            escalated: false,
            satisfaction: None,
        }
    }

    /// Replays a history from the start.
    pub fn replay<'a>(
        channel: Channel,
        events: impl IntoIterator<Item = &'a (Capacity, Action)>,
    ) -> Result<Status, TransitionError> {
        <Status as Workflow>::replay(channel, events)
    }

    pub fn holder(&self) -> Holder {
        match self.stage {
            Stage::Submitted if self.deputy_first => Holder::Deputy,
            Stage::Replied if self.deputy_first => Holder::Deputy,
            Stage::Submitted | Stage::Referred | Stage::Accepted | Stage::Replied | Stage::Closed => {
                Holder::Station
            }
            Stage::Assigned => Holder::Unit,
            Stage::Answered => Holder::Citizen,
            Stage::Declined | Stage::Published | Stage::Merged => Holder::Nobody,
        }
    }

    /// The actions `who` may take now (for showing buttons; `apply` is the check).
    pub fn allowed(&self, who: Capacity) -> Vec<&'static str> {
        Action::EACH
            .iter()
            .filter(|a| self.apply(who, a).is_ok())
            .map(|a| a.name())
            .collect()
    }

    /// The next status, or why not. `self` is never changed.
    pub fn apply(&self, who: Capacity, action: &Action) -> Result<Status, TransitionError> {
        use Capacity as W;
        use Stage as S;
        let wrong = || TransitionError::WrongStage {
            state: self.stage.label(),
            action: action.label(),
        };
        let not_yours = || TransitionError::NotYours(action.label());
        let mut next = self.clone();
        // who may take each action, and from which stages: the one table
        let (actors, stages) = action.rule();
        if !actors.contains(&who) {
            return Err(not_yours());
        }
        if !stages.contains(&self.stage) {
            return Err(wrong());
        }
        // a deputy acts on what reached them; staff take an item from the deputy's inbox only once
        // it is handed over; the deputy passes back only what came through them
        match (action, who) {
            (Action::DeputyAnswer | Action::HandOver | Action::TakeOver, _) if !self.deputy_first => {
                return Err(not_yours());
            }
            (Action::Accept | Action::Decline | Action::AnswerOnSpot | Action::Merge { .. }, _)
                if self.stage == S::Submitted && self.deputy_first =>
            {
                return Err(not_yours());
            }
            (Action::Feedback, W::Deputy) if !self.deputy_first => return Err(not_yours()),
            _ => {}
        }
        match *action {
            Action::DeputyAnswer | Action::AnswerOnSpot => next.stage = S::Answered,
            Action::HandOver | Action::TakeOver => next.stage = S::Referred,
            Action::Accept => next.stage = S::Accepted,
            Action::Decline => next.stage = S::Declined,
            Action::Escalate => {
                if self.escalated {
                    return Err(TransitionError::AlreadyEscalated);
                }
                next.escalated = true;
            }
            Action::Assign { unit } => {
                next.stage = S::Assigned;
                next.unit = Some(unit);
            }
            Action::Reply => next.stage = S::Replied,
            Action::Return => {
                next.stage = S::Accepted;
                next.unit = None;
                next.returns += 1;
            }
            Action::Feedback => next.stage = S::Answered,
            Action::Rate { satisfaction } => {
                next.satisfaction = Some(satisfaction);
                next.stage = match (satisfaction, self.unit) {
                    (Satisfaction::Satisfied | Satisfaction::Basic, _) => S::Closed,
                    // 不满意 goes back to the unit that answered
                    (Satisfaction::Unsatisfied, Some(_)) => S::Assigned,
                    // answered without a unit (by the deputy or on the spot): back to registration
                    (Satisfaction::Unsatisfied, None) => S::Referred,
                };
                if satisfaction == Satisfaction::Unsatisfied {
                    next.reopens += 1;
                }
            }
            Action::Publish => next.stage = S::Published,
            Action::Merge { .. } => next.stage = S::Merged,
        }
        Ok(next)
    }
}

impl Workflow for Status {
    type Capacity = Capacity;
    type Action = Action;
    type Refusal = TransitionError;
    type Origin = Channel;

    fn start(channel: Channel) -> Status {
        Status::new(channel)
    }

    fn apply(&self, who: Capacity, action: &Action) -> Result<Status, TransitionError> {
        Status::apply(self, who, action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use Capacity as W;
    use proptest::prelude::*;

    #[test]
    fn the_street_light_walk() {
        let steps = [
            (W::Deputy, A::HandOver),
            (W::Staff, A::Accept),
            (W::Staff, A::Assign { unit: 7 }),
            (W::Unit, A::Reply),
            (W::Deputy, A::Feedback),
            (
                W::Citizen,
                A::Rate {
                    satisfaction: Satisfaction::Unsatisfied,
                },
            ),
            (W::Unit, A::Reply),
            (W::Staff, A::Feedback),
            (
                W::Citizen,
                A::Rate {
                    satisfaction: Satisfaction::Satisfied,
                },
            ),
            (W::Staff, A::Publish),
        ];
        let mut s = Status::new(Channel::DeputyCode);
        assert_eq!(s.holder(), Holder::Deputy);
        for (i, (who, a)) in steps.iter().enumerate() {
            s = s.apply(*who, a).unwrap_or_else(|e| panic!("step {i}: {e}"));
            if i == 5 {
                assert_eq!(s.stage, Stage::Assigned, "不满意 goes back to the unit");
                assert_eq!(s.unit, Some(7));
                assert_eq!(s.holder(), Holder::Unit);
            }
        }
        assert_eq!(s.stage, Stage::Published);
        assert_eq!(s.reopens, 1);
        assert_eq!(Status::replay(Channel::DeputyCode, &steps).unwrap(), s);
    }

    #[test]
    fn refusals_say_why_in_chinese() {
        let s = Status::new(Channel::DeputyCode);
        let e = s.apply(W::Staff, &A::Accept).unwrap_err();
        assert_eq!(e.to_string(), "您不能对该事项执行“登记受理”");
        let e = s.apply(W::Deputy, &A::Feedback).unwrap_err();
        assert_eq!(e.to_string(), "该事项当前状态为“新收到”，不能反馈群众");
        let st = Status::new(Channel::StationCode);
        assert!(
            st.apply(W::Deputy, &A::DeputyAnswer).is_err(),
            "not through a deputy"
        );
        assert!(st.apply(W::Staff, &A::Accept).is_ok());
        let acc = st.apply(W::Staff, &A::Accept).unwrap();
        let up = acc.apply(W::Staff, &A::Escalate).unwrap();
        assert_eq!(
            up.apply(W::Staff, &A::Escalate).unwrap_err(),
            TransitionError::AlreadyEscalated
        );
        assert_eq!(
            acc.allowed(W::Staff),
            ["answer_on_spot", "escalate", "assign", "merge"]
        );
        assert!(acc.allowed(W::Citizen).is_empty());
    }

    #[test]
    fn a_return_and_a_direct_answer_rated_unsatisfied() {
        let s = Status::new(Channel::StationCode)
            .apply(W::Staff, &A::Accept)
            .unwrap()
            .apply(W::Staff, &A::Assign { unit: 3 })
            .unwrap()
            .apply(W::Unit, &A::Return)
            .unwrap();
        assert_eq!((s.stage, s.unit, s.returns), (Stage::Accepted, None, 1));
        let d = Status::new(Channel::DeputyVisit)
            .apply(W::Deputy, &A::DeputyAnswer)
            .unwrap()
            .apply(
                W::Citizen,
                &A::Rate {
                    satisfaction: Satisfaction::Unsatisfied,
                },
            )
            .unwrap();
        assert_eq!((d.stage, d.holder()), (Stage::Referred, Holder::Station));
    }

    fn any_action() -> impl Strategy<Value = (Capacity, Action)> {
        let who = prop_oneof![Just(W::Citizen), Just(W::Deputy), Just(W::Staff), Just(W::Unit)];
        let rating = prop_oneof![
            Just(Satisfaction::Satisfied),
            Just(Satisfaction::Basic),
            Just(Satisfaction::Unsatisfied)
        ];
        let action = prop_oneof![
            Just(A::DeputyAnswer),
            Just(A::HandOver),
            Just(A::Accept),
            Just(A::Decline),
            Just(A::AnswerOnSpot),
            Just(A::Escalate),
            (1i64..4).prop_map(|unit| A::Assign { unit }),
            Just(A::Reply),
            Just(A::Return),
            Just(A::Feedback),
            rating.prop_map(|satisfaction| A::Rate { satisfaction }),
            Just(A::Publish),
            (1i64..4).prop_map(|into| A::Merge { into }),
            Just(A::TakeOver),
        ];
        (who, action)
    }

    fn any_channel() -> impl Strategy<Value = Channel> {
        prop::sample::select(Channel::ALL.to_vec())
    }

    proptest! {
        /// Any sequence of attempts: refused ones change nothing, accepted ones keep the invariants,
        /// and replaying the accepted ones gives the same status.
        #[test]
        fn any_sequence_keeps_the_invariants(channel in any_channel(), attempts in prop::collection::vec(any_action(), 0..60)) {
            let mut s = Status::new(channel);
            let mut accepted = Vec::new();
            let mut unsatisfied = 0;
            for (who, a) in attempts {
                prop_assert!(Action::EACH.iter().any(|e| e.name() == a.name()), "Action::EACH lacks {}", a.name());
                let before = s.clone();
                match s.apply(who, &a) {
                    Err(_) => prop_assert_eq!(&s, &before),
                    Ok(next) => {
                        prop_assert!(!before.stage.is_final(), "nothing moves a final item");
                        if let A::Rate { satisfaction: Satisfaction::Unsatisfied } = a { unsatisfied += 1; }
                        if next.stage == Stage::Published { prop_assert_eq!(before.stage, Stage::Closed); }
                        if next.stage == Stage::Closed {
                            prop_assert!(matches!(next.satisfaction, Some(Satisfaction::Satisfied | Satisfaction::Basic)));
                        }
                        if matches!(next.stage, Stage::Assigned | Stage::Replied) { prop_assert!(next.unit.is_some()); }
                        if who == W::Unit { prop_assert_eq!(before.stage, Stage::Assigned); }
                        let is_rate = matches!(a, A::Rate { .. });
                        if who == W::Citizen { prop_assert!(is_rate); }
                        prop_assert!(next.reopens >= before.reopens && next.returns >= before.returns);
                        prop_assert_eq!(next.deputy_first, channel.deputy_first());
                        accepted.push((who, a));
                        s = next;
                    }
                }
            }
            prop_assert_eq!(s.reopens, unsatisfied);
            prop_assert_eq!(Status::replay(channel, &accepted).unwrap(), s.clone());
            prop_assert_eq!(s.holder() == Holder::Nobody, s.stage.is_final());
        }
    }
}
