//! Records made for a citizen: staff at a reception (民情工作日志), on a call or a home visit, and a
//! deputy's own collection on a visit. Marked by channel; the recording account is kept and audited.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::opinion::access::{is_staff as is_opinion_staff, station_only};
use liaison_domain::opinion::received::received_at as received;
use liaison_domain::opinion::{Channel, show_receipt};
use liaison_domain::{Permission, Role};
use liaison_domain::{RegionCode, RegionLevel};
use liaison_store::opinion::intake::{NewOpinion, Placement};
use liaison_store::registry::station::StationFilter;

use crate::ctx::Staff;
use crate::extract::Multipart;
use crate::layout::Page;
use crate::public::intake::{IntakeValues, categories, deputy_reach, nonce_of, read_values, store_photos};
use crate::{AppState, WebError};

pub fn can_record(staff: &Staff) -> bool {
    is_staff(staff) || is_deputy(staff)
}

fn is_staff(staff: &Staff) -> bool {
    is_opinion_staff(&staff.scope)
}

fn is_deputy(staff: &Staff) -> bool {
    staff.scope.has(Role::Deputy) && staff.scope.person_id.is_some()
}

#[derive(Template, WebTemplate)]
#[template(path = "opinion/record.html")]
pub struct RecordPage {
    page: Page,
    channels: Vec<(&'static str, &'static str)>,
    channel: String,
    stations: Vec<(i64, String)>,
    station: String,
    categories: Vec<(String, String)>,
    values: IntakeValues,
    errors: Vec<String>,
    /// The deputies who may have received it (staff records), and the chosen one.
    deputies: Vec<(i64, String)>,
    deputy: String,
    /// The villages of the caller's township, and the chosen one.
    villages: Vec<(String, String)>,
    village: String,
    /// The day it was received (a paper record entered later), and today (the latest allowed).
    received: String,
    today: String,
}

/// What the record form sends beyond the citizen's words: (deputy, village, received day).
#[derive(Default)]
struct Reception {
    deputy: String,
    village: String,
    received: String,
}

async fn record_page(
    state: &AppState,
    staff: &Staff,
    channel: &str,
    station: &str,
    values: IntakeValues,
    reception: Reception,
    errors: Vec<String>,
) -> Result<RecordPage, WebError> {
    let mut channels = Vec::new();
    if is_staff(staff) {
        channels
            .extend([Channel::WalkIn, Channel::Phone, Channel::HomeVisit].map(|c| (c.as_str(), c.label())));
    }
    if is_deputy(staff) {
        channels.push((Channel::DeputyVisit.as_str(), "我走访收集的"));
    }
    let stations = if is_staff(staff) && staff.scope.can(Permission::ViewRegistry) {
        let filter = StationFilter {
            open: Some(true),
            ..StationFilter::default()
        };
        state
            .store
            .stations(&staff.scope, &filter, None, 300)
            .await?
            .into_iter()
            .filter(|s| !station_only(&staff.scope) || Some(s.id) == staff.scope.station_id)
            .map(|s| (s.id, s.name))
            .collect()
    } else {
        vec![]
    };
    let categories = categories(state).await?;
    let (deputies, villages) = reception_choices(state, staff).await?;
    Ok(RecordPage {
        page: Page::new(&staff.ctx, "登记群众意见", "/opinions"),
        channel: if channel.is_empty() {
            channels.first().map(|c| c.0.to_owned()).unwrap_or_default()
        } else {
            channel.to_owned()
        },
        channels,
        stations,
        station: station.to_owned(),
        categories,
        values,
        errors,
        deputies,
        deputy: reception.deputy,
        villages,
        village: reception.village,
        received: reception.received,
        today: liaison_domain::time::today().format("%Y-%m-%d").to_string(),
    })
}

/// The deputies of the caller's region (when few enough to list) and the villages of their township,
/// for a staff record.
async fn reception_choices(
    state: &AppState,
    staff: &Staff,
) -> Result<(Vec<(i64, String)>, Vec<(String, String)>), WebError> {
    if !is_staff(staff) {
        return Ok((vec![], vec![]));
    }
    let deputies = state
        .store
        .deputy_choices(&staff.scope, None)
        .await?
        .unwrap_or_default();
    let villages = if staff.scope.region.level() == RegionLevel::Township {
        state
            .store
            .region_children(Some(&staff.scope.region))
            .await?
            .into_iter()
            .map(|r| (r.code.clone(), r.short_name()))
            .collect()
    } else {
        vec![]
    };
    Ok((deputies, villages))
}

pub async fn form(State(state): State<AppState>, staff: Staff) -> Result<RecordPage, WebError> {
    if !can_record(&staff) {
        return Err(WebError::Forbidden);
    }
    let values = IntakeValues {
        nonce: liaison_domain::token::random_token(),
        ..IntakeValues::default()
    };
    let station = staff.scope.station_id.map(|s| s.to_string()).unwrap_or_default();
    record_page(&state, &staff, "", &station, values, Reception::default(), vec![]).await
}

