//! 代表建议、议案: the office's, a unit's and a deputy's list (`/suggestions`), raising one (`new`),
//! the item page with every step (`item`), the meetings and their rules (`meeting`), and the
//! public board (`board`, `/board/suggestions`).

pub mod act;
pub mod board;
pub mod export;
pub mod figures;
pub mod item;
pub mod meeting;
pub mod new;
pub mod topics;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::suggestion::{Stage, access};
use liaison_store::suggestion::Suggestion;
use liaison_store::suggestion::list::{SuggestionCounts, SuggestionFilter};
use liaison_store::suggestion::meeting::Meeting;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::Query;
use crate::layout::Page;
use crate::routes::Routes;
use crate::{AppState, WebError};

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/suggestions", list)
        .get("/suggestions/export.xlsx", export::export)
        .get_post("/suggestions/new", new::form, new::submit)
        .get_post("/suggestions/meetings", meeting::list, meeting::save)
        .get("/suggestions/topics", topics::topics)
        .get("/suggestions/figures", figures::figures)
        .get("/suggestions/{id}", item::detail)
        .post("/suggestions/{id}/act", act::act)
        .post("/suggestions/{id}/key", item::key)
        .post("/suggestions/{id}/milestones/{milestone}", item::milestone)
        .get("/suggestions/{id}/letter", item::letter)
        .get("/board/suggestions", board::board)
}

/// Rows a page shows.
const PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    meeting: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    class: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    before: String,
    done: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/list.html")]
pub struct ListPage {
    page: Page,
    meetings: Vec<Meeting>,
    meeting: Option<i64>,
    counts: SuggestionCounts,
    rows: Vec<Suggestion>,
    stage: String,
    class: String,
    key: bool,
    overdue: bool,
    q: String,
    classes: Vec<(String, String)>,
    stages: Vec<(&'static str, &'static str)>,
    /// The link to the next page, if any.
    next: Option<String>,
    may_propose: bool,
    is_staff: bool,
    /// The export of this view.
    export: String,
}

impl ListPage {
    fn is_meeting(&self, id: &i64) -> bool {
        self.meeting == Some(*id)
    }

    fn stage_label(&self, s: &str) -> &'static str {
        Stage::parse(s).map(Stage::label).unwrap_or("")
    }
}

/// `GET /suggestions`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, WebError> {
    let scope = &staff.scope;
    if !access::has_suggestions(scope) {
        return Err(WebError::Forbidden);
    }
    let meetings = state.store.meetings(scope).await?;
    let f = filter_of(&q, &meetings)?;
    let meeting = f.meeting;
    let before = q.before.trim().parse::<i64>().ok();
    let mut rows = state.store.suggestions(scope, &f, before, PAGE + 1).await?;
    let base = format!(
        "meeting={}&stage={}&class={}&key={}&overdue={}&q={}",
        meeting.map_or("all".to_owned(), |c| c.to_string()),
        urlencoding(&q.stage),
        urlencoding(&q.class),
        urlencoding(&q.key),
        urlencoding(&q.overdue),
        urlencoding(&q.q),
    );
    let next = if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last()
            .map(|r| format!("/suggestions?{base}&before={}", r.id))
    } else {
        None
    };
    let counts = state.store.suggestion_counts(scope, meeting).await?;
    let classes = state
        .store
        .reply_classes()
        .await?
        .into_iter()
        .map(|c| (c.code, c.label))
        .collect();
    Ok(ListPage {
        page: Page::new(&staff.ctx, "代表建议", "/suggestions").notice(q.done.as_deref()),
        meetings,
        meeting,
        counts,
        rows,
        stage: q.stage,
        class: q.class,
        key: f.key_only,
        overdue: f.overdue,
        export: format!("/suggestions/export.xlsx?{base}"),
        q: q.q,
        classes,
        stages: Stage::ALL
            .iter()
            .filter(|s| **s != Stage::Draft)
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        next,
        may_propose: access::is_deputy(scope) || access::is_staff(scope),
        is_staff: access::is_staff(scope),
    })
}

/// The list's filter from its query: the meeting (the newest by default; `all`: every one the caller
/// has), stage (`office`: what waits for the office), class, 重点督办, overdue, title words.
pub(crate) fn filter_of(q: &ListQuery, meetings: &[Meeting]) -> Result<SuggestionFilter, WebError> {
    let meeting = match q.meeting.trim() {
        "all" => None,
        "" => meetings.first().map(|c| c.id),
        c => Some(
            c.parse::<i64>()
                .ok()
                .filter(|id| meetings.iter().any(|g| g.id == *id))
                .ok_or(WebError::NotFound)?,
        ),
    };
    Ok(SuggestionFilter {
        meeting,
        stages: match q.stage.trim() {
            // what waits for the office: co-signatures, registration, assignment
            "office" => vec![Stage::Cosigning, Stage::Submitted, Stage::Registered],
            s => Stage::parse(s).into_iter().collect(),
        },
        class: Some(q.class.trim().to_owned()).filter(|c| !c.is_empty()),
        unit: None,
        key_only: q.key == "1",
        overdue: q.overdue == "1",
        q: Some(q.q.trim().to_owned()).filter(|s| !s.is_empty()),
    })
}

/// Percent-encodes a query value.
fn urlencoding(s: &str) -> String {
    form_urlencoded::byte_serialize(s.trim().as_bytes()).collect()
}
