//! 交办规则: which handling unit an opinion of each category in a region goes to by default.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::{Permission, RegionCode};
use liaison_store::region::Region;
use liaison_store::registry::unit::HandlingUnit;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Form, Query};
use crate::layout::Page;
use crate::pages::regions::{Picker, render_picker};
use crate::{AppState, WebError};

/// One category's row: label, code, the unit in effect (and where it was set), set here or inherited.
pub struct RouteRow {
    label: String,
    code: String,
    unit: Option<(i64, String)>,
    from: Option<String>,
    here: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/routing.html")]
pub struct RoutingPage {
    page: Page,
    region: Region,
    rows: Vec<RouteRow>,
    units: Vec<HandlingUnit>,
    can_manage: bool,
    /// The region whose rules are shown, picked by name.
    picker: Picker,
}

#[derive(Deserialize)]
pub struct RoutingQuery {
    region: Option<String>,
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<RoutingQuery>,
) -> Result<RoutingPage, WebError> {
    staff.require(Permission::ViewRegistry)?;
    let region = match q.region.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => RegionCode::parse(s).map_err(|e| WebError::invalid("region", e.to_string()))?,
        None => staff.scope.region.clone(),
    };
    if !staff.scope.covers(&region) {
        return Err(WebError::NotFound);
    }
    let here = state.store.region(&region).await?.ok_or(WebError::NotFound)?;
    let routes = state.store.routes_for(&region).await?;
    let rows = state
        .store
        .categories()
        .await?
        .into_iter()
        .map(|c| {
            let r = routes.iter().find(|r| r.category == c.code);
            RouteRow {
                label: c.label,
                code: c.code,
                unit: r.map(|r| (r.unit_id, r.unit_name.clone())),
                from: r
                    .filter(|r| r.region_code != region.as_str())
                    .map(|r| r.region_name.clone()),
                here: r.is_some_and(|r| r.region_code == region.as_str()),
            }
        })
        .collect();
    let picker = render_picker(&state, Some(&staff.scope.region), "region", region.as_str()).await?;
    Ok(RoutingPage {
        picker,
        page: Page::new(&staff.ctx, "交办规则", "/units").notice(q.done.as_deref()),
        region: here,
        rows,
        units: state.store.units(&staff.scope, None, None, 1000).await?,
        can_manage: staff.scope.can(Permission::ManageRegistry),
    })
}

#[derive(Deserialize)]
pub struct RouteForm {
    #[serde(default)]
    region: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    unit: String,
}

pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<RouteForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let region = RegionCode::parse(&f.region).map_err(|e| WebError::invalid("region", e.to_string()))?;
    let unit = match f.unit.trim() {
        "" => None,
        u => Some(
            u.parse::<i64>()
                .map_err(|_| WebError::invalid("unit", "请选择承办单位"))?,
        ),
    };
    state
        .store
        .set_route(&staff.scope, &staff.actor(), &region, f.category.trim(), unit)
        .await?;
    Ok(Redirect::to(&format!("/units/routing?region={}&done=saved", region.short())).into_response())
}