/// `POST /opinions/new` (multipart).
pub async fn submit(
    State(state): State<AppState>,
    staff: Staff,
    mp: Multipart,
) -> Result<Response, WebError> {
    if !can_record(&staff) {
        return Err(WebError::Forbidden);
    }
    let form = crate::upload::read(mp, &crate::upload::OPINION).await?;
    let categories = categories(&state).await?;
    let (values, parsed) = read_values(&form, &categories);
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    errors.extend(form.problem_messages());
    let channel_text = form.text("channel").to_owned();
    let station_text = form.text("station").trim().to_owned();
    let channel = Channel::parse(&channel_text).filter(|c| {
        (c.recorded_by_staff() && is_staff(&staff)) || (*c == Channel::DeputyVisit && is_deputy(&staff))
    });
    if channel.is_none() {
        errors.push("请选择来源（来访、来电、走访）".into());
    }
    // where it belongs: the chosen station, else the deputy's constituency, else the account's region
    let mut station = None;
    let mut region = staff.scope.region.clone();
    let mut person = None;
    if channel == Some(Channel::DeputyVisit) {
        person = staff.scope.person_id;
        if let Some(p) = person
            && let Some(reach) = deputy_reach(&state, p).await?
        {
            region = reach.region;
            station = reach.station;
        }
    } else if !station_text.is_empty() {
        match station_text.parse::<i64>() {
            Ok(id) if station_only(&staff.scope) && Some(id) != staff.scope.station_id => {
                errors.push("只能登记到您负责的站点".into())
            }
            Ok(id) => match state.store.station(&staff.scope, id).await {
                Ok(s) if s.is_open() => {
                    region =
                        RegionCode::parse(&s.region_code).map_err(|e| WebError::Internal(e.to_string()))?;
                    station = Some(id);
                }
                _ => errors.push("所选站点不在您的辖区内".into()),
            },
            Err(_) => errors.push("所选站点无效".into()),
        }
    } else if station_only(&staff.scope) {
        station = staff.scope.station_id;
    }
    // who received it, in which village, on which day (staff records)
    let reception = Reception {
        deputy: form.text("deputy").trim().to_owned(),
        village: form.text("village").trim().to_owned(),
        received: form.text("received").trim().to_owned(),
    };
    let mut received_at = None;
    if channel.is_some_and(|c| c.recorded_by_staff()) {
        let (deputies, villages) = reception_choices(&state, &staff).await?;
        if !reception.deputy.is_empty() {
            match reception.deputy.parse::<i64>() {
                Ok(id) if deputies.iter().any(|(d, _)| *d == id) => person = Some(id),
                _ => errors.push("所选代表不在您的辖区内".into()),
            }
        }
        if !reception.village.is_empty() {
            match RegionCode::parse(&reception.village) {
                Ok(v) if villages.iter().any(|(c, _)| *c == v.as_str()) => {
                    // a village of the station's township (or of the caller's, without a station)
                    if station.is_some() && v.as_str()[..9] != region.as_str()[..9.min(region.as_str().len())]
                    {
                        errors.push("所选村（社区）不在该站点所在的乡镇".into());
                    } else {
                        region = v;
                    }
                }
                _ => errors.push("所选村（社区）无效".into()),
            }
        }
        if !reception.received.is_empty() {
            match chrono::NaiveDate::parse_from_str(&reception.received, "%Y-%m-%d") {
                Ok(day) => match received(day, chrono::Utc::now()) {
                    Ok(at) => received_at = Some(at),
                    Err(e) => errors.push(e.to_string()),
                },
                Err(_) => errors.push("收到日期格式应为 2026-11-01".into()),
            }
        }
    }
    let photos = if errors.is_empty() {
        match store_photos(&state, &form).await {
            Ok(p) => p,
            Err(e) => {
                errors.extend(e);
                vec![]
            }
        }
    } else {
        vec![]
    };
    let (Some(channel), Ok(sub)) = (channel.filter(|_| errors.is_empty()), parsed) else {
        let nonce = nonce_of(&values);
        let page = record_page(
            &state,
            &staff,
            &channel_text,
            &station_text,
            IntakeValues { nonce, ..values },
            reception,
            errors,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let place = Placement {
        channel,
        person_id: person,
        station_id: station,
        region,
    };
    let new = NewOpinion {
        received_at,
        ..NewOpinion::new(sub, values.share, nonce_of(&values), place, staff.actor(), photos)
    };
    let s = state.store.submit_opinion(new).await?;
    tracing::info!(receipt = %show_receipt(&s.receipt), "opinion recorded by staff");
    Ok(Redirect::to(&format!("/opinions/{}?done=recorded", s.id)).into_response())
}
