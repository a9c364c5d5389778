//! A deputy's or station's public card with the 码上办 form: behind a printed QR code (/q/{code}),
//! and from the site's own lists (/d/{person}, /s/{id}). A retired code (deputy left office, station
//! closed) shows a friendly page pointing to where to go instead; an unknown one, the citizens' 404.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_domain::RegionCode;
use liaison_store::region::Region;
use liaison_store::registry::deputy::Deputy;
use liaison_store::registry::qr::QrTarget;
use liaison_store::registry::station::Station;
use liaison_store::registry::station_file::{FileKind, StationFile};

use super::form::{Entry, IntakeForm};
use super::missing;
use crate::extract::Path;
use crate::layout::Page;
use crate::{AppState, RequestCtx, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "public/deputy_card.html")]
pub struct DeputyCard {
    page: Page,
    person: i64,
    has_photo: bool,
    name: String,
    mandates: Vec<Deputy>,
    stations: Vec<Station>,
    region_path: String,
    intake: Option<IntakeForm>,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/station_card.html")]
pub struct StationCard {
    page: Page,
    station: Station,
    phone: String,
    residents: Vec<Deputy>,
    photos: Vec<StationFile>,
    documents: Vec<StationFile>,
    region_path: String,
    intake: Option<IntakeForm>,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/retired.html")]
pub struct Retired {
    page: Page,
    message: &'static str,
    region: Option<Region>,
    stations: Vec<Station>,
}

async fn region_path(state: &AppState, code: &str) -> Result<String, WebError> {
    let Ok(code) = RegionCode::parse(code) else {
        return Ok(String::new());
    };
    let lineage = state.store.region_lineage(&code).await?;
    Ok(lineage
        .iter()
        .skip(2)
        .filter(|r| !r.is_placeholder())
        .map(|r| r.short_name())
        .collect::<Vec<_>>()
        .join(" "))
}

/// `GET /q/{code}`: the 码上办 form under the card of the deputy or station it reaches.
pub async fn scan(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let Some(code) = liaison_domain::registry::qr::parse_code(&code) else {
        return Ok(missing::page(&ctx, missing::BAD_CODE, missing::CODE_HINT));
    };
    let r = card(&state, &ctx, &Entry::Code(code), None).await;
    missing::or_missing(&ctx, r, missing::BAD_CODE)
}

/// `GET /d/{person}`: a deputy's public card with the 码上办 form, as the deputy's QR code opens it
/// (the link from 码上找代表 and from a station's resident deputies).
pub async fn deputy(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(person): Path<String>,
) -> Result<Response, WebError> {
    let Ok(person) = person.parse::<i64>() else {
        return Ok(missing::page(&ctx, NO_DEPUTY, missing::PAGE_HINT));
    };
    let r = card(&state, &ctx, &Entry::Deputy(person), None).await;
    missing::or_missing(&ctx, r, NO_DEPUTY)
}

/// `GET /s/{id}`: an open station's public card with the 码上办 form (the station's QR code opens
/// the same card).
pub async fn station(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let Ok(id) = id.parse::<i64>() else {
        return Ok(missing::page(&ctx, NO_STATION, missing::PAGE_HINT));
    };
    let r = card(&state, &ctx, &Entry::Station(id), None).await;
    missing::or_missing(&ctx, r, NO_STATION)
}

pub const NO_DEPUTY: &str = "没有找到这位代表";
pub const NO_STATION: &str = "没有找到这个站点";

/// The card behind `entry` with the intake form (`None`: a fresh one). A retired code answers with
/// the page that says so; one that reaches nothing is `NotFound`.
pub async fn card(
    state: &AppState,
    ctx: &RequestCtx,
    entry: &Entry,
    form: Option<IntakeForm>,
) -> Result<Response, WebError> {
    let form = match form {
        Some(f) => f,
        None => IntakeForm::new(state, entry).await?,
    };
    match entry {
        Entry::Code(code) => {
            let row = state.store.resolve_qr(code).await?.ok_or(WebError::NotFound)?;
            let target = row.target().ok_or(WebError::NotFound)?;
            if row.revoked_at.is_some() {
                return retired(state, ctx, target, &row.revoked_reason).await;
            }
            match target {
                QrTarget::Deputy(person) => deputy_card(state, ctx, person, form).await,
                QrTarget::Station(id) => station_card(state, ctx, id, form).await,
            }
        }
        Entry::Deputy(person) => deputy_card(state, ctx, *person, form).await,
        Entry::Station(id) => station_card(state, ctx, *id, form).await,
    }
}

async fn deputy_card(
    state: &AppState,
    ctx: &RequestCtx,
    person: i64,
    intake: IntakeForm,
) -> Result<Response, WebError> {
    let live: Vec<Deputy> = state
        .store
        .mandates_of_person(person)
        .await?
        .into_iter()
        .filter(|m| m.in_office())
        .collect();
    let first = live.first().ok_or(WebError::NotFound)?;
    Ok(DeputyCard {
        page: Page::public(ctx, format!("人大代表 {}", first.name)),
        person,
        has_photo: state.store.public_photo(person).await?.is_some(),
        name: first.name.clone(),
        region_path: region_path(state, &first.constituency_region).await?,
        stations: state.store.stations_of_person(person).await?,
        mandates: live,
        intake: Some(intake),
    }
    .into_response())
}

async fn station_card(
    state: &AppState,
    ctx: &RequestCtx,
    id: i64,
    intake: IntakeForm,
) -> Result<Response, WebError> {
    let station = state
        .store
        .station_public(id)
        .await?
        .filter(|s| s.is_open())
        .ok_or(WebError::NotFound)?;
    Ok(StationCard {
        page: Page::public(ctx, station.name.clone()),
        phone: station.phone.clone(),
        residents: state.store.residents(id).await?,
        photos: state.store.station_files(id, FileKind::Photo).await?,
        documents: state.store.station_files(id, FileKind::Document).await?,
        region_path: region_path(state, &station.region_code).await?,
        station,
        intake: Some(intake),
    }
    .into_response())
}

/// Where to send someone whose code is retired: the township's open stations.
async fn retired(
    state: &AppState,
    ctx: &RequestCtx,
    target: QrTarget,
    reason: &str,
) -> Result<Response, WebError> {
    let region_code = match target {
        QrTarget::Deputy(person) => state
            .store
            .mandates_of_person(person)
            .await?
            .first()
            .map(|m| m.constituency_region.clone()),
        QrTarget::Station(id) => state.store.station_public(id).await?.map(|s| s.region_code),
    };
    let near = region_code.and_then(|c| RegionCode::parse(&c).ok());
    let (region, stations) = match near {
        Some(near) => {
            let township = near.lineage().get(3).cloned().unwrap_or_else(|| near.clone());
            (
                state.store.region(&township).await?,
                state.store.open_stations_in(&township, &near, 5).await?,
            )
        }
        None => (None, vec![]),
    };
    let message = match reason {
        "left_office" => "这位代表已不再担任人大代表，这个二维码已停用。",
        "station_closed" => "这个代表联络站点已撤并，这个二维码已停用。",
        _ => "这个二维码已停用。",
    };
    Ok((
        StatusCode::GONE,
        Retired {
            page: Page::public(ctx, missing::BAD_CODE),
            message,
            region,
            stations,
        },
    )
        .into_response())
}

/// `/p/{person}.jpg`: the photo of a person who holds a mandate in office (public, as on the cards).
pub async fn photo(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, WebError> {
    let person = crate::jpeg::id_of(&file)?;
    let hash = state
        .store
        .public_photo(person)
        .await?
        .ok_or(WebError::NotFound)?;
    crate::jpeg::respond(&state, &hash, "public, max-age=300").await
}
