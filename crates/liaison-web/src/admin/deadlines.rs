//! 办理期限: the deadline of each stage, as data (e.g. the unit's reply within 7 working days), typed
//! as a number and a unit (工作日, 自然日, 小时, 个月), rows in the order an item goes through them.
//! Those who keep the working-day calendar change them; a change applies to stages that begin
//! afterwards.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::Permission;
use liaison_domain::calendar::{SPAN_UNITS, Span};
use liaison_domain::opinion::Stage;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::Form;
use crate::layout::Page;
use crate::{AppState, WebError};

/// One rule as the page shows it.
pub struct RuleRow {
    stage: String,
    label: String,
    /// The number and unit in the form (as typed, after a refused save).
    number: String,
    unit: String,
    /// The rule in words: 「7个工作日」.
    reading: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/deadlines.html")]
pub struct DeadlinesPage {
    page: Page,
    rows: Vec<RuleRow>,
    units: &'static [(&'static str, &'static str)],
    error: Option<(String, String)>,
}

/// Where a stage's rule sits in the workflow: the stages in their order, a unit's return of a
/// misassigned item (`return`) while it is assigned, anything else last.
fn workflow_position(stage: &str) -> usize {
    let at = |s: Stage| Stage::ALL.iter().position(|x| *x == s).unwrap_or(0) * 2;
    match stage {
        "return" => at(Stage::Assigned) + 1,
        s => Stage::parse(s).map(at).unwrap_or(usize::MAX),
    }
}

async fn render(
    state: &AppState,
    staff: &Staff,
    error: Option<(String, String)>,
) -> Result<DeadlinesPage, WebError> {
    let d = state
        .store
        .deadlines(liaison_domain::subject::SubjectKind::Opinion)
        .await?;
    let mut rules = d.rules;
    rules.sort_by_key(|r| (workflow_position(&r.stage), r.stage.clone()));
    Ok(DeadlinesPage {
        page: Page::new(&staff.ctx, "办理期限", "/admin/deadlines"),
        rows: rules
            .into_iter()
            .map(|r| {
                let (n, unit) = r.span.parts();
                RuleRow {
                    stage: r.stage,
                    label: r.label,
                    number: n.to_string(),
                    unit: unit.to_owned(),
                    reading: r.span.label(),
                }
            })
            .collect(),
        units: &SPAN_UNITS,
        error,
    })
}

/// `GET /admin/deadlines`
pub async fn page(State(state): State<AppState>, staff: Staff) -> Result<DeadlinesPage, WebError> {
    staff.require(Permission::ManageCalendar)?;
    render(&state, &staff, None).await
}

#[derive(Deserialize)]
pub struct RuleForm {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    unit: String,
    /// The rule as one word (`7wd`), as scripts and older pages send it.
    #[serde(default)]
    span: String,
}

/// `POST /admin/deadlines`: one rule.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<RuleForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageCalendar)?;
    let parsed = if f.span.trim().is_empty() {
        Span::from_parts(&f.number, &f.unit)
    } else {
        Span::parse(&f.span)
    };
    let span = match parsed {
        Ok(s) => s,
        Err(_) => {
            let typed = if f.span.trim().is_empty() {
                f.number.trim()
            } else {
                f.span.trim()
            };
            let msg = format!(
                "“{typed}” 不是有效的期限：请填写 0 或正整数，并选择单位（工作日、自然日、小时或个月）"
            );
            let mut p = render(&state, &staff, Some((f.stage.clone(), msg))).await?;
            if let Some(row) = p.rows.iter_mut().find(|r| r.stage == f.stage) {
                row.number = f.number.clone();
                if SPAN_UNITS.iter().any(|(u, _)| *u == f.unit) {
                    row.unit = f.unit.clone();
                }
            }
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
        }
    };
    state
        .store
        .set_deadline_rule(
            &staff.scope,
            &staff.actor(),
            liaison_domain::subject::SubjectKind::Opinion,
            &f.stage,
            span,
        )
        .await?;
    Ok(Redirect::to("/admin/deadlines?done=saved").into_response())
}
