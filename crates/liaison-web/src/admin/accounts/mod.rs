//! 账号管理: the system administrator creates and edits accounts in their subtree; the security
//! administrator sees them to unlock accounts, end sessions and grant what waits for a grant. Every
//! button is offered only if the rule (`liaison_domain::account::admin`, 三员分立) allows it, labelled
//! as a request when it needs another administrator; the store applies the same rule again.

mod fields;
mod form;
pub(crate) mod requests;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::Permission;
use liaison_domain::account::admin::{self, Action, Decision, Party};
use liaison_domain::password::hash_password;
use liaison_domain::token::random_password;
use liaison_store::account::{Account, Done};
use liaison_store::page::{self, Key, Paged};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Path, Query};
use crate::layout::Page;
use crate::{AppState, WebError};

pub use form::{create, new_form, update};
pub use requests::{RequestView, bulk_grant, decide, page as requests_page};

const PAGE_SIZE: i64 = 50;

fn can_view(staff: &Staff) -> Result<(), WebError> {
    if staff.scope.can(Permission::ManageAccounts) || staff.scope.can(Permission::ManageSecurity) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

/// The caller as the rule sees them.
fn me(staff: &Staff) -> Party<'_> {
    Party {
        id: staff.scope.account_id,
        roles: &staff.scope.roles,
    }
}

