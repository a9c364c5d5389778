//! 审计日志: the audit administrator's view, with filters, keyset paging and a chain check.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::NaiveDate;
use liaison_domain::Permission;
use liaison_store::audit::{AuditFilter, AuditRow};
use liaison_store::page::{self, Key, Paged};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::Query;
use crate::layout::Page;
use crate::{AppState, WebError};

const PAGE_SIZE: i64 = 100;

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    page: Page,
    rows: Vec<AuditRow>,
    actions: Vec<String>,
    q: AuditQuery,
    next_before: Option<i64>,
    chain: Option<Result<i64, String>>,
    error: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// The `seq` of the last entry shown (a malformed one is the first page).
    #[serde(default)]
    pub before: String,
    #[serde(default)]
    pub verify: String,
}

impl AuditQuery {
    /// The filter, or a Chinese message naming the bad field.
    pub fn filter(&self) -> Result<AuditFilter, String> {
        let date = |s: &str, label: &str| -> Result<Option<NaiveDate>, String> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("{label}应为 年-月-日 格式，如 2026-11-22"))
        };
        // dates are Beijing dates; the log's times are UTC RFC 3339 text, compared as text
        let utc = |d: NaiveDate| {
            liaison_domain::time::day_start(d)
                .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
                .unwrap_or_default()
        };
        let from = date(&self.from, "开始日期")?;
        let to = date(&self.to, "结束日期")?;
        Ok(AuditFilter {
            action: (!self.action.trim().is_empty()).then(|| self.action.trim().to_owned()),
            actor: (!self.actor.trim().is_empty()).then(|| self.actor.trim().to_owned()),
            since: from.map(utc),
            until: to.and_then(|d| d.succ_opt()).map(utc),
            before: Key::parse(&self.before),
        })
    }

    pub fn link_before(&self, before: &i64) -> String {
        let enc = crate::error::urlencode;
        format!(
            "/admin/audit?action={}&actor={}&from={}&to={}&before={before}",
            enc(&self.action),
            enc(&self.actor),
            enc(&self.from),
            enc(&self.to)
        )
    }
}

/// An entry's time (UTC RFC 3339 text, as hashed into the chain) in Beijing time, to the second, as
/// every other page shows times; text that does not read as a time is shown as it is.
pub fn beijing(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => liaison_domain::time::local(t.with_timezone(&chrono::Utc))
            .format("%Y-%m-%d %H:%M:%S")
            .to_string(),
        Err(_) => at.to_owned(),
    }
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AuditQuery>,
) -> Result<AuditPage, WebError> {
    staff.require(Permission::ReadAudit)?;
    let (rows, error) = match q.filter() {
        Ok(f) => (
            state
                .store
                .audit_list(&staff.scope, &f, page::fetch(PAGE_SIZE))
                .await?,
            None,
        ),
        Err(e) => (vec![], Some(e)),
    };
    let Paged {
        rows,
        next: next_before,
    } = Paged::cut(rows, PAGE_SIZE, |r: &AuditRow| r.seq);
    let chain = if q.verify == "1" {
        Some(state.store.audit_verify().await?.map_err(|b| b.to_string()))
    } else {
        None
    };
    Ok(AuditPage {
        page: Page::new(&staff.ctx, "审计日志", "/admin/audit"),
        actions: state.store.audit_actions(&staff.scope).await?,
        rows,
        q,
        next_before,
        chain,
        error,
    })
}
