//! What someone does to an opinion ([`Action`]), in which capacity ([`Capacity`]), and the citizen's
//! verdict ([`Satisfaction`]). The one table of who may take each action from which stages is
//! [`Action::rule`]; the state machine checks it, and bulk actions draw their rows from it. Action
//! names from forms and the API are parsed here, once.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::opinion::Stage;

/// The citizen's verdict at the follow-up (回访): 满意 / 基本满意 / 不满意. Stored as `opinion.rating`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    Satisfied,
    Basic,
    Unsatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] = [
        Satisfaction::Satisfied,
        Satisfaction::Basic,
        Satisfaction::Unsatisfied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::Basic => "basic",
            Satisfaction::Unsatisfied => "unsatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Satisfaction> {
        Satisfaction::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "满意",
            Satisfaction::Basic => "基本满意",
            Satisfaction::Unsatisfied => "不满意",
        }
    }
}

/// In which capacity someone acts on an item. The store and the access rules (`opinion::access`)
/// decide which capacities a caller has on an item: the deputy it reached, staff handling it, the lead
/// unit, the citizen holding the receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    Citizen,
    Deputy,
    Staff,
    Unit,
}

impl Capacity {
    pub const ALL: [Capacity; 4] = [
        Capacity::Citizen,
        Capacity::Deputy,
        Capacity::Staff,
        Capacity::Unit,
    ];

    /// The stored and posted form (`opinion_event.actor`, the forms' `as`).
    pub fn as_str(self) -> &'static str {
        match self {
            Capacity::Citizen => "citizen",
            Capacity::Deputy => "deputy",
            Capacity::Staff => "staff",
            Capacity::Unit => "unit",
        }
    }

    pub fn parse(s: &str) -> Option<Capacity> {
        Capacity::ALL.into_iter().find(|c| c.as_str() == s)
    }
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
    /// 回访: the citizen rates on the tracking page, or staff record a phone follow-up. (The field
    /// keeps its stored name, `rating`, in event data.)
    Rate {
        #[serde(rename = "rating")]
        satisfaction: Satisfaction,
    },
    /// 公示 after staff review of the published text.
    Publish,
    /// A duplicate merged into the surviving item `into` (staff, before assignment).
    Merge { into: i64 },
    /// 乡镇接办: staff take an item from the deputy's inbox for registration once the deputy let the
    /// first-response deadline pass (`opinion::takeover`).
    TakeOver,
}

/// The fields a form or an API request sends with an action, as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct ActionFields<'a> {
    pub action: &'a str,
    /// The lead unit (交办).
    pub unit: &'a str,
    /// The follow-up verdict (回访).
    pub satisfaction: &'a str,
    /// The item merged into (合并).
    pub into: &'a str,
}

