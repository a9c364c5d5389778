//! What a citizen (or staff recording for one) submits, parsed once at the edge: a known category, a
//! description of sensible length, an optional short name, an optional phone that is a phone, and a
//! call-back request only with a number to call. The public form, the staff record form and the API use
//! [`Submission::parse`]; what exists afterwards is valid.

use crate::personal::{CitizenName, Phone};

/// Fewest characters that describe a problem.
pub const MIN_DESCRIPTION: usize = 5;
/// Most characters of a description.
pub const MAX_DESCRIPTION: usize = 1000;
/// Most characters of a name or form of address.
pub const MAX_NAME: usize = 20;

/// The fields as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct SubmissionFields<'a> {
    pub category: &'a str,
    pub description: &'a str,
    pub name: &'a str,
    pub phone: &'a str,
    /// The citizen asks to be called back.
    pub callback: bool,
}

/// One problem with one field, in the words the citizen reads next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

/// A valid submission.
#[derive(Debug, Clone)]
pub struct Submission {
    pub category: String,
    pub description: String,
    pub name: CitizenName,
    pub phone: Option<Phone>,
    pub callback: bool,
}

impl Submission {
    /// Checks every field and reports every problem at once (nothing typed is lost: the caller shows
    /// the form again with the fields as typed).
    pub fn parse(
        f: SubmissionFields<'_>,
        known_category: impl Fn(&str) -> bool,
    ) -> Result<Submission, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut problem = |field, message: String| problems.push(Problem { field, message });
        let category = f.category.trim();
        if !known_category(category) {
            problem("category", "请选择问题类别".into());
        }
        let description = f.description.trim();
        let n = description.chars().count();
        if n < MIN_DESCRIPTION {
            problem(
                "description",
                format!("请把问题说清楚一些（至少 {MIN_DESCRIPTION} 个字）"),
            );
        } else if n > MAX_DESCRIPTION {
            problem(
                "description",
                format!("问题描述不能超过 {MAX_DESCRIPTION} 个字（现在 {n} 个字）"),
            );
        }
        let name = f.name.trim();
        if name.chars().count() > MAX_NAME {
            problem("name", format!("称呼不能超过 {MAX_NAME} 个字"));
        }
        let phone = match Phone::parse(f.phone) {
            Ok(p) => p,
            Err(e) => {
                problem("phone", e.to_string());
                None
            }
        };
        if f.callback && f.phone.trim().is_empty() {
            problem("phone", "需要回电的话，请留下电话号码".into());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Submission {
            category: category.to_owned(),
            description: description.to_owned(),
            name: CitizenName::new(name),
            phone,
            callback: f.callback,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(
        description: &'a str,
        name: &'a str,
        phone: &'a str,
        callback: bool,
    ) -> SubmissionFields<'a> {
        SubmissionFields {
            category: "street_lights",
            description,
            name,
            phone,
            callback,
        }
    }

    #[test]
    fn a_good_submission_and_every_problem_at_once() {
        let known = |c: &str| c == "street_lights";
        let s = Submission::parse(fields(" 村口路灯坏了三天 ", "王", "139 1234 5678", true), known).unwrap();
        assert_eq!(s.description, "村口路灯坏了三天");
        assert_eq!(
            s.phone.map(|p| p.into_personal().expose().to_owned()).as_deref(),
            Some("13912345678")
        );
        let long_name = "名".repeat(21);
        let bad = SubmissionFields {
            category: "rockets",
            ..fields("坏了", &long_name, "12ab", false)
        };
        let problems = Submission::parse(bad, known).unwrap_err();
        let at: Vec<&str> = problems.iter().map(|p| p.field).collect();
        assert_eq!(at, ["category", "description", "name", "phone"]);
        let no_number = Submission::parse(fields("村口路灯坏了三天", "", "", true), known).unwrap_err();
        assert_eq!(no_number[0].message, "需要回电的话，请留下电话号码");
        let long = "字".repeat(MAX_DESCRIPTION + 1);
        let e = Submission::parse(fields(&long, "", "", false), known).unwrap_err();
        assert_eq!(e[0].message, "问题描述不能超过 1000 个字（现在 1001 个字）");
    }
}
