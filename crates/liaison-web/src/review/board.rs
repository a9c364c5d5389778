//! `/board/reviews`: 审议意见办理落实情况公开栏, per region: each review opinion's report reviewed,
//! meeting, body, state, the office's examination and the satisfaction test's result. Public; nothing
//! personal.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_store::review::list::BoardRow;
use serde::Deserialize;

use crate::ctx::RequestCtx;
use crate::extract::Query;
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "review/board.html")]
pub struct BoardPage {
    page: Page,
    /// Regions with a board: (code, name).
    regions: Vec<(String, String)>,
    region: Option<String>,
    rows: Vec<BoardRow>,
    /// The next page, if any.
    next: Option<String>,
}

impl BoardPage {
    fn is_region(&self, code: &str) -> bool {
        self.region.as_deref() == Some(code)
    }

    fn stage_label(&self, s: &str) -> &'static str {
        super::stage_label(s)
    }
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    region: String,
    /// The id before which the page starts.
    #[serde(default)]
    before: String,
}

/// Rows a board page shows.
const PAGE: i64 = 100;

/// `GET /board/reviews`
pub async fn board(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<BoardQuery>,
) -> Result<BoardPage, WebError> {
    let regions = state.store.review_board_regions().await?;
    let region = match q.region.trim() {
        "" => regions.first().map(|r| r.0.clone()),
        c => Some(
            regions
                .iter()
                .find(|r| r.0 == c)
                .map(|r| r.0.clone())
                .ok_or(WebError::NotFound)?,
        ),
    };
    let before = q.before.trim().parse::<i64>().ok();
    let mut rows = match &region {
        Some(r) => state.store.review_board(r, before, PAGE + 1).await?,
        None => vec![],
    };
    let next = match (&region, rows.len() as i64 > PAGE) {
        (Some(r), true) => {
            rows.truncate(PAGE as usize);
            rows.last()
                .map(|x| format!("/board/reviews?region={r}&before={}", x.id))
        }
        _ => None,
    };
    Ok(BoardPage {
        page: Page::public(&ctx, "审议意见办理落实情况公开栏"),
        regions,
        region,
        rows,
        next,
    })
}