impl Action {
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
            Action::TakeOver => "take_over",
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
            Action::TakeOver => "乡镇接办",
        }
    }

    /// One of each kind of action (the data fields are placeholders): what `Status::allowed` probes,
    /// what bulk actions and forms parse names into, and what the audit log names
    /// (`AuditAction::Opinion`).
    pub const EACH: [Action; 14] = [
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
            satisfaction: Satisfaction::Satisfied,
        },
        Action::Publish,
        Action::Merge { into: 0 },
        Action::TakeOver,
    ];

    /// The action of a name with placeholder data (for offering and probing, not for acting).
    pub fn by_name(name: &str) -> Option<Action> {
        Action::EACH.into_iter().find(|a| a.name() == name)
    }

    /// The one table: who may take this action, and from which stages.
    pub fn rule(&self) -> (&'static [Capacity], &'static [Stage]) {
        use Capacity as W;
        use Stage as S;
        match self {
            Action::DeputyAnswer | Action::HandOver => (&[W::Deputy], &[S::Submitted]),
            Action::Accept | Action::Decline => (&[W::Staff], &[S::Submitted, S::Referred]),
            Action::AnswerOnSpot => (&[W::Staff], &[S::Submitted, S::Referred, S::Accepted]),
            Action::Escalate | Action::Assign { .. } => (&[W::Staff], &[S::Accepted]),
            Action::Reply | Action::Return => (&[W::Unit], &[S::Assigned]),
            Action::Feedback => (&[W::Deputy, W::Staff], &[S::Replied]),
            // the citizen sees the unit's reply on the tracking page at once and may rate it before
            // anyone passes it on
            Action::Rate { .. } => (&[W::Citizen, W::Staff], &[S::Replied, S::Answered]),
            Action::Publish => (&[W::Staff], &[S::Closed]),
            Action::Merge { .. } => (&[W::Staff], &[S::Submitted, S::Referred, S::Accepted]),
            Action::TakeOver => (&[W::Staff], &[S::Submitted]),
        }
    }

    /// The stages this action may be taken from.
    pub fn stages(&self) -> &'static [Stage] {
        self.rule().1
    }

    /// Actions that need words (an answer, a reason, a comment).
    pub fn needs_words(&self) -> bool {
        matches!(
            self,
            Action::DeputyAnswer | Action::AnswerOnSpot | Action::Reply | Action::Return | Action::HandOver
        )
    }

    /// Whether what was typed with the action is enough: the words an answer, a hand-over or a
    /// return needs, and a decline's reason. A problem names the field and says what to fill in (a
    /// mistake to correct, not a conflict).
    pub fn check_input(&self, note: &str, reason: Option<&str>) -> Result<(), DomainError> {
        let field = |field, message| Err(DomainError::Field { field, message });
        if self.needs_words() && note.trim().is_empty() {
            return field(
                "note",
                match self {
                    Action::DeputyAnswer => "请填写代表直接答复的内容",
                    Action::HandOver => "请说明转交的情况",
                    Action::AnswerOnSpot => "请填写当场答复的内容",
                    Action::Reply => "请填写答复意见",
                    _ => "请填写退回的理由",
                },
            );
        }
        if matches!(self, Action::Decline) && reason.is_none_or(|r| r.trim().is_empty()) {
            return field("reason", "请选择不予受理的理由");
        }
        Ok(())
    }

    /// Parses what a form or the API sent; the error names the field and says what to do.
    pub fn parse(f: ActionFields<'_>) -> Result<Action, DomainError> {
        let id = |text: &str, field: &'static str, message: &'static str| {
            text.trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or(DomainError::Field { field, message })
        };
        Ok(match f.action.trim() {
            "assign" => Action::Assign {
                unit: id(f.unit, "unit", "请选择主办单位")?,
            },
            "rate" => Action::Rate {
                satisfaction: Satisfaction::parse(f.satisfaction.trim()).ok_or(DomainError::Field {
                    field: "rating",
                    message: "请选择回访结果",
                })?,
            },
            "merge" => Action::Merge {
                into: id(f.into, "into", "请选择要并入的事项")?,
            },
            name => Action::by_name(name).ok_or(DomainError::Field {
                field: "action",
                message: "未知的操作",
            })?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored action names, in the order buttons show them.
    const ACTION_NAMES: [&str; 14] = [
        "deputy_answer",
        "hand_over",
        "accept",
        "decline",
        "answer_on_spot",
        "escalate",
        "assign",
        "reply",
        "return",
        "feedback",
        "rate",
        "publish",
        "merge",
        "take_over",
    ];

    #[test]
    fn names_parse_back_and_data_is_required_where_it_matters() {
        for (a, name) in Action::EACH.iter().zip(ACTION_NAMES) {
            assert_eq!(a.name(), name);
            assert_eq!(Action::by_name(name).map(|x| x.name()), Some(name));
        }
        let p = |action, unit, satisfaction, into| {
            Action::parse(ActionFields {
                action,
                unit,
                satisfaction,
                into,
            })
        };
        assert_eq!(p("accept", "", "", ""), Ok(Action::Accept));
        assert_eq!(p("assign", " 7 ", "", ""), Ok(Action::Assign { unit: 7 }));
        assert_eq!(
            p("assign", "x", "", ""),
            Err(DomainError::Field {
                field: "unit",
                message: "请选择主办单位"
            })
        );
        assert_eq!(
            p("rate", "", "basic", ""),
            Ok(Action::Rate {
                satisfaction: Satisfaction::Basic
            })
        );
        assert!(p("rate", "", "great", "").is_err());
        assert!(p("merge", "", "", "-3").is_err());
        assert!(p("launch", "", "", "").is_err());
        for c in Capacity::ALL {
            assert_eq!(Capacity::parse(c.as_str()), Some(c));
        }
    }

    #[test]
    fn missing_words_and_reasons_name_their_field() {
        let field = |a: Action, note, reason| match a.check_input(note, reason) {
            Err(DomainError::Field { field, message }) => Some((field, message)),
            _ => None,
        };
        assert_eq!(
            field(Action::HandOver, " ", None),
            Some(("note", "请说明转交的情况"))
        );
        assert_eq!(field(Action::Reply, "", None), Some(("note", "请填写答复意见")));
        assert_eq!(
            field(Action::Return, "", None),
            Some(("note", "请填写退回的理由"))
        );
        assert_eq!(
            field(Action::Decline, "", Some(" ")),
            Some(("reason", "请选择不予受理的理由"))
        );
        assert_eq!(field(Action::Decline, "", Some("out_of_scope")), None);
        assert_eq!(field(Action::Accept, "", None), None);
        assert_eq!(field(Action::Reply, "已修复", None), None);
    }

    #[test]
    fn event_data_keeps_its_stored_shape() {
        let a = Action::Rate {
            satisfaction: Satisfaction::Unsatisfied,
        };
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, r#"{"action":"rate","rating":"unsatisfied"}"#);
        assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), a);
        assert_eq!(serde_json::to_string(&Capacity::Staff).unwrap(), r#""staff""#);
    }
}