/// The notices of this feature's redirects (`?done=…`), beside the layout's shared ones.
fn notice(page: Page, done: Option<&str>) -> Page {
    let mine = done.and_then(|d| {
        Some(match d {
            "requested" => "已提交申请，待另一位管理员确认后生效",
            "proposed" => "已保存；角色和范围的变更须经安全管理员授权后生效",
            "granted" => "已授权，变更已生效",
            "confirmed" => "已确认并执行",
            "rejected" => "已驳回申请",
            "withdrawn" => "已撤回申请",
            _ => return None,
        })
    });
    let mut page = page.notice(done);
    page.notice = mine.or(page.notice);
    page
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/accounts.html")]
pub struct ListPage {
    page: Page,
    accounts: Vec<Account>,
    q: String,
    next_after: Option<i64>,
    can_create: bool,
    /// Open requests the caller may decide.
    waiting: usize,
    now: chrono::DateTime<chrono::Utc>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    /// The id of the last account shown (a malformed one is the first page).
    #[serde(default)]
    after: String,
    done: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(lq): Query<ListQuery>,
) -> Result<ListPage, WebError> {
    can_view(&staff)?;
    let q =
        lq.q.unwrap_or_default()
            .trim()
            .chars()
            .take(32)
            .collect::<String>();
    let accounts = state
        .store
        .accounts(
            &staff.scope,
            (!q.is_empty()).then_some(q.as_str()),
            Key::parse(&lq.after),
            page::fetch(PAGE_SIZE),
        )
        .await?;
    let Paged {
        rows: accounts,
        next: next_after,
    } = Paged::cut(accounts, PAGE_SIZE, |a: &Account| a.id);
    let now = chrono::Utc::now();
    let waiting = state
        .store
        .open_requests(&staff.scope)
        .await?
        .iter()
        .filter(|r| RequestView::of(&staff, r, now).confirm.is_some())
        .count();
    Ok(ListPage {
        page: notice(
            Page::new(&staff.ctx, "账号管理", "/admin/accounts"),
            lq.done.as_deref(),
        ),
        accounts,
        q,
        next_after,
        can_create: staff.scope.can(Permission::ManageAccounts),
        waiting,
        now,
    })
}

/// The create/edit form's values, kept as typed so a rejected form comes back filled in.
#[derive(Deserialize, Default)]
pub struct AccountForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    station_id: String,
    #[serde(default)]
    person_id: String,
    /// Narrows the deputies offered for the binding (name or village), searched on the server.
    #[serde(default)]
    person_q: String,
    /// "选下级" or "查找" was pressed (no JavaScript): show the form again, as typed.
    #[serde(default, rename = "_drill")]
    drill: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/account_created.html")]
pub struct CreatedPage {
    page: Page,
    id: i64,
    username: String,
    /// None: the account waits for a grant, and whoever grants it receives its first password.
    password: Option<String>,
    /// What still waits for a grant, if anything.
    pending: Option<String>,
    /// Whether the viewer may open account pages (the auditor, confirming a reset, may not).
    account_links: bool,
}

/// One button of the account page: the path's last part, its label, and whether it only asks.
pub struct Button {
    pub action: &'static str,
    pub label: String,
    pub request: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/account_detail.html")]
pub struct DetailPage {
    page: Page,
    account: Account,
    sessions: i64,
    edit: Option<String>,
    buttons: Vec<Button>,
    requests: Vec<RequestView>,
    own: bool,
    locked: bool,
    /// The account's mobile, masked.
    mobile: liaison_store::account::mobile::MobileView,
    /// The caller may set it here (`sms_login::may_set_mobile`; one's own on 我的账号).
    set_mobile: bool,
    mobile_typed: String,
    mobile_error: Option<String>,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// The buttons the rule offers `staff` on `account`: plain when it is theirs to do, "申请…" when
/// another administrator confirms it; none that would be refused.
fn buttons(staff: &Staff, account: &Account, locked: bool) -> Vec<Button> {
    let target = Party {
        id: account.id,
        roles: &account.roles,
    };
    let mut all = vec![
        if account.disabled {
            ("enable", "启用账号", Action::Enable)
        } else {
            ("disable", "停用账号", Action::Disable)
        },
        ("reset-password", "重置密码", Action::ResetPassword),
    ];
    if locked {
        all.push(("unlock", "解除锁定", Action::Unlock));
    }
    all.push(("end-sessions", "强制下线", Action::EndSessions));
    all.into_iter()
        .filter_map(|(action, label, a)| match admin::decide(me(staff), target, a) {
            Ok(Decision::Now) => Some(Button {
                action,
                label: label.to_owned(),
                request: false,
            }),
            Ok(Decision::Confirm(r)) => Some(Button {
                action,
                label: format!("申请{label}（须{}确认）", r.label()),
                request: true,
            }),
            Err(_) => None,
        })
        .collect()
}

pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<DetailPage, WebError> {
    can_view(&staff)?;
    let account = state.store.account(&staff.scope, id).await?;
    let requests = state.store.open_requests_of(&staff.scope, id).await?;
    let now = chrono::Utc::now();
    let may_edit = admin::decide(
        me(&staff),
        Party {
            id,
            roles: &account.roles,
        },
        Action::Rename,
    )
    .is_ok();
    let edit = if may_edit {
        Some(
            fields::edit_fields(
                &state,
                &staff,
                &account,
                requests.iter().find(|r| r.kind == "access"),
            )
            .await?,
        )
    } else {
        None
    };
    let locked = account.locked_at(now);
    let mobile = state.store.account_mobile(&staff.scope, id).await?;
    let set_mobile = id != staff.scope.account_id
        && liaison_domain::account::sms_login::may_set_mobile(&staff.scope, id, &account.roles);
    Ok(DetailPage {
        mobile,
        set_mobile,
        mobile_typed: String::new(),
        mobile_error: None,
        page: notice(
            Page::new(&staff.ctx, account.display_name.clone(), "/admin/accounts"),
            q.done.as_deref(),
        ),
        sessions: state.store.session_count(id).await?,
        buttons: buttons(&staff, &account, locked),
        requests: requests.iter().map(|r| RequestView::of(&staff, r, now)).collect(),
        own: id == staff.scope.account_id,
        locked,
        account,
        edit,
    })
}

pub async fn action(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, action)): Path<(i64, String)>,
) -> Result<Response, WebError> {
    let (store, scope, actor) = (&state.store, &staff.scope, staff.actor());
    let done = match action.as_str() {
        "disable" => match store.set_disabled(scope, &actor, id, true).await? {
            Done::Applied => "disabled",
            Done::Requested(_) => "requested",
        },
        "enable" => match store.set_disabled(scope, &actor, id, false).await? {
            Done::Applied => "enabled",
            Done::Requested(_) => "requested",
        },
        "unlock" => {
            store.unlock_account(scope, &actor, id).await?;
            "unlocked"
        }
        "end-sessions" => {
            store.end_sessions(scope, &actor, id).await?;
            "sessions"
        }
        "reset-password" => {
            let password = random_password();
            let done = store
                .reset_password(scope, &actor, id, &hash_password(&password)?)
                .await?;
            if let Done::Requested(_) = done {
                // the administrator who confirms sets the password and hands it over
                "requested"
            } else {
                let account = store.account(scope, id).await?;
                let page = CreatedPage {
                    page: Page::new(&staff.ctx, "密码已重置", "/admin/accounts"),
                    id,
                    username: account.username,
                    password: Some(password),
                    pending: None,
                    account_links: true,
                };
                return Ok(page.into_response());
            }
        }
        _ => return Err(WebError::NotFound),
    };
    Ok(Redirect::to(&format!("/admin/accounts/{id}?done={done}")).into_response())
}

#[derive(Deserialize)]
pub struct MobileForm {
    #[serde(default)]
    mobile: String,
    #[serde(default)]
    alerts: Option<String>,
}

/// A system administrator sets the mobile of a deputy's or a unit's account (who may not log in yet);
/// a malformed number comes back beside the field, typed as it was.
pub async fn set_mobile(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    crate::extract::Form(f): crate::extract::Form<MobileForm>,
) -> Result<Response, WebError> {
    staff.require(liaison_domain::Permission::ManageAccounts)?;
    match liaison_domain::account::sms_login::parse_mobile(&f.mobile) {
        Ok(m) => {
            state
                .store
                .set_account_mobile(
                    &staff.scope,
                    &staff.actor(),
                    id,
                    liaison_store::account::mobile::MobileChange::Number(m.as_deref()),
                    f.alerts.is_some(),
                )
                .await?;
            Ok(Redirect::to(&format!("/admin/accounts/{id}?done=mobile")).into_response())
        }
        Err(msg) => {
            let mut page = detail(State(state), staff, Path(id), Query(DoneQuery { done: None })).await?;
            page.mobile_typed = f.mobile.chars().filter(|c| !c.is_control()).take(20).collect();
            page.mobile_error = Some(msg.to_owned());
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
