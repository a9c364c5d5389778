//! A station's page: its record, QR code, resident deputies (and candidates to add), photos and
//! rules documents.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::Permission;
use liaison_store::registry::deputy::Deputy;
use liaison_store::registry::qr::QrTarget;
use liaison_store::registry::station::Station;
use liaison_store::registry::station_file::{FileKind, StationFile};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Path, Query};
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "registry/station_detail.html")]
pub struct DetailPage {
    page: Page,
    s: Station,
    residents: Vec<Deputy>,
    candidates: Vec<Deputy>,
    qr_url: String,
    can_manage: bool,
    can_contacts: bool,
    today: String,
    photos: Vec<StationFile>,
    documents: Vec<StationFile>,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Result<DetailPage, WebError> {
    staff.require(Permission::ViewRegistry)?;
    let s = state.store.station(&staff.scope, id).await?;
    let qr_url = if s.is_open() {
        let code = state.store.qr_code_for(QrTarget::Station(id)).await?;
        // without a configured public address the page says so instead of showing a code
        crate::public::base_url(&state.config)
            .map(|base| format!("{base}/q/{code}"))
            .unwrap_or_default()
    } else {
        String::new()
    };
    let candidates = if staff.scope.can(Permission::ManageRegistry) && s.is_open() {
        state.store.resident_candidates(&staff.scope, id, 500).await?
    } else {
        vec![]
    };
    Ok(DetailPage {
        page: Page::new(&staff.ctx, s.name.clone(), "/stations").notice(q.done.as_deref()),
        residents: state.store.residents(id).await?,
        photos: state.store.station_files(id, FileKind::Photo).await?,
        documents: state.store.station_files(id, FileKind::Document).await?,
        candidates,
        s,
        qr_url,
        can_manage: staff.scope.can(Permission::ManageRegistry),
        can_contacts: staff.scope.can(Permission::ReadContacts),
        today: liaison_domain::time::today().to_string(),
    })
}
