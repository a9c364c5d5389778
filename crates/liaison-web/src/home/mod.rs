//! 工作台: where every signed-in person starts. The page is a list of panels, each the work of one
//! capacity the caller holds — a deputy's inbox, a unit's items, a region's items, the region's
//! figures, the administrators' duties — built by one function each (`panels`). A later feature adds
//! its to-dos as one more function in that list.

mod figures;
mod me;
mod queue;
mod review;
mod suggestion;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::{Permission, RegionCode};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::Query;
use crate::layout::Page;
use crate::routes::Routes;
use crate::{AppState, WebError};

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/me/card", me::card)
        .get("/me/{format}", me::qr)
}

/// A number on a home page that opens the list it counts.
pub struct Tally {
    pub label: &'static str,
    pub shown: String,
    /// Where it leads (None: a figure with nowhere to go).
    pub href: Option<String>,
    /// `bad` / `warn` when the number asks for attention.
    pub class: &'static str,
}

/// One item that needs action now.
pub struct Now {
    pub href: String,
    pub title: String,
    pub detail: String,
    pub due: Option<(String, &'static str)>,
}

/// One panel of the home page.
pub struct Panel {
    /// An `id` for the panel (tests and links find it by this).
    pub id: &'static str,
    pub title: String,
    pub tallies: Vec<Tally>,
    pub now: Vec<Now>,
    /// Shown when `now` is empty (None: no list of items in this panel).
    pub none: Option<&'static str>,
    /// Buttons below: (href, label).
    pub links: Vec<(String, &'static str)>,
    /// A plain sentence (e.g. what the figures cover).
    pub note: Option<String>,
}

impl Panel {
    fn new(id: &'static str, title: impl Into<String>) -> Panel {
        Panel {
            id,
            title: title.into(),
            tallies: vec![],
            now: vec![],
            none: None,
            links: vec![],
            note: None,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "home/page.html")]
pub struct HomePage {
    page: Page,
    name: String,
    region_path: String,
    panels: Vec<Panel>,
    figures: Option<figures::FiguresView>,
    qr: Option<me::QrView>,
}

#[derive(Deserialize)]
pub struct HomeQuery {
    done: Option<String>,
    /// The figures of a region below the caller's (drill-down).
    region: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<HomeQuery>,
) -> Result<HomePage, WebError> {
    let scope = &staff.scope;
    let lineage = state.store.region_lineage(&scope.region).await?;
    let drill = match q.region.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(RegionCode::parse(s).map_err(|_| WebError::invalid("region", "行政区代码无效"))?),
        None => None,
    };
    let mut panels = Vec::new();
    panels.extend(queue::panels(&state, &staff).await?);
    panels.extend(suggestion::panel(&state, &staff).await?);
    panels.extend(review::panel(&state, &staff).await?);
    let qr = me::panel(&state, &staff, &mut panels).await?;
    panels.extend(admin_panels(&state, &staff).await?);
    let figures = if scope.can(Permission::ViewFigures) {
        Some(figures::view(&state, &staff, drill.as_ref()).await?)
    } else {
        None
    };
    Ok(HomePage {
        page: Page::new(&staff.ctx, "工作台", "/").notice(q.done.as_deref()),
        name: staff
            .ctx
            .session
            .as_ref()
            .map(|s| s.display_name.clone())
            .unwrap_or_default(),
        region_path: crate::layout::region_path(&lineage),
        panels,
        figures,
        qr,
    })
}

/// The administrators' duties: accounts, security, audit, and the requests waiting for their
/// confirmation (the two-person rule).
async fn admin_panels(state: &AppState, staff: &Staff) -> Result<Vec<Panel>, WebError> {
    let scope = &staff.scope;
    let mut out = Vec::new();
    let manages = scope.can(Permission::ManageAccounts) || scope.can(Permission::ManageSecurity);
    let accounts = if manages {
        state.store.accounts(scope, None, None, 10_000).await?
    } else {
        vec![]
    };
    if scope.can(Permission::ManageAccounts) {
        let mut p = Panel::new("panel-accounts", "账号管理");
        p.tallies.push(Tally {
            label: "账号",
            shown: accounts.len().to_string(),
            href: Some("/admin/accounts".into()),
            class: "",
        });
        p.links.push(("/admin/accounts/new".into(), "新建账号"));
        out.push(p);
    }
    if scope.can(Permission::ManageSms) {
        let mut p = Panel::new("panel-sms", "短信");
        p.note = Some(if state.config.sms_url.is_some() {
            "群众进度短信、代表和工作人员的提醒短信、登录验证码由短信网关发出；未送达的可在“短信发送情况”中重新发送。".into()
        } else {
            "⚠ 未配置短信网关（LIAISON_SMS_URL）：所有短信（群众进度、提醒、登录验证码）只排队，不会发出。"
                .into()
        });
        p.links.push(("/admin/sms".into(), "短信发送情况"));
        out.push(p);
    }
    if scope.can(Permission::ManageSecurity) {
        let now = chrono::Utc::now();
        let locked = accounts.iter().filter(|a| a.locked_at(now)).count();
        let mut p = Panel::new("panel-security", "安全管理");
        p.tallies.push(Tally {
            label: "锁定中的账号",
            shown: locked.to_string(),
            href: Some("/admin/accounts".into()),
            class: if locked > 0 { "warn" } else { "" },
        });
        p.links.push(("/admin/security".into(), "安全策略"));
        out.push(p);
    }
    if scope.can(Permission::ReadAudit) {
        let mut p = Panel::new("panel-audit", "审计");
        p.note = Some("查看登录、账号变更、安全设置等全部操作记录，并校验日志是否被篡改。".into());
        p.links.push(("/admin/audit".into(), "审计日志"));
        p.links.push(("/admin/audit?verify=1".into(), "校验日志"));
        out.push(p);
    }
    if scope.can(Permission::ConfirmAccountRequests) {
        let now = chrono::Utc::now();
        let waiting = state
            .store
            .open_requests(scope)
            .await?
            .iter()
            .filter(|r| {
                crate::admin::accounts::requests::RequestView::of(staff, r, now)
                    .confirm
                    .is_some()
            })
            .count();
        let mut p = Panel::new("panel-requests", "待我确认的申请");
        p.tallies.push(Tally {
            label: "待确认",
            shown: waiting.to_string(),
            href: Some("/admin/requests".into()),
            class: if waiting > 0 { "warn" } else { "" },
        });
        out.push(p);
    }
    Ok(out)
}
