//! 码上办 intake: the form on every deputy's and station's public card. No login, no script needed
//! (a few lines keep a draft in the phone's storage where scripts run), photos checked and stripped,
//! acknowledged only once committed.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_domain::RegionCode;
use liaison_domain::opinion::Channel;
use liaison_domain::opinion::submission::{Submission, SubmissionFields};
use liaison_store::opinion::intake::{NewOpinion, PER_CODE, PER_IP, Placement, Precheck};
use liaison_store::registry::qr::QrTarget;
use liaison_store::{Actor, StoreError};

use crate::extract::{Multipart, Path};
use crate::layout::Page;
use crate::upload::MultipartForm;
use crate::{AppState, RequestCtx, WebError};

use super::form::Entry;
pub use super::form::{IntakeForm, IntakeValues, categories};
use super::{card, missing};

pub const MAX_PHOTOS: usize = 3;

/// Reads the citizen's part of the form (shared with staff records): the values as typed, to show
/// again, and the parsed submission or every problem in Chinese.
pub fn read_values(
    form: &MultipartForm,
    categories: &[(String, String)],
) -> (IntakeValues, Result<Submission, Vec<String>>) {
    let v = IntakeValues {
        category: form.text("category").trim().to_owned(),
        description: form.text("description").trim().to_owned(),
        name: form.text("name").trim().to_owned(),
        phone: form.text("phone").trim().to_owned(),
        callback: form.text("callback") == "on",
        share: form.text("share") == "on",
        nonce: form.text("nonce").trim().to_owned(),
    };
    let parsed = Submission::parse(
        SubmissionFields {
            category: &v.category,
            description: &v.description,
            name: &v.name,
            phone: &v.phone,
            callback: v.callback,
        },
        |c| categories.iter().any(|(code, _)| code == c),
    )
    .map_err(|problems| problems.into_iter().map(|p| p.message).collect());
    (v, parsed)
}

