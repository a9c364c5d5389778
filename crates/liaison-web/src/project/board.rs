//! `/board/projects`: 实事办理结果满意度测评情况公开栏 — a region's chosen livelihood projects of a year:
//! the vote, the unit, progress, and the year-end test's result. Public; no personal data.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::RegionCode;
use liaison_domain::project::Stage;
use liaison_store::project::Project;
use serde::Deserialize;

use crate::ctx::RequestCtx;
use crate::extract::Query;
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "project/board.html")]
pub struct BoardPage {
    page: Page,
    region_name: String,
    year: i32,
    rows: Vec<Project>,
}

impl BoardPage {
    fn stage_label(&self, s: &str) -> &'static str {
        Stage::parse(s).map(Stage::label).unwrap_or("")
    }

    fn share(&self, p: &Project) -> String {
        p.test()
            .map(|b| {
                let verdict = if b.passed() {
                    "通过"
                } else {
                    "未通过，整改中"
                };
                format!("{:.1}%（{verdict}）", f64::from(b.share_permille()) / 10.0)
            })
            .unwrap_or_default()
    }

    fn vote(&self, p: &Project) -> String {
        p.vote()
            .map(|v| format!("出席 {}，赞成 {}", v.present, v.yes))
            .unwrap_or_default()
    }
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    year: String,
}

/// `GET /board/projects`
pub async fn board(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<BoardQuery>,
) -> Result<BoardPage, WebError> {
    let root = state.store.deployment_region().await?;
    let region = match RegionCode::parse(q.region.trim()) {
        Ok(r) => r,
        Err(_) => root.ok_or(WebError::NotFound)?,
    };
    let year = q
        .year
        .trim()
        .parse()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| chrono::Datelike::year(&liaison_domain::time::today()));
    let region_name = state
        .store
        .region(&region)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    Ok(BoardPage {
        page: Page::public(&ctx, "民生实事公开栏"),
        rows: state.store.project_board(&region, year).await?,
        region_name,
        year,
    })
}
