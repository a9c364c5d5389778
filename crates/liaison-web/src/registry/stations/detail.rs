//! A station's page: its record, QR code, resident deputies (and candidates to add), photos and
//! rules documents. The staff's phones show masked; in full only on a deliberate, audited read.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::Permission;
use liaison_store::registry::deputy::Deputy;
use liaison_store::registry::qr::QrTarget;
use liaison_store::registry::station::{Station, StationContact};
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
    /// More deputies match than are offered: the page asks for a name.
    more_candidates: bool,
    /// The search that narrowed the candidates.
    who: String,
    qr_url: String,
    can_manage: bool,
    can_contacts: bool,
    /// The staff phones in full, after the audited read.
    contact: Option<StationContact>,
    today: String,
    photos: Vec<StationFile>,
    documents: Vec<StationFile>,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
    /// Narrows the deputies offered to add (name, village or constituency).
    #[serde(default)]
    who: String,
}

/// Deputies offered at once to add as residents; more are reached by the search.
const CANDIDATES_SHOWN: i64 = 200;

pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Result<DetailPage, WebError> {
    let page = detail_page(&state, &staff, id, q.done.as_deref(), None).await?;
    with_candidates(&state, &staff, page, &q.who).await
}

/// The deputies who may be added as residents, narrowed by `who`, at most [`CANDIDATES_SHOWN`].
async fn with_candidates(
    state: &AppState,
    staff: &Staff,
    mut page: DetailPage,
    who: &str,
) -> Result<DetailPage, WebError> {
    if page.can_manage && page.s.is_open() {
        let who: String = who.trim().chars().take(20).collect();
        let mut rows = state
            .store
            .resident_candidates(&staff.scope, page.s.id, Some(&who), CANDIDATES_SHOWN + 1)
            .await?;
        page.more_candidates = rows.len() as i64 > CANDIDATES_SHOWN;
        rows.truncate(CANDIDATES_SHOWN as usize);
        page.candidates = rows;
        page.who = who;
    }
    Ok(page)
}

/// `POST /stations/{id}/contact`: the staff phones in full, for a role that may read contacts; the
/// read is audited (POST, so it is never prefetched or cached).
pub async fn contact(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<DetailPage, WebError> {
    let contact = state
        .store
        .station_contact(&staff.scope, &staff.actor(), id)
        .await?;
    let page = detail_page(&state, &staff, id, None, Some(contact)).await?;
    with_candidates(&state, &staff, page, "").await
}

async fn detail_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    done: Option<&str>,
    contact: Option<StationContact>,
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
    Ok(DetailPage {
        page: Page::new(&staff.ctx, s.name.clone(), "/stations").notice(done),
        residents: state.store.residents(id).await?,
        photos: state.store.station_files(id, FileKind::Photo).await?,
        documents: state.store.station_files(id, FileKind::Document).await?,
        candidates: vec![],
        more_candidates: false,
        who: String::new(),
        s,
        qr_url,
        can_manage: staff.scope.can(Permission::ManageRegistry),
        can_contacts: staff.scope.can(Permission::ReadContacts),
        contact,
        today: liaison_domain::time::today().to_string(),
    })
}
