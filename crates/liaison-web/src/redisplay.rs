//! A form shown again to whoever filled it in: an ordinary mistake (a missing answer, no unit chosen,
//! nothing ticked) is not a dead end. The page comes back with a 422, everything typed kept, and the
//! Chinese message next to its field — the mechanism the account and calendar forms use
//! (`<span class="field-error" data-field="…">`), kept here once for every workflow's forms: the
//! opinion item page's actions and bulk page, the suggestion forms. A conflict (someone else moved the item) or a refusal stays an error.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::WebError;
use crate::error::FieldError;

/// The fields the workflow forms show a message beside.
const FIELDS: &[&str] = &[
    "note",
    "reason",
    "unit",
    "co_units",
    "rating",
    "public_text",
    "into",
    "ids",
    "body",
    "organ",
    "prefix",
    "attachment",
    // suggestions
    "title",
    "category",
    "kind",
    "period",
    "meeting",
    "cosigners",
    "opinions",
    "proposer",
    "class",
    "text",
    "explanation",
    "planned",
    "milestones",
    "lead",
    "co",
    "name",
    "year",
    "min_cosigners",
    "answer_months",
    "return_days",
    "done_note",
    // livelihood projects
    "origin",
    "budget",
    "present",
    "yes",
    "no",
    "abstain",
    "percent",
    // review opinions
    "met_on",
    "due_on",
    "satisfied",
    "basic",
    "unsatisfied",
];

/// What was typed into one form and what was wrong with it; empty when the page is shown afresh.
#[derive(Debug, Default, Clone)]
pub struct Redisplay {
    /// Which form of the page (an action's name, or `bulk`).
    form: String,
    typed: Vec<(String, String)>,
    problems: Vec<FieldError>,
}

impl Redisplay {
    /// A mistake in what was typed into `form` (an `Invalid` error) becomes the form shown again;
    /// any other error is returned as it is.
    pub fn of(form: &str, typed: Vec<(String, String)>, e: WebError) -> Result<Redisplay, WebError> {
        match e {
            WebError::Invalid { message, fields, .. } => {
                let problems = if fields.is_empty() {
                    vec![FieldError {
                        field: String::new(),
                        message,
                    }]
                } else {
                    fields
                };
                Ok(Redisplay {
                    form: form.to_owned(),
                    typed,
                    problems,
                })
            }
            e => Err(e),
        }
    }

    /// A form filled in beforehand (boxes ticked elsewhere), with nothing wrong.
    pub fn filled(form: &str, typed: Vec<(String, String)>) -> Redisplay {
        Redisplay {
            form: form.to_owned(),
            typed,
            problems: vec![],
        }
    }

    /// Whether `form` is the one shown again.
    pub fn is(&self, form: &str) -> bool {
        !self.form.is_empty() && self.form == form
    }

    /// The message for `field` of `form`, if it was wrong.
    pub fn problem(&self, form: &str, field: &str) -> Option<&str> {
        if !self.is(form) {
            return None;
        }
        self.problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }

    /// The messages of `form` that belong to no field it shows (`FIELDS`), for the top of the form.
    pub fn loose(&self, form: &str) -> Vec<&str> {
        if !self.is(form) {
            return vec![];
        }
        self.problems
            .iter()
            .filter(|p| !FIELDS.contains(&p.field.as_str()))
            .map(|p| p.message.as_str())
            .collect()
    }

    /// What was typed into `field` of `form` (the first value), if the form is shown again.
    pub fn value(&self, form: &str, field: &str) -> Option<&str> {
        if !self.is(form) {
            return None;
        }
        Some(
            self.typed
                .iter()
                .find(|(k, _)| k == field)
                .map_or("", |(_, v)| v.as_str()),
        )
    }

    /// Whether `value` was among what was sent for `field` of `form` (a ticked box, a chosen option).
    pub fn sent(&self, form: &str, field: &str, value: &str) -> bool {
        self.is(form) && self.typed.iter().any(|(k, v)| k == field && v == value)
    }
}

/// A page with a form shown again, answered as 422.
pub fn unprocessable(page: impl IntoResponse) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mistakes_come_back_on_their_form_and_conflicts_stay_errors() {
        let typed = vec![
            ("note".to_owned(), "路灯".to_owned()),
            ("ids".to_owned(), "3".to_owned()),
        ];
        let r = Redisplay::of("bulk", typed.clone(), WebError::invalid("unit", "请选择主办单位")).unwrap();
        assert_eq!(r.problem("bulk", "unit"), Some("请选择主办单位"));
        assert_eq!(r.problem("reply", "unit"), None);
        assert_eq!(r.value("bulk", "note"), Some("路灯"));
        assert_eq!(r.value("bulk", "unit"), Some(""));
        assert!(r.sent("bulk", "ids", "3") && !r.sent("bulk", "ids", "4"));
        assert_eq!(Redisplay::default().value("bulk", "note"), None);
        let conflict = WebError::Conflict {
            code: "refused",
            message: "该事项已办结".into(),
        };
        assert!(Redisplay::of("bulk", typed, conflict).is_err());
    }
}
