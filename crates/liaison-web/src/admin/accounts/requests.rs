//! 待确认申请: the account changes one administrator asked for and another confirms — the security
//! administrator's grants, the two-person rule over administrators' accounts. Each of the three
//! administrators sees the open requests of their subtree and the buttons the rule gives them.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use liaison_domain::Permission;
use liaison_domain::account::request as rule;
use liaison_domain::password::hash_password;
use liaison_domain::token::random_password;
use liaison_store::account::{AccountRequest, Close};
use serde::Deserialize;

use super::{CreatedPage, me, notice};
use crate::ctx::Staff;
use crate::extract::{MultiForm, Path, Query};
use crate::layout::Page;
use crate::{AppState, WebError};

/// One open request as a page shows it, with what the viewer may do.
pub struct RequestView {
    pub id: i64,
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub what: String,
    pub requester: String,
    pub requested_at: DateTime<Utc>,
    pub confirmer: &'static str,
    pub expired: bool,
    /// The confirm button's label, if the viewer may confirm.
    pub confirm: Option<&'static str>,
    pub reject: bool,
    pub withdraw: bool,
    /// May be granted with others at once (an access grant that sets no password).
    pub bulk: bool,
}

impl RequestView {
    pub fn of(staff: &Staff, r: &AccountRequest, now: DateTime<Utc>) -> RequestView {
        let expired = r.expired_at(now);
        let confirmer = r.confirmer();
        let may = |f: &dyn Fn(liaison_domain::Role) -> bool| confirmer.is_some_and(f);
        let confirm =
            may(&|c| rule::may_confirm(me(staff), r.requested_by, r.account_id, c, expired).is_ok())
                .then_some(if r.kind == "access" {
                    "授权"
                } else {
                    "确认执行"
                });
        let reject = may(&|c| rule::may_reject(me(staff), r.requested_by, r.account_id, c).is_ok());
        let withdraw = rule::may_withdraw(me(staff), r.requested_by).is_ok();
        let what = match r.kind.as_str() {
            "access" => {
                let roles: Vec<&str> = r.proposed_roles().iter().map(|x| x.label()).collect();
                format!(
                    "授权角色：{}；所属行政区：{}",
                    roles.join("、"),
                    r.region_name.as_deref().unwrap_or(&r.account_region)
                )
            }
            _ => r.kind_label().to_owned(),
        };
        RequestView {
            id: r.id,
            account_id: r.account_id,
            username: r.username.clone(),
            display_name: r.display_name.clone(),
            what,
            requester: r.requester.clone(),
            requested_at: r.requested_at,
            confirmer: r.confirmer_label(),
            expired,
            bulk: confirm.is_some() && r.kind == "access" && !r.sets_password(),
            confirm,
            reject,
            withdraw,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/requests.html")]
pub struct RequestsPage {
    page: Page,
    requests: Vec<RequestView>,
    /// Whether the viewer may open the accounts' pages (the auditor may not).
    account_links: bool,
    /// Some request may be granted with others at once.
    any_bulk: bool,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

async fn requests_page(
    state: &AppState,
    staff: &Staff,
    done: Option<&str>,
) -> Result<RequestsPage, WebError> {
    staff.require(Permission::ConfirmAccountRequests)?;
    let now = Utc::now();
    let requests: Vec<RequestView> = state
        .store
        .open_requests(&staff.scope)
        .await?
        .iter()
        .map(|r| RequestView::of(staff, r, now))
        .collect();
    Ok(RequestsPage {
        page: notice(Page::new(&staff.ctx, "待确认申请", "/admin/requests"), done),
        any_bulk: requests.iter().any(|r| r.bulk),
        requests,
        account_links: staff.scope.can(Permission::ManageAccounts)
            || staff.scope.can(Permission::ManageSecurity),
        error: None,
    })
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<DoneQuery>,
) -> Result<RequestsPage, WebError> {
    requests_page(&state, &staff, q.done.as_deref()).await
}

/// Confirms, rejects or withdraws one request. A confirmation that sets a password (a reset, an
/// administrator's new account) shows it to the one who confirmed, once.
pub async fn decide(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, decision)): Path<(i64, String)>,
) -> Result<Response, WebError> {
    staff.require(Permission::ConfirmAccountRequests)?;
    let (store, scope, actor) = (&state.store, &staff.scope, staff.actor());
    let done = match decision.as_str() {
        "confirm" => {
            let r = store.open_request(scope, id).await?;
            let password = r.sets_password().then(random_password);
            let hash = password.as_deref().map(hash_password).transpose()?;
            let done = store.confirm_request(scope, &actor, id, hash.as_deref()).await?;
            if let (true, Some(password)) = (done.password_set, password) {
                let title = if r.kind == "access" {
                    "已授权：管理员账号的初始密码"
                } else {
                    "密码已重置"
                };
                return Ok(CreatedPage {
                    page: Page::new(&staff.ctx, title, "/admin/requests"),
                    id: done.account_id,
                    username: done.username,
                    password: Some(password),
                    pending: None,
                    account_links: staff.scope.can(Permission::ManageAccounts)
                        || staff.scope.can(Permission::ManageSecurity),
                }
                .into_response());
            }
            if r.kind == "access" {
                "granted"
            } else {
                "confirmed"
            }
        }
        "reject" => {
            store.close_request(scope, &actor, id, Close::Reject).await?;
            "rejected"
        }
        "withdraw" => {
            store.close_request(scope, &actor, id, Close::Withdraw).await?;
            "withdrawn"
        }
        _ => return Err(WebError::NotFound),
    };
    Ok(Redirect::to(&format!("/admin/requests?done={done}")).into_response())
}

#[derive(Deserialize)]
pub struct BulkForm {
    #[serde(default)]
    ids: Vec<String>,
}

/// The security administrator grants the ticked access requests at once (each on its own, audited
/// one by one); those that set a password are granted one at a time from their own button.
pub async fn bulk_grant(
    State(state): State<AppState>,
    staff: Staff,
    MultiForm(f): MultiForm<BulkForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageSecurity)?;
    let ids: Vec<i64> = f.ids.iter().filter_map(|s| s.trim().parse().ok()).collect();
    let mut failed = Vec::new();
    for id in &ids {
        if let Err(e) = state
            .store
            .confirm_request(&staff.scope, &staff.actor(), *id, None)
            .await
        {
            failed.push(format!("申请 {id}：{}", WebError::from(e)));
        }
    }
    if ids.is_empty() || !failed.is_empty() {
        let mut page = requests_page(&state, &staff, None).await?;
        page.error = Some(if ids.is_empty() {
            "请先勾选要授权的申请".to_owned()
        } else {
            failed.join("；")
        });
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    Ok(Redirect::to("/admin/requests?done=granted").into_response())
}
