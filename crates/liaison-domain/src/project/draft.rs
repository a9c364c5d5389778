//! A candidate project as typed by the office, parsed once: title, what it is, the year, who
//! proposed it, the budget in 万元 (optional), and the suggestion it came from (optional).

use crate::opinion::submission::Problem;
use crate::project::Origin;

/// The fields as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProjectFields<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub year: &'a str,
    pub origin: &'a str,
    pub budget: &'a str,
}

/// A valid candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectDraft {
    pub title: String,
    pub body: String,
    pub year: i32,
    pub origin: Origin,
    /// 万元.
    pub budget: Option<f64>,
}

impl ProjectDraft {
    pub fn parse(f: ProjectFields<'_>) -> Result<ProjectDraft, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut problem = |field, message: String| problems.push(Problem { field, message });
        let title = f.title.trim();
        if !(4..=60).contains(&title.chars().count()) {
            problem("title", "请填写项目名称（4～60 字）".into());
        }
        let body = f.body.trim();
        if !(10..=5000).contains(&body.chars().count()) {
            problem("body", "请写明建设内容和目标（10～5000 字）".into());
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
        let origin = Origin::parse(f.origin.trim());
        if origin.is_none() {
            problem("origin", "请选择项目来源".into());
        }
        let budget = match f.budget.trim() {
            "" => None,
            b => match b.parse::<f64>() {
                Ok(v) if v.is_finite() && (0.0..=10_000_000.0).contains(&v) => Some(v),
                _ => {
                    problem("budget", "投资额请填写数字（万元），如 350 或 12.5".into());
                    None
                }
            },
        };
        match (year, origin) {
            (Some(year), Some(origin)) if problems.is_empty() => Ok(ProjectDraft {
                title: title.to_owned(),
                body: body.to_owned(),
                year,
                origin,
                budget,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_at_once() {
        let ok = ProjectDraft::parse(ProjectFields {
            title: "城区老旧小区供暖管网改造",
            body: "改造城区 12 个老旧小区供暖管网 8.6 公里，年底前完工。",
            year: "2027",
            origin: "suggestion",
            budget: "1250.5",
        })
        .unwrap();
        assert_eq!((ok.origin, ok.budget), (Origin::Suggestion, Some(1250.5)));
        let bad = ProjectDraft::parse(ProjectFields {
            title: "改",
            budget: "很多",
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<_> = bad.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["title", "body", "year", "origin", "budget"]);
    }
}
