//! Printables as print-CSS pages the browser prints or saves as PDF: 人大代表服务卡 (one, or a sheet of
//! eight per A4 page for the current filter) and a station's A4 door poster.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::registry::deputy::DeputyLevel;
use liaison_domain::{Permission, mask};
use liaison_store::registry::deputy::{Deputy, DeputyFilter};
use liaison_store::registry::qr::QrTarget;
use liaison_store::registry::station::Station;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Path, Query};
use crate::{AppState, WebError};

/// One printed card.
pub struct Card {
    name: String,
    level: &'static str,
    term: i32,
    constituency: String,
    contact: String,
    station: String,
    qr_svg: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "print/cards.html")]
pub struct CardsPage {
    pub(crate) title: String,
    pub(crate) cards: Vec<Card>,
}

/// An inline SVG (without the XML declaration) for a URL.
fn inline_svg(url: &str) -> Result<String, WebError> {
    let svg = crate::qr_image::svg(url)?;
    Ok(match svg.find("<svg") {
        Some(i) => svg[i..].to_owned(),
        None => svg,
    })
}

pub(crate) async fn card_of(state: &AppState, d: &Deputy) -> Result<Card, WebError> {
    let stations = state.store.stations_of_person(d.person_id).await?;
    let station = stations.first();
    let code = state.store.qr_code_for(QrTarget::Deputy(d.person_id)).await?;
    let url = format!("{}/q/{code}", crate::public::base_url(&state.config)?);
    // the station's public phone; failing that the deputy's own, masked
    let contact = match station.filter(|s| !s.phone.is_empty()) {
        Some(s) => s.phone.clone(),
        None => mask::phone(&state.store.deputy_phone_masked_source(d.person_id).await?),
    };
    Ok(Card {
        name: d.name.clone(),
        level: d.level_label(),
        term: d.term,
        constituency: d.constituency.clone(),
        contact,
        station: station.map(|s| s.name.clone()).unwrap_or_default(),
        qr_svg: inline_svg(&url)?,
    })
}

/// `GET /deputies/{id}/card`
pub async fn card(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<CardsPage, WebError> {
    staff.require(Permission::ViewRegistry)?;
    let d = state.store.deputy(&staff.scope, id).await?;
    if !d.in_office() {
        return Err(WebError::NotFound);
    }
    let card = card_of(&state, &d).await?;
    Ok(CardsPage {
        title: format!("人大代表服务卡 {}", d.name),
        cards: vec![card],
    })
}

#[derive(Deserialize, Default)]
pub struct CardsQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    q: String,
}

/// `GET /deputies/cards`: cards of every deputy in office matching the filter (at most 400).
pub async fn cards(
    State(state): State<AppState>,
    staff: Staff,
    Query(f): Query<CardsQuery>,
) -> Result<CardsPage, WebError> {
    staff.require(Permission::ViewRegistry)?;
    let filter = DeputyFilter {
        region: super::region_filter(&Some(f.region.clone())).map_err(|m| WebError::invalid("region", m))?,
        level: DeputyLevel::parse(&f.level),
        term: None,
        in_office: Some(true),
        q: (!f.q.trim().is_empty()).then(|| f.q.trim().to_owned()),
    };
    let deputies = state.store.deputies(&staff.scope, &filter, None, 400).await?;
    let mut cards = Vec::with_capacity(deputies.len());
    for d in &deputies {
        cards.push(card_of(&state, d).await?);
    }
    Ok(CardsPage {
        title: format!("人大代表服务卡（{} 张）", cards.len()),
        cards,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "print/poster.html")]
pub struct PosterPage {
    s: Station,
    /// Resident deputies by level, national first: (level label, names joined by 、).
    groups: Vec<(&'static str, usize, String)>,
    qr_svg: String,
}

/// `GET /stations/{id}/poster`: the A4 door poster.
pub async fn poster(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<PosterPage, WebError> {
    staff.require(Permission::ViewRegistry)?;
    let s = state.store.station(&staff.scope, id).await?;
    if !s.is_open() {
        return Err(WebError::NotFound);
    }
    let code = state.store.qr_code_for(QrTarget::Station(id)).await?;
    let url = format!("{}/q/{code}", crate::public::base_url(&state.config)?);
    let residents = state.store.residents(id).await?;
    let groups = DeputyLevel::ALL
        .iter()
        .filter_map(|l| {
            let names: Vec<&str> = residents
                .iter()
                .filter(|d| d.level == l.as_str())
                .map(|d| d.name.as_str())
                .collect();
            (!names.is_empty()).then(|| (l.label(), names.len(), names.join("、")))
        })
        .collect();
    Ok(PosterPage {
        groups,
        qr_svg: inline_svg(&url)?,
        s,
    })
}
