//! What a deputy (or staff for one) submits, parsed once: a title, the text, a category from the list,
//! the kind and period, the meeting, and the co-signers (other deputies, each once).

use crate::opinion::submission::Problem;
use crate::suggestion::{Kind, Period};

pub const MAX_TITLE: usize = 60;
pub const MIN_BODY: usize = 20;
pub const MAX_BODY: usize = 10_000;
/// Most co-signers on one item.
pub const MAX_COSIGNERS: usize = 200;
/// Most citizen opinions linked to one item.
pub const MAX_LINKS: usize = 50;

/// The fields as typed.
#[derive(Debug, Clone, Default)]
pub struct DraftFields<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub category: &'a str,
    pub kind: &'a str,
    pub period: &'a str,
    pub meeting: &'a str,
    /// Person ids of the co-signers as posted.
    pub cosigners: Vec<&'a str>,
    /// Receipt numbers or ids of citizen opinions behind it, separated by spaces, commas or lines.
    pub opinions: &'a str,
}

/// A valid draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub body: String,
    pub category: String,
    pub kind: Kind,
    pub period: Period,
    pub meeting: i64,
    pub cosigners: Vec<i64>,
    /// Opinion references as typed (receipts or ids), each once; the store resolves them in scope.
    pub opinions: Vec<String>,
}

impl Draft {
    /// Checks every field, every problem at once.
    pub fn parse(f: &DraftFields<'_>, known_category: impl Fn(&str) -> bool) -> Result<Draft, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut problem = |field, message: String| problems.push(Problem { field, message });
        let title = f.title.trim();
        let n = title.chars().count();
        if !(4..=MAX_TITLE).contains(&n) {
            problem("title", format!("请填写标题（4～{MAX_TITLE} 字），现有 {n} 字"));
        }
        let body = f.body.trim();
        let n = body.chars().count();
        if n < MIN_BODY {
            problem(
                "body",
                format!("请写明问题和具体建议（至少 {MIN_BODY} 字），现有 {n} 字"),
            );
        } else if n > MAX_BODY {
            problem("body", format!("正文最多 {MAX_BODY} 字，现有 {n} 字"));
        }
        let category = f.category.trim();
        if !known_category(category) {
            problem("category", "请选择类别".into());
        }
        let kind = Kind::parse(f.kind.trim());
        if kind.is_none() {
            problem("kind", "请选择建议或议案".into());
        }
        let period = Period::parse(f.period.trim());
        if period.is_none() {
            problem("period", "请选择大会期间或闭会期间".into());
        }
        let meeting = f.meeting.trim().parse::<i64>().ok().filter(|c| *c > 0);
        if meeting.is_none() {
            problem("meeting", "请选择届次".into());
        }
        let mut cosigners = Vec::new();
        for c in f.cosigners.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
            match c.parse::<i64>() {
                Ok(id) if id > 0 => {
                    if !cosigners.contains(&id) {
                        cosigners.push(id);
                    }
                }
                _ => {
                    problem("cosigners", "联名代表的选择无效，请重新选择".into());
                    break;
                }
            }
        }
        if cosigners.len() > MAX_COSIGNERS {
            problem("cosigners", format!("联名代表最多 {MAX_COSIGNERS} 名"));
        }
        let mut opinions: Vec<String> = Vec::new();
        for r in f
            .opinions
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
            .filter(|r| !r.is_empty())
        {
            if !r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') || r.len() > 32 {
                problem(
                    "opinions",
                    format!(
                        "“{}”不是群众意见的编号或回执号",
                        r.chars().take(20).collect::<String>()
                    ),
                );
                break;
            }
            if !opinions.iter().any(|o| o == r) {
                opinions.push(r.to_owned());
            }
        }
        if opinions.len() > MAX_LINKS {
            problem("opinions", format!("最多关联 {MAX_LINKS} 件群众意见"));
        }
        match (kind, period, meeting) {
            (Some(kind), Some(period), Some(meeting)) if problems.is_empty() => Ok(Draft {
                title: title.to_owned(),
                body: body.to_owned(),
                category: category.to_owned(),
                kind,
                period,
                meeting,
                cosigners,
                opinions,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_keeps_each_cosigner_once_and_names_every_problem() {
        let ok = Draft::parse(
            &DraftFields {
                title: "关于改造老旧小区雨污管网的建议",
                body: "城关镇多个老旧小区雨污合流，雨季污水倒灌，建议列入年度改造计划并分步实施。",
                category: "城乡建设",
                kind: "suggestion",
                period: "recess",
                meeting: "3",
                cosigners: vec!["7", "8", "7", ""],
                opinions: "Q2027-0001，12 Q2027-0001",
            },
            |c| c == "城乡建设",
        )
        .unwrap();
        assert_eq!(ok.cosigners, [7, 8]);
        assert_eq!(ok.opinions, ["Q2027-0001", "12"]);
        let bad = Draft::parse(
            &DraftFields {
                title: "短",
                body: "太短",
                cosigners: vec!["x"],
                opinions: "<script>",
                ..Default::default()
            },
            |_| false,
        )
        .unwrap_err();
        let fields: Vec<_> = bad.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "title",
                "body",
                "category",
                "kind",
                "period",
                "meeting",
                "cosigners",
                "opinions"
            ]
        );
    }
}
