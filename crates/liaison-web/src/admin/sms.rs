//! 短信发送情况: the system administrator's list of the SMS to citizens that were not delivered (given
//! up after the last attempt, or waiting for the next), with the other statuses one tab away, counts
//! per status, and 重新发送 per message (audited). Items of the administrator's region only; numbers
//! masked by the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Redirect;
use liaison_domain::Permission;
use liaison_domain::notification::{NoticeKind, QuietHours};
use liaison_domain::opinion::show_receipt;
use liaison_store::notification::sms::{COUNT_CAP, OutboxSms, SmsView};
use liaison_store::page::{self, Key, Paged};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Path, Query};
use crate::layout::{Page, local_time};
use crate::{AppState, WebError};

const PAGE_SIZE: i64 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "admin/sms.html")]
pub struct SmsPage {
    page: Page,
    /// The view shown (`SmsView::as_str`).
    view: &'static str,
    /// (view, label, count as shown)
    tabs: Vec<(&'static str, &'static str, String)>,
    rows: Vec<SmsLine>,
    next: Option<String>,
    /// A gateway is configured (`LIAISON_SMS_URL`); without one nothing is sent.
    gateway: bool,
    quiet: QuietHours,
    quiet_error: Option<String>,
}

/// One message as the table shows it.
pub struct SmsLine {
    id: i64,
    opinion_id: i64,
    receipt: String,
    kind: &'static str,
    phone: String,
    status: &'static str,
    attempts: i32,
    last_error: String,
    /// When it is tried next (waiting only), or when it was sent.
    when: String,
    created: String,
    can_retry: bool,
}

impl SmsLine {
    fn of(r: OutboxSms) -> SmsLine {
        let status = status_label(&r);
        let when = match r.status.as_str() {
            "pending" => local_time(&r.next_attempt_at),
            "sent" => r.sent_at.as_ref().map(local_time).unwrap_or_default(),
            _ => String::new(),
        };
        SmsLine {
            id: r.id,
            opinion_id: r.opinion_id,
            receipt: show_receipt(&r.receipt),
            kind: kind_label(&r.kind),
            phone: r.phone.clone(),
            status,
            attempts: r.attempts,
            last_error: r.last_error.clone(),
            when,
            created: local_time(&r.created_at),
            can_retry: r.can_retry(),
        }
    }
}

fn view_label(v: SmsView) -> &'static str {
    match v {
        SmsView::Undelivered => "未送达",
        SmsView::Failed => "发送失败",
        SmsView::Waiting => "等待重试",
        SmsView::Queued => "待发送",
        SmsView::Sending => "发送中",
        SmsView::Sent => "已发送",
    }
}

fn status_label(r: &OutboxSms) -> &'static str {
    match r.status.as_str() {
        "failed" => "发送失败（已停止重试）",
        "pending" if r.attempts > 0 => "等待重试",
        "pending" => "待发送",
        "sending" => "发送中",
        "sent" => "已发送",
        _ => "未知",
    }
}

/// What the citizen was told.
fn kind_label(kind: &str) -> &'static str {
    match NoticeKind::parse(kind) {
        Some(NoticeKind::Accepted) => "受理通知",
        Some(NoticeKind::Assigned) => "交办通知",
        Some(NoticeKind::Replied) => "答复通知",
        Some(NoticeKind::Closed) => "办结通知",
        Some(NoticeKind::Merged) => "合并办理通知",
        Some(k) => k.label(),
        None => "通知",
    }
}

#[derive(Deserialize, Default)]
pub struct SmsQuery {
    #[serde(default)]
    view: String,
    /// The id of the last message shown (a malformed one is the first page).
    #[serde(default)]
    before: String,
    done: Option<String>,
}

/// `GET /admin/sms`
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<SmsQuery>,
) -> Result<SmsPage, WebError> {
    staff.require(Permission::ManageSms)?;
    let view = SmsView::parse(&q.view);
    let rows = state
        .store
        .outbox_sms(&staff.scope, view, Key::parse(&q.before), page::fetch(PAGE_SIZE))
        .await?;
    let Paged { rows, next } = Paged::cut(rows, PAGE_SIZE, |r: &OutboxSms| r.id);
    let next = next.map(|id| format!("/admin/sms?view={}&before={id}", view.as_str()));
    let counts = state.store.outbox_counts(&staff.scope).await?;
    let shown = |n: i64| {
        if n > COUNT_CAP {
            format!("{COUNT_CAP}+")
        } else {
            n.to_string()
        }
    };
    let count = |v: SmsView| counts.iter().find(|c| c.0 == v).map_or(0, |c| c.1);
    let tabs = SmsView::ALL
        .into_iter()
        .map(|v| {
            let n = match v {
                SmsView::Undelivered => count(SmsView::Failed) + count(SmsView::Waiting),
                _ => count(v),
            };
            (v.as_str(), view_label(v), shown(n))
        })
        .collect();
    Ok(SmsPage {
        page: Page::new(&staff.ctx, "短信发送情况", "/admin/sms").notice(q.done.as_deref()),
        view: view.as_str(),
        tabs,
        rows: rows.into_iter().map(SmsLine::of).collect(),
        next,
        gateway: state.config.sms_url.is_some(),
        quiet: state.store.quiet_hours().await?,
        quiet_error: None,
    })
}

#[derive(Deserialize)]
pub struct QuietForm {
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
}

/// `POST /admin/sms/quiet`: the quiet hours of alert SMS (audited).
pub async fn save_quiet(
    State(state): State<AppState>,
    staff: Staff,
    crate::extract::Form(f): crate::extract::Form<QuietForm>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    staff.require(Permission::ManageSms)?;
    let hour = |s: &str| s.trim().parse::<u32>().ok();
    let q = match (hour(&f.start), hour(&f.end)) {
        (Some(start), Some(end)) => QuietHours { start, end },
        _ => QuietHours { start: 99, end: 99 },
    };
    if let Err(msg) = q.validate() {
        let mut page = page(State(state), staff, Query(SmsQuery::default())).await?;
        page.quiet_error = Some(msg.to_owned());
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    state
        .store
        .set_quiet_hours(&staff.scope, &staff.actor(), q)
        .await?;
    Ok(Redirect::to("/admin/sms?done=saved").into_response())
}

/// `POST /admin/sms/{id}/retry`: send again now.
pub async fn retry(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Redirect, WebError> {
    staff.require(Permission::ManageSms)?;
    state.store.retry_sms(&staff.scope, &staff.actor(), id).await?;
    Ok(Redirect::to("/admin/sms?done=requeued"))
}
