//! The opinion (群众意见) handling loop as a pure state machine. Every change is an event; the current
//! status is the fold of the events from the start, so the history is the truth and the cached columns
//! in the database are only a convenience for queues.
//!
//! 提交 → (代表直接答复 | 转交站点/乡镇) → 登记受理 (或不予受理 / 当场答复) → 分类交办 (或上报县级) →
//! 承办单位答复 (或退回交办) → 反馈群众 → 回访评价 (不满意则重新交办给原承办单位) → 办结 → 公示

use serde::{Deserialize, Serialize};

pub mod channel;
pub mod duplicate;
pub mod notify;
pub mod receipt;
pub mod similar;
pub mod template;

pub use crate::opinion::channel::Channel;
pub use crate::opinion::receipt::{RECEIPT_LEN, new_receipt, parse_receipt, show_receipt};

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Just in: in the deputy's inbox (deputy's code) or the station's (station's code or a staff record).
    Submitted,
    /// The deputy handed it to the station or township for registration.
    Referred,
    /// Registered (登记受理); waiting to be assigned or answered.
    Accepted,
    /// Assigned to a lead handling unit (交办).
    Assigned,
    /// The unit has replied; the deputy or station passes the answer on.
    Replied,
    /// The citizen has the answer; waiting for the rating (回访).
    Answered,
    /// 办结: rated 满意 or 基本满意.
    Closed,
    /// 不予受理, with a reason. Final.
    Declined,
    /// 公示: the outcome is on the public list. Final.
    Published,
    /// Merged into another item on the same matter (重复反映); its citizen follows the survivor. Final.
    Merged,
}

impl Stage {
    pub const ALL: [Stage; 10] = [
        Stage::Submitted,
        Stage::Referred,
        Stage::Accepted,
        Stage::Assigned,
        Stage::Replied,
        Stage::Answered,
        Stage::Closed,
        Stage::Declined,
        Stage::Published,
        Stage::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Submitted => "submitted",
            Stage::Referred => "referred",
            Stage::Accepted => "accepted",
            Stage::Assigned => "assigned",
            Stage::Replied => "replied",
            Stage::Answered => "answered",
            Stage::Closed => "closed",
            Stage::Declined => "declined",
            Stage::Published => "published",
            Stage::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// For staff.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Submitted => "新收到",
            Stage::Referred => "待登记",
            Stage::Accepted => "已受理，待交办",
            Stage::Assigned => "承办中",
            Stage::Replied => "已答复，待反馈",
            Stage::Answered => "待评价",
            Stage::Closed => "已办结",
            Stage::Declined => "不予受理",
            Stage::Published => "已公示",
            Stage::Merged => "已合并",
        }
    }

    /// For the citizen's tracking page: plain words, nothing internal.
    pub fn public_label(self) -> &'static str {
        match self {
            Stage::Submitted | Stage::Referred => "已收到，正在登记",
            Stage::Accepted => "已受理",
            Stage::Assigned => "正在办理",
            Stage::Replied | Stage::Answered => "已答复，请您评价",
            Stage::Closed | Stage::Published => "已办结",
            Stage::Declined => "未予受理",
            Stage::Merged => "已与相同问题合并办理",
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, Stage::Declined | Stage::Published | Stage::Merged)
    }

    /// Someone still has to act (未办结): neither final nor closed. Only open items have a deadline.
    pub fn is_open(self) -> bool {
        !self.is_final() && self != Stage::Closed
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Satisfied,
    Basic,
    Unsatisfied,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::Satisfied, Rating::Basic, Rating::Unsatisfied];

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::Basic => "basic",
            Rating::Unsatisfied => "unsatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::Basic => "基本满意",
            Rating::Unsatisfied => "不满意",
        }
    }
}

/// Who acts. The store decides which one a caller is (the deputy the item reached, staff whose scope
/// covers it, the account of the lead unit, the citizen holding the receipt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Citizen,
    Deputy,
    Staff,
    Unit,
}

/// What someone does to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Action {
    /// The deputy answers directly (many are settled this way).
    DeputyAnswer,
    /// The deputy hands it to the station or township for registration, with a comment.
    HandOver,
    /// 登记受理.
    Accept,
    /// 不予受理, reason from the data list.
    Decline,
    /// Answered on the spot at registration.
    AnswerOnSpot,
    /// A county matter: the township congress passes it up to the county.
    Escalate,
    /// 交办 to a lead unit (co-units are recorded with the event).
    Assign { unit: i64 },
    /// The unit replies.
    Reply,
    /// The unit returns a wrong assignment, with a reason.
    Return,
    /// The deputy or station passes the unit's answer back to the citizen (反馈).
    Feedback,
    /// 回访: the citizen rates on the tracking page, or staff record a phone follow-up.
    Rate { rating: Rating },
    /// 公示 after staff review of the published text.
    Publish,
    /// A duplicate merged into the surviving item `into` (staff, before assignment).
    Merge { into: i64 },
}

