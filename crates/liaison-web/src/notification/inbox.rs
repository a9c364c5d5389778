//! `/inbox`: the signed-in person's notices (消息), newest first, unread in bold. Opening one marks it
//! read and goes to its item; 「全部标为已读」 clears the badge.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use liaison_store::notification::InboxItem;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::layout::Page;
use crate::{AppState, WebError};

const PAGE: i64 = 30;

#[derive(Deserialize, Default)]
pub struct InboxQuery {
    before: Option<i64>,
    done: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "inbox.html")]
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
    let mut items = state.store.inbox(&staff.scope, q.before, PAGE + 1).await?;
    let next = (items.len() as i64 > PAGE)
        .then(|| {
            items
                .get(PAGE as usize - 1)
                .map(|i| format!("/inbox?before={}", i.id))
        })
        .flatten();
    items.truncate(PAGE as usize);
    Ok(InboxPage {
        page: Page::new(&staff.ctx, "消息", "/inbox").notice(q.done.as_deref()),
        unread: staff.ctx.unread,
        items,
        next,
    })
}

/// `GET /inbox/{id}`: marks the notice read and opens its item.
pub async fn open(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let to = match state.store.mark_read(&staff.scope, id).await? {
        Some(opinion) => format!("/opinions/{opinion}"),
        None => "/inbox".to_owned(),
    };
    Ok(Redirect::to(&to).into_response())
}

/// `POST /inbox/read-all`
pub async fn read_all(State(state): State<AppState>, staff: Staff) -> Result<Response, WebError> {
    state.store.mark_all_read(&staff.scope).await?;
    Ok(Redirect::to("/inbox?done=saved").into_response())
}
