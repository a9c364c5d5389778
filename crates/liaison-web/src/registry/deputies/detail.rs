//! A deputy's page: the mandate, other mandates, stations, linked households and committee members,
//! and the phone number shown only on a deliberate, audited request. The households come as the store
//! lets the caller see them (names masked unless they may read them; phones in full only on the
//! deliberate, audited household contact read).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::Permission;
use liaison_domain::registry::deputy::DeputyLevel;
use liaison_store::registry::deputy::{Deputy, DeputyFilter};
use liaison_store::registry::household::HouseholdDetail;
use liaison_store::registry::station::Station;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Path, Query};
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "registry/deputy_detail.html")]
pub struct DetailPage {
    page: Page,
    households: Vec<liaison_store::registry::household::Household>,
    committee: Vec<liaison_store::registry::committee::CommitteeLink>,
    members: Vec<Deputy>,
    link_gaps: Vec<String>,
    household_kinds: Vec<(&'static str, &'static str)>,
    household_errors: Vec<String>,
    d: Deputy,
    has_photo: bool,
    others: Vec<Deputy>,
    stations: Vec<Station>,
    phone: Option<String>,
    can_manage: bool,
    can_contacts: bool,
    /// May ask for the households' phones (staff who read contacts, the deputy themself).
    can_household_contacts: bool,
    /// The households' phones are shown in full (after the audited read).
    household_contacts: bool,
    today: String,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

async fn detail_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    phone: Option<String>,
    done: Option<&str>,
) -> Result<DetailPage, WebError> {
    detail_with(state, staff, id, phone, done, vec![], HouseholdDetail::List).await
}

pub(in crate::registry) async fn detail_with(
    state: &AppState,
    staff: &Staff,
    id: i64,
    phone: Option<String>,
    done: Option<&str>,
    household_errors: Vec<String>,
    household_detail: HouseholdDetail,
) -> Result<DetailPage, WebError> {
    use liaison_domain::registry::household::{HouseholdKind, LinkFact, LinkRule, link_gaps};
    let d = state.store.deputy(&staff.scope, id).await?;
    let households = state
        .store
        .households(&staff.scope, &staff.actor(), d.person_id, household_detail)
        .await?;
    let can_household_contacts = !households.is_empty()
        && (staff.scope.can(Permission::ReadContacts) || staff.scope.person_id == Some(d.person_id));
    let facts: Vec<LinkFact> = households
        .iter()
        .filter_map(|h| {
            h.kind().map(|kind| LinkFact {
                kind,
                meetings_this_year: h.meetings_this_year as usize,
            })
        })
        .collect();
    let link_gaps = link_gaps(&LinkRule::default(), &facts);
    let committee = state.store.committee_links(&staff.scope, d.person_id).await?;
    // candidates for the member side: county-level deputies in office in the caller's scope
    let members = if staff.scope.can(Permission::ManageRegistry) {
        let f = DeputyFilter {
            level: Some(DeputyLevel::County),
            in_office: Some(true),
            ..Default::default()
        };
        state
            .store
            .deputies(&staff.scope, &f, None, 500)
            .await?
            .into_iter()
            .filter(|m| m.person_id != d.person_id)
            .collect()
    } else {
        vec![]
    };
    let others = state
        .store
        .mandates_of_person(d.person_id)
        .await?
        .into_iter()
        .filter(|m| m.mandate_id != id)
        .collect();
    Ok(DetailPage {
        page: Page::new(&staff.ctx, d.name.clone(), "/deputies").notice(done),
        households,
        committee,
        members,
        link_gaps,
        household_kinds: HouseholdKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        household_errors,
        stations: state.store.stations_of_person(d.person_id).await?,
        has_photo: state.store.public_photo(d.person_id).await?.is_some(),
        others,
        d,
        phone,
        can_manage: staff.scope.can(Permission::ManageRegistry),
        can_contacts: staff.scope.can(Permission::ReadContacts),
        can_household_contacts,
        household_contacts: household_detail == HouseholdDetail::Contact,
        today: liaison_domain::time::today().to_string(),
    })
}

pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Result<DetailPage, WebError> {
    staff.require(Permission::ViewRegistry)?;
    detail_page(&state, &staff, id, None, q.done.as_deref()).await
}

/// Shows the phone number: a deliberate, audited read (POST, so it is never prefetched or cached).
pub async fn contact(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<DetailPage, WebError> {
    let phone = state
        .store
        .deputy_contact(&staff.scope, &staff.actor(), id)
        .await?;
    detail_page(&state, &staff, id, Some(phone), None).await
}

/// `POST /deputies/{id}/households/contact`: the households' names and phones in full, for the
/// deputy themself and staff who may read contacts; a deliberate, audited read.
pub async fn household_contact(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<DetailPage, WebError> {
    staff.require(Permission::ViewRegistry)?;
    detail_with(&state, &staff, id, None, None, vec![], HouseholdDetail::Contact).await
}
