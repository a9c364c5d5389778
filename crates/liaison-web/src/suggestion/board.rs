//! `/board/suggestions`: 代表建议办理情况公开栏, per meeting: each registered item's number, title,
//! proposer and co-signer count, lead unit, reply class, state and the proposer's rating, with the
//! figures over them. Public; nothing personal beyond deputies' names.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::opinion::Satisfaction;
use liaison_domain::suggestion::Stage;
use liaison_store::suggestion::board::{BoardFigures, BoardRow};
use serde::Deserialize;

use crate::ctx::RequestCtx;
use crate::extract::Query;
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/board.html")]
pub struct BoardPage {
    page: Page,
    meetings: Vec<(i64, String, String)>,
    meeting: Option<i64>,
    title: String,
    rows: Vec<BoardRow>,
    figures: BoardFigures,
    /// The next page, if any.
    next: Option<String>,
}

impl BoardPage {
    fn is_meeting(&self, id: &i64) -> bool {
        self.meeting == Some(*id)
    }

    fn stage_label(&self, s: &str) -> &'static str {
        Stage::parse(s).map(Stage::label).unwrap_or("")
    }

    fn satisfaction_label(&self, s: &Option<String>) -> &'static str {
        s.as_deref()
            .and_then(Satisfaction::parse)
            .map(Satisfaction::label)
            .unwrap_or("")
    }

    fn kind_label(&self, k: &str) -> &'static str {
        liaison_domain::suggestion::Kind::parse(k).map_or("", |k| k.label())
    }
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    meeting: String,
    /// The number after which the page starts.
    #[serde(default)]
    after: String,
}

/// Rows a board page shows.
const PAGE: i64 = 200;

/// `GET /board/suggestions`
pub async fn board(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<BoardQuery>,
) -> Result<BoardPage, WebError> {
    let meetings = state.store.board_meetings().await?;
    let meeting = match q.meeting.trim() {
        "" => meetings.first().map(|c| c.0),
        c => Some(
            c.parse::<i64>()
                .ok()
                .filter(|id| meetings.iter().any(|g| g.0 == *id))
                .ok_or(WebError::NotFound)?,
        ),
    };
    let after = q.after.trim().parse::<i32>().ok();
    let (mut rows, figures) = match meeting {
        Some(m) => (
            state.store.suggestion_board(m, after, PAGE + 1).await?,
            state.store.board_figures(m).await?,
        ),
        None => (vec![], BoardFigures::default()),
    };
    let next = match (meeting, rows.len() as i64 > PAGE) {
        (Some(m), true) => {
            rows.truncate(PAGE as usize);
            rows.last()
                .and_then(|r| r.number)
                .map(|n| format!("/board/suggestions?meeting={m}&after={n}"))
        }
        _ => None,
    };
    let title = meeting
        .and_then(|c| meetings.iter().find(|g| g.0 == c))
        .map(|g| g.1.clone())
        .unwrap_or_default();
    Ok(BoardPage {
        page: Page::public(&ctx, "代表建议办理情况公开栏"),
        meetings,
        meeting,
        title,
        rows,
        figures,
        next,
    })
}
