//! 督办 on an item: issue a 督办单 to the lead unit, print it, the unit signs for it; flag the item
//! for 重点督办 with the supervising leader.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::{Permission, mask, supervision};
use liaison_store::opinion::Opinion;
use liaison_store::supervision::SupervisionNotice;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{MultiForm, Path};
use crate::redisplay::{Redisplay, unprocessable};
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
    let issued = match end_of_day(&f.reply_by) {
        Ok(reply_by) => state
            .store
            .issue_supervision(&staff.scope, &staff.actor(), id, &f.demand, reply_by)
            .await
            .map_err(WebError::from),
        Err(e) => Err(e),
    };
    match issued {
        Ok(notice) => Ok(Redirect::to(&format!("/supervision/{notice}")).into_response()),
        Err(e) => {
            let typed = vec![
                ("demand".to_owned(), f.demand.clone()),
                ("reply_by".to_owned(), f.reply_by.clone()),
            ];
            again(&state, &staff, id, Redisplay::of("supervise", typed, e)?).await
        }
    }
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
    match state
        .store
        .set_key_supervision(&staff.scope, &staff.actor(), id, f.on == "1", &f.supervisor)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/opinions/{id}?done=saved#supervision")).into_response()),
        Err(e) => {
            let typed = vec![("supervisor".to_owned(), f.supervisor.clone())];
            again(&state, &staff, id, Redisplay::of("key", typed, e.into())?).await
        }
    }
}

/// The item page with a 督办 form shown again (422).
async fn again(state: &AppState, staff: &Staff, id: i64, again: Redisplay) -> Result<Response, WebError> {
    let page = super::detail::page(state, staff, id, None, None, again).await?;
    Ok(unprocessable(page))
}

#[derive(Template, WebTemplate)]
#[template(path = "print/supervision.html")]
pub struct NoticePage {
    n: SupervisionNotice,
    o: Opinion,
    description: String,
    /// 签发机关: the document head and the signatory of the 落款.
    organ: String,
    /// The issue day as the 落款 writes it (二〇二六年十二月七日).
    issued_on: String,
    /// The issuing region has set no organ and the reader may set it: a link to the settings form.
    organ_unset: bool,
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
    let organ_unset = n.organ_set.is_none()
        && staff.scope.can(Permission::HandleRegionOpinions)
        && n.organ_region.as_deref() == Some(staff.scope.region.as_str());
    Ok(NoticePage {
        organ: n.organ_name(),
        issued_on: supervision::chinese_date(liaison_domain::time::local(n.issued_at).date_naive()),
        organ_unset,
        n,
        o,
        description,
    })
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
