//! 审议意见: the office's and a body's list (`/reviews`), creating one (`new`), the item page with
//! every step (`item`), and the public board (`board`, `/board/reviews`).

pub mod board;
pub mod item;
pub mod new;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::{DateTime, Utc};
use liaison_domain::review::{Stage, access};
use liaison_store::review::Review;
use liaison_store::review::list::{ReviewCounts, ReviewFilter};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::Query;
use crate::layout::Page;
use crate::routes::Routes;
use crate::{AppState, WebError};

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/reviews", list)
        .get_post("/reviews/new", new::form, new::submit)
        .get("/reviews/{id}", item::detail)
        .post("/reviews/{id}/act", item::act)
        .get("/board/reviews", board::board)
}

/// Rows a page shows.
const PAGE: i64 = 50;

/// The day a deadline falls on (a deadline is the end of its day), as `2027-06-01`.
pub(crate) fn due_day(t: &DateTime<Utc>) -> String {
    liaison_domain::time::local(*t - chrono::Duration::seconds(1))
        .format("%Y-%m-%d")
        .to_string()
}

pub(crate) fn stage_label(s: &str) -> &'static str {
    Stage::parse(s).map(Stage::label).unwrap_or("")
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    before: String,
    done: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "review/list.html")]
pub struct ListPage {
    page: Page,
    counts: ReviewCounts,
    rows: Vec<Review>,
    stage: String,
    overdue: bool,
    stages: Vec<(&'static str, &'static str)>,
    /// The link to the next page, if any.
    next: Option<String>,
    is_staff: bool,
    now: DateTime<Utc>,
}

impl ListPage {
    fn stage_label(&self, s: &str) -> &'static str {
        stage_label(s)
    }

    fn due(&self, r: &Review) -> String {
        r.due_at.as_ref().map(due_day).unwrap_or_default()
    }

    fn is_overdue(&self, r: &Review) -> bool {
        r.stage == "sent" && r.due_at.is_some_and(|d| d < self.now)
    }
}

/// `GET /reviews`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, WebError> {
    let scope = &staff.scope;
    if !access::has_reviews(scope) {
        return Err(WebError::Forbidden);
    }
    let f = ReviewFilter {
        stage: Stage::parse(q.stage.trim()).filter(|s| *s != Stage::Drafted),
        overdue: q.overdue == "1",
    };
    let before = q.before.trim().parse::<i64>().ok();
    let mut rows = state.store.reviews(scope, &f, before, PAGE + 1).await?;
    let next = if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| {
            format!(
                "/reviews?stage={}&overdue={}&before={}",
                f.stage.map_or("", |s| s.as_str()),
                if f.overdue { "1" } else { "" },
                r.id
            )
        })
    } else {
        None
    };
    let counts = state.store.review_counts(scope).await?;
    Ok(ListPage {
        page: Page::new(&staff.ctx, "审议意见", "/reviews").notice(q.done.as_deref()),
        counts,
        rows,
        stage: f.stage.map_or("", |s| s.as_str()).to_owned(),
        overdue: f.overdue,
        stages: Stage::ALL
            .iter()
            .filter(|s| **s != Stage::Drafted)
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        next,
        is_staff: access::is_staff(scope),
        now: Utc::now(),
    })
}
