//! 督办 on an item: issue a 督办单 to the lead unit, print it, the unit signs for it; flag the item
//! for 重点督办 with the supervising leader.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::mask;
use liaison_store::opinion::Opinion;
use liaison_store::supervision::SupervisionNotice;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{MultiForm, Path};
use crate::{AppState, WebError};

#[derive(Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    demand: String,
    /// `YYYY-MM-DD`, the end of that day in Beijing time; empty = none.
    #[serde(default)]
    reply_by: String,
}

fn end_of_day(date: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, WebError> {
    super::beijing_day(
        date,
        "reply_by",
        23,
        59,
        59,
        ("答复时限的日期格式应为 2026-12-01", "答复时限无效"),
    )
}

/// `POST /opinions/{id}/supervise`
pub async fn issue(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    MultiForm(f): MultiForm<IssueForm>,
) -> Result<Response, WebError> {
    let reply_by = end_of_day(&f.reply_by)?;
    let notice = state
        .store
        .issue_supervision(&staff.scope, &staff.actor(), id, &f.demand, reply_by)
        .await?;
    Ok(Redirect::to(&format!("/supervision/{notice}")).into_response())
}

#[derive(Deserialize)]
pub struct KeyForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    supervisor: String,
}

/// `POST /opinions/{id}/key`: 重点督办 on or off.
pub async fn key(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    MultiForm(f): MultiForm<KeyForm>,
) -> Result<Response, WebError> {
    state
        .store
        .set_key_supervision(&staff.scope, &staff.actor(), id, f.on == "1", &f.supervisor)
        .await?;
    Ok(Redirect::to(&format!("/opinions/{id}?done=saved#supervision")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "print/supervision.html")]
pub struct NoticePage {
    n: SupervisionNotice,
    o: Opinion,
    description: String,
}

/// `GET /supervision/{id}`: the printable 督办单.
pub async fn print(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<NoticePage, WebError> {
    // the store masks the notice and the item for a unit the citizen did not allow
    let (n, o) = state.store.opinion_notice(&staff.scope, id).await?;
    let o = o.into_inner();
    // the notice goes to a unit on paper: no phone numbers typed into the text
    let description = mask::free_text(&o.description);
    Ok(NoticePage { n, o, description })
}

#[derive(Deserialize)]
pub struct AckForm {
    #[serde(default)]
    note: String,
}

/// `POST /supervision/{id}/ack`: the unit signs for the notice.
pub async fn acknowledge(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    MultiForm(f): MultiForm<AckForm>,
) -> Result<Response, WebError> {
    let subject = state
        .store
        .acknowledge_supervision(&staff.scope, &staff.actor(), id, &f.note)
        .await?;
    Ok(Redirect::to(&format!("{}?done=saved#supervision", subject.path())).into_response())
}
