//! Printables as print-CSS pages the browser prints or saves as PDF: 人大代表服务卡 (one, or a sheet of
//! eight per A4 page for the current filter) and a station's A4 door poster.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::registry::deputy::DeputyLevel;
use liaison_domain::{Permission, mask};
use liaison_store::Cursor;
use liaison_store::page::{self, Key, Paged};
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

impl CardsPage {
    /// A single card or a deputy's own: one page, nothing after it.
    pub fn first_number(&self) -> usize {
        1
    }

    pub fn next_link(&self) -> Option<&str> {
        None
    }
}

/// One batch of the filter's cards (`/deputies/cards`), the same sheet as [`CardsPage`].
#[derive(Template, WebTemplate)]
#[template(path = "print/cards.html")]
pub struct CardsBatchPage {
    title: String,
    cards: Vec<Card>,
    /// The number of this page's first card (1 on the first page).
    first: usize,
    /// The next batch for the same filter, when there are more.
    next: Option<String>,
}

impl CardsBatchPage {
    pub fn first_number(&self) -> usize {
        self.first
    }

    pub fn next_link(&self) -> Option<&str> {
        self.next.as_deref()
    }
}

/// Cards per printed batch: 50 A4 sheets of eight; the page links to the next batch.
const CARDS_PER_PAGE: i64 = 400;

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
    // registry readers, or the deputy themself (the store's `deputy` decides)
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
    /// Where the previous batch ended (its last deputy's cursor).
    after: Option<String>,
    /// The number of the previous batch's last card (for the "第 N–M 张" line only).
    #[serde(default)]
    done: String,
}

/// `GET /deputies/cards`: cards of every deputy in office matching the filter, 400 per page; a
/// page with more after it says so and links to the next.
pub async fn cards(
    State(state): State<AppState>,
    staff: Staff,
    Query(f): Query<CardsQuery>,
) -> Result<CardsBatchPage, WebError> {
    staff.require(Permission::ViewRegistry)?;
    let filter = DeputyFilter {
        region: super::region_filter(&Some(f.region.clone())).map_err(|m| WebError::invalid("region", m))?,
        level: DeputyLevel::parse(&f.level),
        term: None,
        in_office: Some(true),
        q: (!f.q.trim().is_empty()).then(|| f.q.trim().to_owned()),
    };
    let after = f.after.as_deref().and_then(Cursor::parse);
    let fetched = state
        .store
        .deputies(&staff.scope, &filter, after.as_ref(), page::fetch(CARDS_PER_PAGE))
        .await?;
    let batch = Paged::cut(fetched, CARDS_PER_PAGE, |d: &Deputy| {
        Cursor::new(&d.constituency_region, d.mandate_id)
    });
    let mut cards = Vec::with_capacity(batch.rows.len());
    for d in &batch.rows {
        cards.push(card_of(&state, d).await?);
    }
    let done: usize = f.done.trim().parse().unwrap_or(0);
    let last = done + cards.len();
    let next = batch.next.map(|after| {
        let last = last.to_string();
        let query = [
            ("region", f.region.as_str()),
            ("level", &f.level),
            ("q", &f.q),
            ("done", &last),
        ];
        super::next_link("/deputies/cards", &query, &after)
    });
    let title = if next.is_some() || done > 0 {
        format!("人大代表服务卡（第 {}–{last} 张）", done + 1)
    } else {
        format!("人大代表服务卡（{} 张）", cards.len())
    };
    Ok(CardsBatchPage {
        title,
        cards,
        first: done + 1,
        next,
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
