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
use liaison_domain::opinion::{Satisfaction, Stage, parse_receipt, show_receipt};
use liaison_store::Visible;
use liaison_store::opinion::{Event, Opinion};
use serde::Deserialize;

use crate::extract::{Form, Query};
use crate::layout::{Page, local_time};
use crate::{AppState, RequestCtx, WebError};

/// Failed lookups one address may make per hour.
const FAILED_LOOKUPS: i64 = 30;

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
    error: Option<&'static str>,
    item: Option<Tracked>,
    notice: Option<&'static str>,
}

pub struct Tracked {
    receipt: String,
    category: String,
    submitted: String,
    stage: &'static str,
    to: String,
    answer: String,
    can_rate: bool,
    rating: &'static str,
    steps: Vec<(String, &'static str, &'static str)>,
}

/// What the citizen of an item merged into another reads until the survivor is published: the
/// survivor's answer went to another citizen and is not theirs to read.
const FOLLOWER_LINE: &str = "您反映的问题已与相同问题合并办理，办理结果公示后可在此查看。";

fn tracked(o: &Opinion, events: &[Event]) -> Tracked {
    let stage = o.stage();
    let follower = o.merged_into.is_some();
    let answer_visible = matches!(
        stage,
        Stage::Replied | Stage::Answered | Stage::Closed | Stage::Published | Stage::Declined
    ) || !o.answer.is_empty() && stage != Stage::Assigned;
    // a follower's `answer` is the survivor's published text, masked (`Store::track`), or nothing yet
    let answer = match (follower, answer_visible) {
        (true, _) if o.answer.is_empty() => FOLLOWER_LINE.to_owned(),
        (true, _) | (false, true) => o.answer.clone(),
        (false, false) => String::new(),
    };
    Tracked {
        receipt: show_receipt(&o.receipt),
        category: o.category_label.clone(),
        submitted: local_time(&o.submitted_at),
        stage: if follower {
            stage.follower_label()
        } else {
            stage.public_label()
        },
        to: o
            .deputy_name
            .as_ref()
            .map(|n| format!("{n}代表"))
            .or_else(|| o.station_name.clone())
            .unwrap_or_default(),
        answer,
        // the survivor's citizen rates a merged item's answer
        can_rate: !follower && matches!(stage, Stage::Replied | Stage::Answered),
        rating: o.satisfaction_label(),
        steps: events
            .iter()
            .map(|e| (local_time(&e.at), e.action_label(), e.public_stage_label()))
            .collect(),
    }
}

async fn lookup(
    state: &AppState,
    ctx: &RequestCtx,
    r: &str,
    d: &str,
) -> Result<Result<Visible<Opinion>, &'static str>, WebError> {
    let bucket = format!("track:{}", ctx.ip);
    if state.store.failures(&bucket).await? >= FAILED_LOOKUPS {
        return Err(WebError::RateLimited);
    }
    let found = match parse_receipt(r) {
        Some(code) => state.store.track(&code, d).await?,
        None => None,
    };
    match found {
        Some(o) => Ok(Ok(o)),
        None => {
            state.store.count_failure(&bucket, FAILED_LOOKUPS).await?;
            Ok(Err("没有找到：请核对回执码；留了电话的，还要填写手机号后 4 位"))
        }
    }
}

/// `GET /t?r=&d=`
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<TrackQuery>,
) -> Result<Response, WebError> {
    let mut p = TrackPage {
        page: Page::public(&ctx, "查询办理进度"),
        r: q.r.clone(),
        d: q.d.clone(),
        error: None,
        item: None,
        notice: None,
    };
    if q.r.trim().is_empty() {
        return Ok(p.into_response());
    }
    match lookup(&state, &ctx, &q.r, &q.d).await? {
        Ok(o) => {
            let events = state.store.opinion_events(&o).await?;
            p.item = Some(tracked(&o, &events));
            Ok(p.into_response())
        }
        // a link from an SMS carries only the receipt: ask for the digits rather than say "not found"
        Err(_) if q.d.trim().is_empty() => {
            p.error = Some("请填写手机号后 4 位后查询（没有留电话的，请核对回执码）");
            Ok(p.into_response())
        }
        Err(m) => {
            p.error = Some(m);
            Ok((StatusCode::NOT_FOUND, p).into_response())
        }
    }
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

/// `POST /t/rate`: 满意 / 基本满意 / 不满意 (不满意 sends it back to the unit).
pub async fn rate(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(f): Form<RateForm>,
) -> Result<Response, WebError> {
    let o = match lookup(&state, &ctx, &f.r, &f.d).await? {
        Ok(o) => o,
        Err(_) => return Err(WebError::NotFound),
    };
    let rating = Satisfaction::parse(&f.rating)
        .ok_or_else(|| WebError::invalid("rating", "请选择满意、基本满意或不满意"))?;
    if f.note.chars().count() > 500 {
        return Err(WebError::invalid("note", "意见不能超过 500 字"));
    }
    state
        .store
        .rate_by_citizen(o.id, rating, f.note.trim(), &ctx.ip)
        .await?;
    let o = state
        .store
        .track(&o.receipt, &f.d)
        .await?
        .ok_or(WebError::NotFound)?;
    let events = state.store.opinion_events(&o).await?;
    Ok(TrackPage {
        page: Page::public(&ctx, "查询办理进度"),
        r: f.r,
        d: f.d,
        error: None,
        item: Some(tracked(&o, &events)),
        notice: Some(if rating == Satisfaction::Unsatisfied {
            "已收到您的评价。您不满意，事项已退回承办单位重新办理。"
        } else {
            "谢谢您的评价，事项已办结。"
        }),
    }
    .into_response())
}
