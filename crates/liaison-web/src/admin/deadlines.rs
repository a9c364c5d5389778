//! 办理期限: the deadline of each stage, as data (e.g. the unit's reply within 7 working days). Those who
//! keep the working-day calendar change them; a change applies to stages that begin afterwards.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::Permission;
use liaison_domain::calendar::Span;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::Form;
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "admin/deadlines.html")]
pub struct DeadlinesPage {
    page: Page,
    /// (stage, what it is for, span as typed, its Chinese reading)
    rows: Vec<(String, String, String, String)>,
    error: Option<(String, String)>,
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
    Ok(DeadlinesPage {
        page: Page::new(&staff.ctx, "办理期限", "/admin/deadlines"),
        rows: d
            .rules
            .into_iter()
            .map(|r| (r.stage, r.label, r.span.to_string(), r.span.label()))
            .collect(),
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
    span: String,
}

/// `POST /admin/deadlines`: one rule.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<RuleForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageCalendar)?;
    let span = match Span::parse(&f.span) {
        Ok(s) => s,
        Err(_) => {
            let msg = format!(
                "“{}” 不是有效的期限：请写成 24h（小时）、7wd（工作日）或 3mo（个月）",
                f.span.trim()
            );
            let mut p = render(&state, &staff, Some((f.stage.clone(), msg))).await?;
            if let Some(row) = p.rows.iter_mut().find(|r| r.0 == f.stage) {
                row.2 = f.span.clone();
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
