//! The region tree as staff see it: their own subtree only. Also the cascading region picker used by
//! forms (an htmx fragment; without JavaScript the code field can be typed).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::RegionCode;
use liaison_store::region::Region;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Path, Query};
use crate::layout::Page;
use crate::{AppState, RequestCtx, WebError};

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

#[derive(Template, WebTemplate)]
#[template(path = "region_picker.html")]
pub struct Picker {
    field: String,
    value: String,
    label: String,
    /// One select per level below the root: (parent code, options, chosen code).
    levels: Vec<(String, Vec<Region>, String)>,
}

#[derive(Deserialize)]
pub struct PickerQuery {
    #[serde(default)]
    field: String,
    #[serde(default)]
    code: String,
}

/// Renders the picker for `field` with `code` chosen, limited to the caller's subtree.
pub async fn picker(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<PickerQuery>,
) -> Result<Response, WebError> {
    let root = match &ctx.session {
        Some(s) if !ctx.password_expired => Some(s.scope.region.clone()),
        _ => return Err(WebError::Unauthenticated),
    };
    let field = if q.field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !q.field.is_empty() {
        q.field.clone()
    } else {
        "region".to_owned()
    };
    Ok(render_picker(&state, root.as_ref(), &field, &q.code)
        .await?
        .into_response())
}

pub async fn render_picker(
    state: &AppState,
    root: Option<&RegionCode>,
    field: &str,
    code: &str,
) -> Result<Picker, WebError> {
    let chosen = RegionCode::parse(code)
        .ok()
        .filter(|c| root.is_none_or(|r| r.contains(c)));
    let root_code = root.cloned();
    let start = match &root_code {
        Some(r) => r.clone(),
        None => return Err(WebError::Forbidden),
    };
    let mut levels = Vec::new();
    let mut label = String::new();
    if let Some(r) = state.store.region(&start).await? {
        label = r.name.clone();
    }
    // walk from the root down through the chosen code's lineage
    let path: Vec<RegionCode> = match &chosen {
        Some(c) => c
            .lineage()
            .into_iter()
            .filter(|l| start.contains(l) && *l != start)
            .collect(),
        None => vec![],
    };
    let mut parent = start.clone();
    for step in path.iter().map(Some).chain(std::iter::once(None)) {
        let options = state.store.region_children(Some(&parent)).await?;
        if options.is_empty() {
            break;
        }
        let sel = step.map(|s| s.as_str().to_owned()).unwrap_or_default();
        if let Some(o) = options.iter().find(|o| o.code == sel) {
            label = format!("{label} › {}", o.short_name());
        }
        levels.push((parent.as_str().to_owned(), options, sel));
        match step {
            Some(s) => parent = s.clone(),
            None => break,
        }
    }
    let value = chosen
        .map(|c| c.short().to_owned())
        .unwrap_or_else(|| start.short().to_owned());
    Ok(Picker {
        field: field.to_owned(),
        value,
        label,
        levels,
    })
}
