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
use crate::pages::regions::{Picker, render_picker};
use crate::registry::links::{HouseholdDraft, HouseholdForm};
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "registry/deputy_detail.html")]
pub struct DetailPage {
    page: Page,
    households: Vec<liaison_store::registry::household::Household>,
    committee: Vec<liaison_store::registry::committee::CommitteeLink>,
    members: Vec<Deputy>,
    /// More members match than are offered: the page asks for a name.
    more_members: bool,
    /// The search that narrowed the members.
    who: String,
    link_gaps: Vec<String>,
    household_kinds: Vec<(&'static str, &'static str)>,
    household_errors: Vec<String>,
    /// The household form as typed (after a refused save or "选下级") and its region picker.
    hh: HouseholdForm,
    household_picker: Picker,
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
    /// Narrows the standing-committee members offered (name).
    #[serde(default)]
    who: String,
}

/// Members offered at once for a committee link; more are reached by the search.
const MEMBERS_SHOWN: i64 = 200;

/// Candidates for the member side of a committee link: county-level deputies in office in the
/// caller's scope, other than the deputy, narrowed by `who`; and whether more match than are shown.
async fn committee_candidates(
    state: &AppState,
    staff: &Staff,
    person_id: i64,
    who: &str,
) -> Result<(Vec<Deputy>, bool), WebError> {
    if !staff.scope.can(Permission::ManageRegistry) {
        return Ok((vec![], false));
    }
    let who = who.trim();
    let f = DeputyFilter {
        level: Some(DeputyLevel::County),
        in_office: Some(true),
        q: (!who.is_empty()).then(|| who.chars().take(20).collect()),
        ..Default::default()
    };
    let mut rows: Vec<Deputy> = state
        .store
        .deputies(&staff.scope, &f, None, MEMBERS_SHOWN + 2)
        .await?
        .into_iter()
        .filter(|m| m.person_id != person_id)
        .collect();
    let more = rows.len() as i64 > MEMBERS_SHOWN;
    rows.truncate(MEMBERS_SHOWN as usize);
    Ok((rows, more))
}

async fn detail_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    phone: Option<String>,
    done: Option<&str>,
) -> Result<DetailPage, WebError> {
    detail_with(
        state,
        staff,
        id,
        phone,
        done,
        HouseholdDraft::default(),
        HouseholdDetail::List,
    )
    .await
}

pub(in crate::registry) async fn detail_with(
    state: &AppState,
    staff: &Staff,
    id: i64,
    phone: Option<String>,
    done: Option<&str>,
    draft: HouseholdDraft,
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
    let (members, more_members) = committee_candidates(state, staff, d.person_id, "").await?;
    let hh_region = if draft.form.region.is_empty() {
        d.constituency_region.as_str()
    } else {
        draft.form.region.as_str()
    };
    let household_picker = render_picker(state, Some(&staff.scope.region), "region", hh_region).await?;
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
        more_members,
        who: String::new(),
        link_gaps,
        household_kinds: HouseholdKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        household_errors: draft.errors,
        hh: draft.form,
        household_picker,
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
    // registry readers, or the deputy themself (the store's `deputy` decides)
    let mut page = detail_page(&state, &staff, id, None, q.done.as_deref()).await?;
    if !q.who.trim().is_empty() && staff.scope.can(Permission::ViewRegistry) {
        let (members, more) = committee_candidates(&state, &staff, page.d.person_id, &q.who).await?;
        page.members = members;
        page.more_members = more;
        page.who = q.who.trim().chars().take(20).collect();
    }
    Ok(page)
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
    detail_with(
        &state,
        &staff,
        id,
        None,
        None,
        HouseholdDraft::default(),
        HouseholdDetail::Contact,
    )
    .await
}
