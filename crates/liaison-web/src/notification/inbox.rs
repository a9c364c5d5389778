//! `/inbox`: the signed-in person's notices (消息), newest first, unread in bold. Opening one marks it
//! read and goes to its item; 「全部标为已读」 clears the badge.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_store::notification::InboxItem;
use liaison_store::page::{self, Key, Paged};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Path, Query};
use crate::layout::Page;
use crate::{AppState, WebError};

const PAGE: i64 = 30;

#[derive(Deserialize, Default)]
pub struct InboxQuery {
    /// The id of the last notice shown (a malformed one is the first page).
    #[serde(default)]
    before: String,
    done: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "notification/inbox.html")]
pub struct InboxPage {
    page: Page,
    items: Vec<InboxItem>,
    unread: i64,
    next: Option<String>,
}

/// `GET /inbox`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<InboxQuery>,
) -> Result<InboxPage, WebError> {
    let rows = state
        .store
        .inbox(&staff.scope, Key::parse(&q.before), page::fetch(PAGE))
        .await?;
    let items = Paged::cut(rows, PAGE, |i: &InboxItem| i.id);
    Ok(InboxPage {
        page: Page::new(&staff.ctx, "消息", "/inbox").notice(q.done.as_deref()),
        unread: staff.ctx.unread,
        next: items.next.map(|id| format!("/inbox?before={id}")),
        items: items.rows,
    })
}

/// `GET /inbox/{id}`: marks the notice read and opens its item.
pub async fn open(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let to = match state.store.mark_read(&staff.scope, id).await? {
        Some(subject) => subject.path(),
        None => "/inbox".to_owned(),
    };
    Ok(Redirect::to(&to).into_response())
}

/// `POST /inbox/read-all`
pub async fn read_all(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    state.store.mark_all_read(&staff.scope).await?;
    Ok(Redirect::to("/inbox?done=saved").into_response())
}
