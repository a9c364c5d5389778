//! A meeting of a congress (届次会次) and its rules for suggestions, kept as data per meeting: the minimum of
//! co-signers for a motion (the law gives 10 for a county meeting), the time a unit has to answer
//! (3 months by default, never more than 6), and the working days within which a unit may return an
//! item that is not its business.

use crate::calendar::Span;
use crate::opinion::submission::Problem;

/// The longest time to answer a suggestion, by law.
pub const MAX_MONTHS: u32 = 6;
/// Bounds of the minimum of co-signers.
pub const MAX_COSIGNERS: u32 = 100;

/// The rules of one meeting, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRules {
    pub name: String,
    pub year: i32,
    pub min_cosigners: u32,
    /// Time to answer after assignment.
    pub answer_within: Span,
    /// Working days after assignment within which the lead unit may return the item.
    pub return_within: Span,
}

/// The fields as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct MeetingFields<'a> {
    pub name: &'a str,
    pub year: &'a str,
    pub min_cosigners: &'a str,
    pub answer_months: &'a str,
    pub return_days: &'a str,
}

impl MeetingRules {
    pub fn parse(f: MeetingFields<'_>) -> Result<MeetingRules, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut problem = |field, message: String| problems.push(Problem { field, message });
        let name = f.name.trim();
        let n = name.chars().count();
        if !(4..=60).contains(&n) {
            problem(
                "name",
                "请填写届次会次名称，如：某某县第十八届人民代表大会第三次会议（4～60 字）".into(),
            );
        }
        let year = f
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y));
        if year.is_none() {
            problem("year", "请填写年度，如 2027".into());
        }
        let min = f
            .min_cosigners
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_COSIGNERS).contains(n));
        if min.is_none() {
            problem(
                "min_cosigners",
                format!("议案联名人数应为 1～{MAX_COSIGNERS} 之间的整数（县级人大代表大会为 10 人）"),
            );
        }
        let months = f
            .answer_months
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| (1..=MAX_MONTHS).contains(m));
        if months.is_none() {
            problem(
                "answer_months",
                format!("办理期限应为 1～{MAX_MONTHS} 个月（一般为 3 个月，最长不超过 6 个月）"),
            );
        }
        let days = f
            .return_days
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=30).contains(d));
        if days.is_none() {
            problem("return_days", "退回期限应为 1～30 个工作日".into());
        }
        match (year, min, months, days) {
            (Some(year), Some(min_cosigners), Some(m), Some(d)) if problems.is_empty() => Ok(MeetingRules {
                name: name.to_owned(),
                year,
                min_cosigners,
                answer_within: Span::Months(m),
                return_within: Span::WorkingDays(d),
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_months_at_most_and_every_problem_at_once() {
        let ok = MeetingRules::parse(MeetingFields {
            name: "某县第十八届人民代表大会第三次会议",
            year: "2027",
            min_cosigners: "10",
            answer_months: "3",
            return_days: "5",
        })
        .unwrap();
        assert_eq!(ok.answer_within, Span::Months(3));
        assert_eq!(ok.return_within, Span::WorkingDays(5));
        let bad = MeetingRules::parse(MeetingFields {
            name: "会",
            year: "二〇二七",
            min_cosigners: "0",
            answer_months: "7",
            return_days: "",
        })
        .unwrap_err();
        let fields: Vec<_> = bad.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            ["name", "year", "min_cosigners", "answer_months", "return_days"]
        );
        assert!(bad[3].message.contains("不超过 6 个月"));
    }
}
