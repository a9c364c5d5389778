//! The region tree as staff see it: their own subtree only. Also the region picker forms and list
//! filters use (`picker`): regions chosen by name, drilling down, with or without JavaScript.

mod picker;

pub use picker::{Picker, PickerMode, picker, render_picker, render_picker_as};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Redirect;
use liaison_domain::RegionCode;
use liaison_store::region::Region;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Path, Query};
use crate::layout::Page;
use crate::{AppState, WebError};

pub async fn root(staff: Staff) -> Redirect {
    Redirect::to(&format!("/regions/{}", staff.scope.region.short()))
}

#[derive(Template, WebTemplate)]
#[template(path = "regions.html")]
pub struct RegionPage {
    page: Page,
    region: Region,
    crumbs: Vec<Region>,
    children: Vec<Region>,
    q: String,
    results: Vec<Region>,
}

#[derive(Deserialize)]
pub struct RegionQuery {
    q: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(rq): Query<RegionQuery>,
) -> Result<RegionPage, WebError> {
    let code = RegionCode::parse(&code).map_err(|_| WebError::NotFound)?;
    if !staff.scope.covers(&code) {
        return Err(WebError::NotFound);
    }
    let region = state.store.region(&code).await?.ok_or(WebError::NotFound)?;
    let root_len = staff.scope.region.short().len();
    let crumbs = state
        .store
        .region_lineage(&code)
        .await?
        .into_iter()
        .filter(|r| r.short_code().len() >= root_len)
        .collect();
    let children = state.store.region_children(Some(&code)).await?;
    let q =
        rq.q.unwrap_or_default()
            .trim()
            .chars()
            .take(20)
            .collect::<String>();
    let results = if q.is_empty() {
        vec![]
    } else {
        state.store.region_search(&code, &q, 50).await?
    };
    Ok(RegionPage {
        page: Page::new(&staff.ctx, region.name.clone(), "/regions"),
        region,
        crumbs,
        children,
        q,
        results,
    })
}
