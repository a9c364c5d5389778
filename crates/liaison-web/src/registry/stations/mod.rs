//! 站点管理: list with filters, create, edit, close, resident deputies, QR.

mod detail;
mod edit;
mod residents;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::Permission;
use liaison_domain::registry::station::StationKind;
use liaison_store::Cursor;
use liaison_store::page::{self, Key};
use liaison_store::registry::station::{Station, StationFilter};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::Query;
use crate::layout::Page;
use crate::pages::regions::{Picker, PickerMode, render_picker_as};
use crate::{AppState, WebError};

pub use detail::{contact, detail};
pub use edit::{StationForm, close, create, edit_form, new_form, update};
pub use residents::residents;

const PAGE_SIZE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    after: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/stations.html")]
pub struct ListPage {
    page: Page,
    rows: Vec<Station>,
    f: ListQuery,
    kinds: Vec<(&'static str, &'static str)>,
    next: Option<String>,
    error: Option<String>,
    can_manage: bool,
    export_query: String,
    /// The region filter, picked by name.
    picker: Picker,
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(f): Query<ListQuery>,
) -> Result<ListPage, WebError> {
    staff.require(Permission::ViewRegistry)?;
    let mut error = None;
    let region = match super::region_filter(&Some(f.region.clone())) {
        Ok(r) => r,
        Err(e) => {
            error = Some(e);
            None
        }
    };
    let filter = StationFilter {
        region,
        kind: StationKind::parse(&f.kind),
        open: match f.status.as_str() {
            "open" => Some(true),
            "closed" => Some(false),
            _ => None,
        },
        q: (!f.q.trim().is_empty()).then(|| f.q.trim().chars().take(30).collect()),
    };
    let query = [
        ("region", f.region.as_str()),
        ("kind", &f.kind),
        ("status", &f.status),
        ("q", &f.q),
    ];
    let after = f.after.as_deref().and_then(Cursor::parse);
    let fetched = state
        .store
        .stations(&staff.scope, &filter, after.as_ref(), page::fetch(PAGE_SIZE))
        .await;
    let page = super::list_page(fetched, PAGE_SIZE, "/stations", &query, |s: &Station| {
        Cursor::new(&s.region_code, s.id)
    })?;
    let (rows, next) = (page.rows, page.next);
    error = error.or(page.error);
    let export_query = super::filter_query(&query);
    let picker = render_picker_as(
        &state,
        Some(&staff.scope.region),
        "region",
        &f.region,
        PickerMode::Filter,
    )
    .await?;
    Ok(ListPage {
        picker,
        export_query,
        page: Page::new(&staff.ctx, "站点管理", "/stations"),
        rows,
        kinds: StationKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        f,
        next,
        error,
        can_manage: staff.scope.can(Permission::ManageRegistry),
    })
}