impl Action {
    /// One of each kind of action (the data fields are placeholders): what `Status::allowed` probes and
    /// what the audit log names (`AuditAction::Opinion`).
    pub const EACH: [Action; 13] = [
        Action::DeputyAnswer,
        Action::HandOver,
        Action::Accept,
        Action::Decline,
        Action::AnswerOnSpot,
        Action::Escalate,
        Action::Assign { unit: 0 },
        Action::Reply,
        Action::Return,
        Action::Feedback,
        Action::Rate {
            rating: Rating::Satisfied,
        },
        Action::Publish,
        Action::Merge { into: 0 },
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Action::DeputyAnswer => "deputy_answer",
            Action::HandOver => "hand_over",
            Action::Accept => "accept",
            Action::Decline => "decline",
            Action::AnswerOnSpot => "answer_on_spot",
            Action::Escalate => "escalate",
            Action::Assign { .. } => "assign",
            Action::Reply => "reply",
            Action::Return => "return",
            Action::Feedback => "feedback",
            Action::Rate { .. } => "rate",
            Action::Publish => "publish",
            Action::Merge { .. } => "merge",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Action::DeputyAnswer => "代表直接答复",
            Action::HandOver => "转交站点登记",
            Action::Accept => "登记受理",
            Action::Decline => "不予受理",
            Action::AnswerOnSpot => "当场答复",
            Action::Escalate => "上报县级",
            Action::Assign { .. } => "交办",
            Action::Reply => "承办答复",
            Action::Return => "退回交办",
            Action::Feedback => "反馈群众",
            Action::Rate { .. } => "回访评价",
            Action::Publish => "公示",
            Action::Merge { .. } => "合并重复事项",
        }
    }
}

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
    /// The last rating given.
    pub rating: Option<Rating>,
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
            rating: None,
        }
    }

    /// Replays a history from the start.
    pub fn replay<'a>(
        channel: Channel,
        events: impl IntoIterator<Item = &'a (Actor, Action)>,
    ) -> Result<Status, TransitionError> {
        events
            .into_iter()
            .try_fold(Status::new(channel), |s, (who, a)| s.apply(*who, a))
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
    pub fn allowed(&self, who: Actor) -> Vec<&'static str> {
        Action::EACH
            .iter()
            .filter(|a| self.apply(who, a).is_ok())
            .map(|a| a.name())
            .collect()
    }

    /// The next status, or why not. `self` is never changed.
    pub fn apply(&self, who: Actor, action: &Action) -> Result<Status, TransitionError> {
        use Actor as W;
        use Stage as S;
        let wrong = || TransitionError::WrongStage {
            state: self.stage.label(),
            action: action.label(),
        };
        let not_yours = || TransitionError::NotYours(action.label());
        let mut next = self.clone();
        // who may take each action, and from which stages
        let (actors, stages): (&[Actor], &[Stage]) = match action {
            Action::DeputyAnswer | Action::HandOver => (&[W::Deputy], &[S::Submitted]),
            Action::Accept | Action::Decline => (&[W::Staff], &[S::Submitted, S::Referred]),
            Action::AnswerOnSpot => (&[W::Staff], &[S::Submitted, S::Referred, S::Accepted]),
            Action::Escalate | Action::Assign { .. } => (&[W::Staff], &[S::Accepted]),
            Action::Reply | Action::Return => (&[W::Unit], &[S::Assigned]),
            Action::Feedback => (&[W::Deputy, W::Staff], &[S::Replied]),
            // the citizen sees the unit's reply on the tracking page at once and may rate it before anyone
            // passes it on
            Action::Rate { .. } => (&[W::Citizen, W::Staff], &[S::Replied, S::Answered]),
            Action::Publish => (&[W::Staff], &[S::Closed]),
            Action::Merge { .. } => (&[W::Staff], &[S::Submitted, S::Referred, S::Accepted]),
        };
        if !actors.contains(&who) {
            return Err(not_yours());
        }
        if !stages.contains(&self.stage) {
            return Err(wrong());
        }
        // a deputy acts on what reached them; staff take an item from the deputy's inbox only once
        // it is handed over; the deputy passes back only what came through them
        match (action, who) {
            (Action::DeputyAnswer | Action::HandOver, _) if !self.deputy_first => return Err(not_yours()),
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
            Action::HandOver => next.stage = S::Referred,
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
            Action::Rate { rating } => {
                next.rating = Some(rating);
                next.stage = match (rating, self.unit) {
                    (Rating::Satisfied | Rating::Basic, _) => S::Closed,
                    // 不满意 goes back to the unit that answered
                    (Rating::Unsatisfied, Some(_)) => S::Assigned,
                    // answered without a unit (by the deputy or on the spot): back to registration
                    (Rating::Unsatisfied, None) => S::Referred,
                };
                if rating == Rating::Unsatisfied {
                    next.reopens += 1;
                }
            }
            Action::Publish => next.stage = S::Published,
            Action::Merge { .. } => next.stage = S::Merged,
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use Actor as W;
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
                    rating: Rating::Unsatisfied,
                },
            ),
            (W::Unit, A::Reply),
            (W::Staff, A::Feedback),
            (
                W::Citizen,
                A::Rate {
                    rating: Rating::Satisfied,
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
                    rating: Rating::Unsatisfied,
                },
            )
            .unwrap();
        assert_eq!((d.stage, d.holder()), (Stage::Referred, Holder::Station));
    }

    fn any_action() -> impl Strategy<Value = (Actor, Action)> {
        let who = prop_oneof![Just(W::Citizen), Just(W::Deputy), Just(W::Staff), Just(W::Unit)];
        let rating = prop_oneof![
            Just(Rating::Satisfied),
            Just(Rating::Basic),
            Just(Rating::Unsatisfied)
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
            rating.prop_map(|rating| A::Rate { rating }),
            Just(A::Publish),
            (1i64..4).prop_map(|into| A::Merge { into }),
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
                        if let A::Rate { rating: Rating::Unsatisfied } = a { unsatisfied += 1; }
                        if next.stage == Stage::Published { prop_assert_eq!(before.stage, Stage::Closed); }
                        if next.stage == Stage::Closed {
                            prop_assert!(matches!(next.rating, Some(Rating::Satisfied | Rating::Basic)));
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
