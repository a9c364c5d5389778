//! 代表管理: list with filters, register, edit, detail (contact read is audited), leave office, QR.

mod detail;
mod edit;
mod photo;
mod register;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::Permission;
use liaison_domain::registry::deputy::DeputyLevel;
use liaison_store::Cursor;
use liaison_store::page::{self, Key};
use liaison_store::registry::deputy::{Deputy, DeputyFilter};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::Query;
use crate::layout::Page;
use crate::pages::regions::{Picker, PickerMode, render_picker_as};
use crate::{AppState, WebError};

pub(super) use detail::detail_with;
pub use detail::{contact, detail, household_contact};
pub use edit::{edit_form, update};
pub use photo::upload_photo;
pub use register::{DeputyForm, create, leave, new_form};

const PAGE_SIZE: i64 = 50;

fn levels() -> Vec<(&'static str, &'static str)> {
    DeputyLevel::ALL.iter().map(|l| (l.as_str(), l.label())).collect()
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    term: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    after: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/deputies.html")]
pub struct ListPage {
    page: Page,
    rows: Vec<Deputy>,
    f: ListQuery,
    levels: Vec<(&'static str, &'static str)>,
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
    let region = super::region_filter(&Some(f.region.clone())).unwrap_or_else(|e| {
        error = Some(e);
        None
    });
    let term = match f.term.trim() {
        "" => None,
        t => match t.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                error = Some("届次应为数字，如 18".into());
                None
            }
        },
    };
    let filter = DeputyFilter {
        region,
        level: DeputyLevel::parse(&f.level),
        term,
        in_office: match f.status.as_str() {
            "in_office" => Some(true),
            "left" => Some(false),
            _ => None,
        },
        q: (!f.q.trim().is_empty()).then(|| f.q.trim().chars().take(30).collect()),
    };
    let query = [
        ("region", f.region.as_str()),
        ("level", &f.level),
        ("term", &f.term),
        ("status", &f.status),
        ("q", &f.q),
    ];
    let after = f.after.as_deref().and_then(Cursor::parse);
    let fetched = state
        .store
        .deputies(&staff.scope, &filter, after.as_ref(), page::fetch(PAGE_SIZE))
        .await;
    let page = super::list_page(fetched, PAGE_SIZE, "/deputies", &query, |d: &Deputy| {
        Cursor::new(&d.constituency_region, d.mandate_id)
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
        page: Page::new(&staff.ctx, "代表管理", "/deputies"),
        rows,
        f,
        levels: levels(),
        next,
        error,
        can_manage: staff.scope.can(Permission::ManageRegistry),
    })
}
