//! The citizen's tracking page: receipt code (plus the phone's last 4 digits when one was given)
//! shows progress and the answer, and takes the rating. Nothing private is shown: no names, no
//! phones, no internal notes; an item merged into another shows the survivor's progress and, once it
//! is published, its public text — never its answer. Failed lookups are counted per address in the
//! database.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_domain::opinion::{Satisfaction, Stage, parse_receipt};
use liaison_store::Visible;
use liaison_store::opinion::Opinion;
use serde::Deserialize;

use super::tracked::{Tracked, tracked};
use crate::extract::{Form, Path, Query};
use crate::layout::Page;
use crate::{AppState, RequestCtx, WebError};

/// Failed lookups of one receipt per hour: what guards the four digits (10,000 choices) of a known
/// receipt code.
const FAILED_PER_RECEIPT: i64 = 8;
/// Failed lookups one address may make per hour: high, because a whole village may share one
/// address; it only slows the guessing of receipt codes themselves.
const FAILED_PER_ADDRESS: i64 = 200;

/// Why a lookup shows no item.
enum Miss {
    NotFound,
    /// Too many failures; minutes until the window ends.
    Limited(i64),
}

impl Miss {
    fn message(&self) -> String {
        match self {
            Miss::NotFound => "没有找到：请核对回执码；留了电话的，还要填写手机号后 4 位".into(),
            Miss::Limited(minutes) => {
                format!("查询失败次数过多，为保护您的信息，请 {minutes} 分钟后再试")
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct TrackQuery {
    #[serde(default)]
    r: String,
    #[serde(default)]
    d: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/track.html")]
pub struct TrackPage {
    page: Page,
    r: String,
    d: String,
    error: Option<String>,
    item: Option<Tracked>,
    notice: Option<&'static str>,
    /// The rating form's problem, shown beside the choices, and the words typed, kept.
    rate_error: Option<String>,
    note: String,
}

impl TrackPage {
    fn new(ctx: &RequestCtx, r: String, d: String) -> TrackPage {
        TrackPage {
            page: Page::public(ctx, "查询办理进度"),
            r,
            d,
            error: None,
            item: None,
            notice: None,
            rate_error: None,
            note: String::new(),
        }
    }
}

async fn lookup(
    state: &AppState,
    ctx: &RequestCtx,
    r: &str,
    d: &str,
) -> Result<Result<Visible<Opinion>, Miss>, WebError> {
    let code = parse_receipt(r);
    // a code that cannot be a receipt protects nothing: only the address counts it
    let mut buckets = vec![(format!("track:{}", ctx.ip), FAILED_PER_ADDRESS)];
    if let Some(code) = &code {
        buckets.push((format!("track-receipt:{code}"), FAILED_PER_RECEIPT));
    }
    for (bucket, limit) in &buckets {
        if state.store.failures(bucket).await? >= *limit {
            return Ok(Err(Miss::Limited(minutes_left())));
        }
    }
    let found = match &code {
        Some(code) => state.store.track(code, d).await?,
        None => None,
    };
    match found {
        Some(o) => Ok(Ok(o)),
        None => {
            for (bucket, limit) in &buckets {
                state.store.count_failure(bucket, *limit).await?;
            }
            Ok(Err(Miss::NotFound))
        }
    }
}

/// Minutes until the current rate-limit window ends (at least 1).
fn minutes_left() -> i64 {
    let window = liaison_store::opinion::intake::WINDOW_SECS;
    let now = chrono::Utc::now().timestamp();
    ((window - now.rem_euclid(window)) + 59) / 60
}

/// `GET /t?r=&d=`
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<TrackQuery>,
) -> Result<Response, WebError> {
    let mut p = TrackPage::new(&ctx, q.r.clone(), q.d.clone());
    if q.r.trim().is_empty() {
        return Ok(p.into_response());
    }
    match lookup(&state, &ctx, &q.r, &q.d).await? {
        Ok(o) => {
            p.item = Some(tracked(&state, &o).await?);
            Ok(p.into_response())
        }
        Err(m @ Miss::Limited(_)) => {
            p.error = Some(m.message());
            Ok((StatusCode::TOO_MANY_REQUESTS, p).into_response())
        }
        // a link from an SMS carries only the receipt: ask for the digits rather than say "not found"
        Err(_) if q.d.trim().is_empty() => {
            p.error = Some("请填写手机号后 4 位后查询（没有留电话的，请核对回执码）".into());
            Ok(p.into_response())
        }
        Err(m) => {
            p.error = Some(m.message());
            Ok((StatusCode::NOT_FOUND, p).into_response())
        }
    }
}

/// `GET /t/photos/{id}.jpg?r=&d=`: a photo of the caller's own item, after the same check as the page.
pub async fn photo(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(file): Path<String>,
    Query(q): Query<TrackQuery>,
) -> Result<Response, WebError> {
    let id = crate::jpeg::id_of(&file)?;
    let o = match lookup(&state, &ctx, &q.r, &q.d).await? {
        Ok(o) => o,
        Err(Miss::Limited(_)) => return Err(WebError::RateLimited),
        Err(Miss::NotFound) => return Err(WebError::NotFound),
    };
    let photo = state
        .store
        .opinion_photos(&o)
        .await?
        .into_iter()
        .find(|p| p.id == id && !p.hidden)
        .ok_or(WebError::NotFound)?;
    crate::jpeg::respond(&state, &photo.blob, "private, no-store").await
}

/// `GET /t/files/{id}?r=&d=`: a public attachment of the answer the caller's tracking page shows, after
/// the same check as the page.
pub async fn file(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
    Query(q): Query<TrackQuery>,
) -> Result<Response, WebError> {
    let o = match lookup(&state, &ctx, &q.r, &q.d).await? {
        Ok(o) => o,
        Err(Miss::Limited(_)) => return Err(WebError::RateLimited),
        Err(Miss::NotFound) => return Err(WebError::NotFound),
    };
    let a = super::tracked::citizen_attachments(&state, &o)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(WebError::NotFound)?;
    crate::opinion::reply::respond(&state, &a).await
}

#[derive(Deserialize)]
pub struct RateForm {
    r: String,
    #[serde(default)]
    d: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    note: String,
}

/// `POST /t/rate`: 满意 / 基本满意 / 不满意 (不满意 sends it back to the unit). A missing choice or
/// an over-long note shows the page again with the problem beside the form and the words kept.
pub async fn rate(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(f): Form<RateForm>,
) -> Result<Response, WebError> {
    let o = match lookup(&state, &ctx, &f.r, &f.d).await? {
        Ok(o) => o,
        Err(Miss::Limited(_)) => return Err(WebError::RateLimited),
        // the lookup form again, in the tracking page's words, rather than a bare error page
        Err(m @ Miss::NotFound) => {
            let mut p = TrackPage::new(&ctx, f.r, f.d);
            p.error = Some(m.message());
            return Ok((StatusCode::NOT_FOUND, p).into_response());
        }
    };
    let problem = match Satisfaction::parse(&f.rating) {
        None => Err("请选择满意、基本满意或不满意后再提交"),
        Some(_) if f.note.chars().count() > 500 => Err("还想说的不能超过 500 字"),
        Some(r) => Ok(r),
    };
    let rating = match problem {
        Ok(r) => r,
        Err(message) => {
            let mut p = TrackPage::new(&ctx, f.r, f.d);
            p.item = Some(tracked(&state, &o).await?);
            p.rate_error = Some(message.to_owned());
            p.note = f.note;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
        }
    };
    state
        .store
        .rate_by_citizen(o.id, rating, f.note.trim(), &ctx.ip)
        .await?;
    let o = state
        .store
        .track(&o.receipt, &f.d)
        .await?
        .ok_or(WebError::NotFound)?;
    let mut p = TrackPage::new(&ctx, f.r, f.d);
    p.item = Some(tracked(&state, &o).await?);
    p.notice = Some(match (rating, o.stage()) {
        (Satisfaction::Unsatisfied, Stage::Assigned) => {
            "已收到您的评价。您不满意，事项已退回承办单位重新办理。"
        }
        (Satisfaction::Unsatisfied, _) => "已收到您的评价。您不满意，事项已退回重新办理。",
        _ => "谢谢您的评价，事项已办结。",
    });
    Ok(p.into_response())
}
