//! 答复类别: the classes a unit's reply is given, kept as data (default A 已解决或采纳, B 正在解决或列入
//! 计划, C 因条件限制留作参考; some places use four). A class may require an explanation (C) or an
//! expected completion and milestones (B); [`check_reply`] checks a reply against its class.

use chrono::NaiveDate;

use crate::opinion::submission::Problem;

/// Most characters of a reply.
pub const MAX_REPLY: usize = 5000;
/// Fewest characters of a reply.
pub const MIN_REPLY: usize = 10;
/// Most milestones a reply lists.
pub const MAX_MILESTONES: usize = 12;

/// One class of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyClass {
    pub code: String,
    pub label: String,
    /// The reply must explain why (C: 因条件限制留作参考).
    pub needs_explanation: bool,
    /// The reply must give an expected completion and milestones (B: 正在解决或列入计划).
    pub needs_plan: bool,
}

impl ReplyClass {
    /// The default list, seeded by the migration.
    pub fn defaults() -> Vec<ReplyClass> {
        let c = |code: &str, label: &str, needs_explanation, needs_plan| ReplyClass {
            code: code.into(),
            label: label.into(),
            needs_explanation,
            needs_plan,
        };
        vec![
            c("A", "已解决或采纳", false, false),
            c("B", "正在解决或列入计划解决", false, true),
            c("C", "因条件限制或其他原因需要以后解决，留作参考", true, false),
        ]
    }
}

/// A milestone of a class-B reply: by when, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub due_on: NaiveDate,
    pub what: String,
}

/// A reply as typed.
#[derive(Debug, Clone, Default)]
pub struct ReplyFields<'a> {
    pub class: &'a str,
    pub text: &'a str,
    pub explanation: &'a str,
    pub planned: &'a str,
    /// (date, what) pairs as typed; empty pairs are skipped.
    pub milestones: Vec<(&'a str, &'a str)>,
}

/// A reply that fits its class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub class: String,
    pub text: String,
    pub explanation: String,
    pub planned: Option<NaiveDate>,
    pub milestones: Vec<Milestone>,
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// Checks a reply against the class list; every problem at once, by field. `today` bounds the dates
/// (a plan lies ahead).
pub fn check_reply(
    f: &ReplyFields<'_>,
    classes: &[ReplyClass],
    today: NaiveDate,
) -> Result<Reply, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut problem = |field, message: String| problems.push(Problem { field, message });
    let class = classes.iter().find(|c| c.code == f.class.trim());
    if class.is_none() {
        problem("class", "请选择答复类别".into());
    }
    let text = f.text.trim();
    let n = text.chars().count();
    if n < MIN_REPLY {
        problem("text", format!("请填写答复内容（至少 {MIN_REPLY} 个字）"));
    } else if n > MAX_REPLY {
        problem("text", format!("答复内容最多 {MAX_REPLY} 字，现有 {n} 字"));
    }
    let explanation = f.explanation.trim();
    if class.is_some_and(|c| c.needs_explanation) && explanation.chars().count() < 5 {
        problem("explanation", "该类别须说明留作参考的原因（至少 5 个字）".into());
    }
    let needs_plan = class.is_some_and(|c| c.needs_plan);
    let planned = match f.planned.trim() {
        "" => None,
        s => match date(s) {
            Some(d) if d >= today => Some(d),
            Some(_) => {
                problem("planned", "预计完成日期不能早于今天".into());
                None
            }
            None => {
                problem("planned", "请按 2027-03-31 的格式填写日期".into());
                None
            }
        },
    };
    if needs_plan && planned.is_none() && !f.planned.trim().is_empty() {
        // already reported above
    } else if needs_plan && planned.is_none() {
        problem("planned", "该类别须填写预计完成日期".into());
    }
    let mut milestones = Vec::new();
    for (d, what) in &f.milestones {
        let (d, what) = (d.trim(), what.trim());
        if d.is_empty() && what.is_empty() {
            continue;
        }
        match (date(d), what.is_empty()) {
            (Some(due_on), false) => milestones.push(Milestone {
                due_on,
                what: what.chars().take(200).collect(),
            }),
            (None, _) => problem("milestones", format!("节点日期“{d}”应为 2027-03-31 的格式")),
            (Some(_), true) => problem("milestones", "每个节点都要写明要完成的事项".into()),
        }
    }
    if milestones.len() > MAX_MILESTONES {
        problem("milestones", format!("最多填写 {MAX_MILESTONES} 个节点"));
    }
    if needs_plan && milestones.is_empty() {
        problem("milestones", "该类别须填写至少一个办理节点".into());
    }
    if let (Some(p), Some(last)) = (planned, milestones.iter().map(|m| m.due_on).max())
        && last > p
    {
        problem("milestones", "节点日期不能晚于预计完成日期".into());
    }
    match class {
        Some(c) if problems.is_empty() => Ok(Reply {
            class: c.code.clone(),
            text: text.to_owned(),
            explanation: explanation.to_owned(),
            planned,
            milestones,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn class_b_needs_a_plan_and_c_an_explanation() {
        let classes = ReplyClass::defaults();
        let today = day("2027-01-10");
        let text = "已会同交通部门制定改造方案，列入年度计划。";
        let b = ReplyFields {
            class: "B",
            text,
            ..Default::default()
        };
        let e = check_reply(&b, &classes, today).unwrap_err();
        let fields: Vec<_> = e.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["planned", "milestones"]);
        let b = ReplyFields {
            planned: "2027-06-30",
            milestones: vec![("2027-03-31", "完成设计"), ("", "")],
            ..b
        };
        let ok = check_reply(&b, &classes, today).unwrap();
        assert_eq!(ok.planned, Some(day("2027-06-30")));
        assert_eq!(ok.milestones.len(), 1);
        let late = ReplyFields {
            milestones: vec![("2027-09-01", "完工")],
            ..b.clone()
        };
        assert_eq!(
            check_reply(&late, &classes, today).unwrap_err()[0].message,
            "节点日期不能晚于预计完成日期"
        );
        let c = ReplyFields {
            class: "C",
            text,
            ..Default::default()
        };
        assert_eq!(
            check_reply(&c, &classes, today).unwrap_err()[0].field,
            "explanation"
        );
        let c = ReplyFields {
            explanation: "受财力所限，留作今后参考",
            ..c
        };
        assert!(check_reply(&c, &classes, today).is_ok());
        let bad = ReplyFields {
            class: "Z",
            text: "短",
            planned: "明年",
            ..Default::default()
        };
        let fields: Vec<_> = check_reply(&bad, &classes, today)
            .unwrap_err()
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["class", "text", "planned"]);
    }
}
