//! The office's form creating a review opinion, parsed once: the report reviewed, the meeting (as
//! written, e.g. 县第十八届人大常委会第十二次会议) and its date, the opinion's text, the body it goes to
//! and the date its report is due. Every problem is named per field at once.

use chrono::NaiveDate;

use crate::opinion::submission::Problem;

pub const MAX_TITLE: usize = 80;
pub const MAX_MEETING: usize = 60;
pub const MIN_BODY: usize = 20;
pub const MAX_BODY: usize = 20_000;

/// The fields as typed.
#[derive(Debug, Clone, Default)]
pub struct DraftFields<'a> {
    /// The report the meeting reviewed (关于……工作情况的报告).
    pub title: &'a str,
    pub meeting: &'a str,
    /// The meeting's date, `YYYY-MM-DD`.
    pub met_on: &'a str,
    /// The review opinion's text.
    pub body: &'a str,
    /// The handling unit's id as posted.
    pub unit: &'a str,
    /// The report's due date, `YYYY-MM-DD`.
    pub due_on: &'a str,
}

/// A valid draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub meeting: String,
    pub met_on: NaiveDate,
    pub body: String,
    pub unit: i64,
    pub due_on: NaiveDate,
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

impl Draft {
    /// Checks every field against `today` (Beijing): the meeting has taken place, the due date is
    /// after today and after the meeting.
    pub fn parse(f: &DraftFields<'_>, today: NaiveDate) -> Result<Draft, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut problem = |field, message: String| problems.push(Problem { field, message });
        let title = f.title.trim();
        let n = title.chars().count();
        if !(4..=MAX_TITLE).contains(&n) {
            problem(
                "title",
                format!("请填写审议的报告名称（4～{MAX_TITLE} 字），现有 {n} 字"),
            );
        }
        let meeting = f.meeting.trim();
        let n = meeting.chars().count();
        if !(4..=MAX_MEETING).contains(&n) {
            problem(
                "meeting",
                format!("请填写会议名称，如：县第十八届人大常委会第十二次会议（4～{MAX_MEETING} 字）"),
            );
        }
        let met_on = date(f.met_on);
        match met_on {
            None => problem("met_on", "请填写会议日期".into()),
            Some(d) if d > today => problem("met_on", "会议日期不能晚于今天".into()),
            Some(_) => {}
        }
        let body = f.body.trim();
        let n = body.chars().count();
        if n < MIN_BODY {
            problem(
                "body",
                format!("请填写审议意见全文（至少 {MIN_BODY} 字），现有 {n} 字"),
            );
        } else if n > MAX_BODY {
            problem("body", format!("审议意见最多 {MAX_BODY} 字，现有 {n} 字"));
        }
        let unit = f.unit.trim().parse::<i64>().ok().filter(|u| *u > 0);
        if unit.is_none() {
            problem("unit", "请选择承办单位".into());
        }
        let due_on = date(f.due_on);
        match due_on {
            None => problem("due_on", "请填写报送研究处理情况报告的期限".into()),
            Some(d) if d <= today => problem("due_on", "办理期限须晚于今天".into()),
            Some(d) if met_on.is_some_and(|m| d <= m) => problem("due_on", "办理期限须晚于会议日期".into()),
            Some(_) => {}
        }
        match (met_on, unit, due_on) {
            (Some(met_on), Some(unit), Some(due_on)) if problems.is_empty() => Ok(Draft {
                title: title.to_owned(),
                meeting: meeting.to_owned(),
                met_on,
                body: body.to_owned(),
                unit,
                due_on,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_draft_names_every_problem_at_once() {
        let today = day("2027-03-10");
        let ok = Draft::parse(
            &DraftFields {
                title: " 关于全县义务教育均衡发展情况的报告 ",
                meeting: "县第十八届人大常委会第十二次会议",
                met_on: "2027-03-01",
                body: "常委会组成人员认为，县人民政府在推进义务教育均衡发展方面做了大量工作，但仍存在城乡师资不均等问题。",
                unit: "7",
                due_on: "2027-06-01",
            },
            today,
        )
        .unwrap();
        assert_eq!(
            (ok.title.as_str(), ok.unit),
            ("关于全县义务教育均衡发展情况的报告", 7)
        );
        let bad = Draft::parse(
            &DraftFields {
                title: "短",
                met_on: "2027-04-01",
                body: "太短",
                unit: "x",
                due_on: "2027-03-10",
                ..Default::default()
            },
            today,
        )
        .unwrap_err();
        let fields: Vec<_> = bad.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["title", "meeting", "met_on", "body", "unit", "due_on"]);
        assert_eq!(bad[5].message, "办理期限须晚于今天");
        let before_meeting = Draft::parse(
            &DraftFields {
                met_on: "2027-03-01",
                due_on: "2027-02-01",
                ..Default::default()
            },
            day("2027-01-01"),
        )
        .unwrap_err();
        assert!(
            before_meeting
                .iter()
                .any(|p| p.field == "due_on" && p.message == "办理期限须晚于会议日期")
        );
    }
}