/// Checks and strips every photo (each from its header first, then decoded within the bounds of
/// `crate::photo`), then stores them durably; returns their content addresses. Nothing is stored
/// unless every photo passed.
pub async fn store_photos(state: &AppState, form: &MultipartForm) -> Result<Vec<String>, Vec<String>> {
    let mut clean = Vec::new();
    let mut errors = Vec::new();
    for (i, f) in form.files_in("photo").enumerate() {
        match crate::photo::sanitize_bounded(f.bytes.clone()).await {
            Ok(jpeg) => clean.push(jpeg),
            Err(m) => errors.push(format!("第 {} 张照片：{m}", i + 1)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = Vec::new();
    for jpeg in clean {
        match state.blobs.put(jpeg).await {
            Ok(h) => out.push(h),
            Err(e) => {
                tracing::error!(error = %e, "photo store failed");
                return Err(vec!["照片保存失败，请稍后重试".to_owned()]);
            }
        }
    }
    Ok(out)
}

/// A nonce as the form sent it, or a fresh one (a client without the hidden field still works; it
/// just loses the resend protection).
pub fn nonce_of(v: &IntakeValues) -> String {
    let ok = (16..=64).contains(&v.nonce.len())
        && v.nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        v.nonce.clone()
    } else {
        liaison_domain::token::random_token()
    }
}

/// Where a deputy's opinions belong: the finest constituency region of their mandates in office (where
/// their voters are) and the first station they sit in.
pub struct DeputyReach {
    pub name: String,
    pub region: RegionCode,
    pub station: Option<i64>,
}

/// `None` when the person holds no mandate in office.
pub async fn deputy_reach(state: &AppState, person: i64) -> Result<Option<DeputyReach>, WebError> {
    let mandates = state.store.mandates_of_person(person).await?;
    let Some(m) = mandates
        .iter()
        .filter(|m| m.in_office())
        .max_by_key(|m| m.constituency_region.trim_end_matches('0').len())
    else {
        return Ok(None);
    };
    let region = RegionCode::parse(&m.constituency_region).map_err(|e| WebError::Internal(e.to_string()))?;
    let station = state
        .store
        .stations_of_person(person)
        .await?
        .first()
        .map(|s| s.id);
    Ok(Some(DeputyReach {
        name: m.name.clone(),
        region,
        station,
    }))
}

/// Where a card's submissions go: (channel, deputy, station, region, who it reaches); `None` for a
/// retired code (its page says so).
async fn target_of(
    state: &AppState,
    entry: &Entry,
) -> Result<Option<(Channel, Option<i64>, Option<i64>, RegionCode, String)>, WebError> {
    let target = match entry {
        Entry::Code(code) => {
            let row = state.store.resolve_qr(code).await?.ok_or(WebError::NotFound)?;
            if row.revoked_at.is_some() {
                return Ok(None);
            }
            row.target().ok_or(WebError::NotFound)?
        }
        Entry::Deputy(person) => QrTarget::Deputy(*person),
        Entry::Station(id) => QrTarget::Station(*id),
    };
    match target {
        QrTarget::Deputy(person) => {
            let reach = deputy_reach(state, person).await?.ok_or(WebError::NotFound)?;
            Ok(Some((
                Channel::DeputyCode,
                Some(person),
                reach.station,
                reach.region,
                format!("{}代表", reach.name),
            )))
        }
        QrTarget::Station(id) => {
            let s = state
                .store
                .station_public(id)
                .await?
                .filter(|s| s.is_open())
                .ok_or(WebError::NotFound)?;
            let region = RegionCode::parse(&s.region_code).map_err(|e| WebError::Internal(e.to_string()))?;
            Ok(Some((Channel::StationCode, None, Some(id), region, s.name)))
        }
    }
}

/// `POST /q/{code}` (multipart): the form behind a printed QR code.
pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(code): Path<String>,
    mp: Multipart,
) -> Result<Response, WebError> {
    let Some(code) = liaison_domain::registry::qr::parse_code(&code) else {
        return Ok(missing::page(&ctx, missing::BAD_CODE, missing::CODE_HINT));
    };
    let r = submit_to(&state, &ctx, Entry::Code(code), mp).await;
    missing::or_missing(&ctx, r, missing::BAD_CODE)
}

/// `POST /d/{person}` (multipart): the form on a deputy's card opened from the site's lists.
pub async fn submit_deputy(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(person): Path<String>,
    mp: Multipart,
) -> Result<Response, WebError> {
    let Ok(person) = person.parse::<i64>() else {
        return Ok(missing::page(&ctx, card::NO_DEPUTY, missing::PAGE_HINT));
    };
    let r = submit_to(&state, &ctx, Entry::Deputy(person), mp).await;
    missing::or_missing(&ctx, r, card::NO_DEPUTY)
}

/// `POST /s/{id}` (multipart): the form on a station's card.
pub async fn submit_station(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<String>,
    mp: Multipart,
) -> Result<Response, WebError> {
    let Ok(id) = id.parse::<i64>() else {
        return Ok(missing::page(&ctx, card::NO_STATION, missing::PAGE_HINT));
    };
    let r = submit_to(&state, &ctx, Entry::Station(id), mp).await;
    missing::or_missing(&ctx, r, card::NO_STATION)
}

/// Everything that can refuse the submission is checked before any photo is decoded or stored: the
/// form's limits (sizes, counts), the typed values, the rate limits.
async fn submit_to(
    state: &AppState,
    ctx: &RequestCtx,
    entry: Entry,
    mp: Multipart,
) -> Result<Response, WebError> {
    let Some((channel, person, station, region, to)) = target_of(state, &entry).await? else {
        return card::card(state, ctx, &entry, None).await;
    };
    let form = crate::upload::read(mp, &crate::upload::OPINION).await?;
    // a filled honeypot is a robot: thank it and keep nothing
    if !form.text("website").is_empty() {
        return Ok(thanks_without_receipt(ctx));
    }
    let cats = categories(state).await?;
    let (values, parsed) = read_values(&form, &cats);
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    errors.extend(form.problem_messages());
    if !errors.is_empty() {
        let status = if form.too_large {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return redisplay_with(state, ctx, &entry, values, errors, status).await;
    }
    let per_ip = match state.config.intake_per_ip {
        n if n > 0 => n,
        _ => PER_IP,
    };
    let limit_buckets = vec![
        (format!("ip:{}", ctx.ip), per_ip),
        (entry.bucket(), PER_CODE.max(per_ip)),
    ];
    let nonce = nonce_of(&values);
    let photos = match state.store.intake_precheck(&nonce, &limit_buckets).await? {
        Precheck::Limited => return too_often(state, ctx, &entry, values).await,
        // the submission made before answers; its photos are stored already
        Precheck::Resent => vec![],
        Precheck::Open => match store_photos(state, &form).await {
            Ok(p) => p,
            Err(e) => return redisplay(state, ctx, &entry, values, e).await,
        },
    };
    drop(form);
    let Ok(sub) = parsed else {
        return redisplay(state, ctx, &entry, values, errors).await;
    };
    let with_phone = sub.phone.is_some();
    let place = Placement {
        channel,
        person_id: person,
        station_id: station,
        region,
    };
    let actor = Actor {
        account_id: None,
        username: "public".into(),
        ip: ctx.ip.clone(),
    };
    let new = NewOpinion {
        limit_buckets,
        ..NewOpinion::new(sub, values.share, nonce, place, actor, photos)
    };
    match state.store.submit_opinion(new).await {
        Ok(s) => super::receipt::page(state, ctx, &s.receipt, to, with_phone, entry.draft_key()).await,
        // refused in the transaction after the pre-check passed (a race): the photos just stored
        // belong to no row and are removed by the orphan sweep (`Store::sweep_orphan_files`)
        Err(StoreError::RateLimited) => too_often(state, ctx, &entry, values).await,
        Err(e) => Err(e.into()),
    }
}

async fn too_often(
    state: &AppState,
    ctx: &RequestCtx,
    entry: &Entry,
    values: IntakeValues,
) -> Result<Response, WebError> {
    let errors = vec!["提交太频繁，请过一会儿再试；您填写的内容还在".into()];
    redisplay_with(state, ctx, entry, values, errors, StatusCode::TOO_MANY_REQUESTS).await
}

async fn redisplay(
    state: &AppState,
    ctx: &RequestCtx,
    entry: &Entry,
    values: IntakeValues,
    errors: Vec<String>,
) -> Result<Response, WebError> {
    redisplay_with(
        state,
        ctx,
        entry,
        values,
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The form again, with what was typed and the problems, answered with `status`.
async fn redisplay_with(
    state: &AppState,
    ctx: &RequestCtx,
    entry: &Entry,
    values: IntakeValues,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut form = IntakeForm::new(state, entry).await?;
    let nonce = nonce_of(&values);
    form.values = IntakeValues { nonce, ..values };
    form.errors = errors;
    let mut res = card::card(state, ctx, entry, Some(form)).await?;
    if res.status() == StatusCode::OK {
        *res.status_mut() = status;
    }
    Ok(res)
}

fn thanks_without_receipt(ctx: &RequestCtx) -> Response {
    #[derive(Template, WebTemplate)]
    #[template(
        source = "{% extends \"base.html\" %}{% block content %}<section class=\"card\"><h1>谢谢</h1></section>{% endblock %}",
        ext = "html"
    )]
    struct Thanks {
        page: Page,
    }
    Thanks {
        page: Page::public(ctx, "谢谢"),
    }
    .into_response()
}
