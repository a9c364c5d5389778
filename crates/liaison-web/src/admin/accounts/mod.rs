//! 账号管理: the system administrator creates and edits accounts in their subtree; the security
//! administrator sees them to unlock accounts and end sessions.

mod form;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::password::hash_password;
use liaison_domain::token::random_password;
use liaison_domain::{Permission, RegionCode};
use liaison_store::account::Account;
use liaison_store::page::{self, Key, Paged};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Path, Query};
use crate::layout::Page;
use crate::{AppState, WebError};
use form::fields_html;

pub use form::{create, new_form, update};

const PAGE_SIZE: i64 = 50;

fn can_view(staff: &Staff) -> Result<(), WebError> {
    if staff.scope.can(Permission::ManageAccounts) || staff.scope.can(Permission::ManageSecurity) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/accounts.html")]
pub struct ListPage {
    page: Page,
    accounts: Vec<Account>,
    q: String,
    next_after: Option<i64>,
    can_create: bool,
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
    Ok(ListPage {
        page: Page::new(&staff.ctx, "账号管理", "/admin/accounts").notice(lq.done.as_deref()),
        accounts,
        q,
        next_after,
        can_create: staff.scope.can(Permission::ManageAccounts),
        now: chrono::Utc::now(),
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
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/account_created.html")]
pub struct CreatedPage {
    page: Page,
    id: i64,
    username: String,
    password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/account_detail.html")]
pub struct DetailPage {
    page: Page,
    account: Account,
    sessions: i64,
    edit: Option<String>,
    manage_accounts: bool,
    manage_security: bool,
    locked: bool,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Result<DetailPage, WebError> {
    can_view(&staff)?;
    let account = state.store.account(&staff.scope, id).await?;
    let edit = if staff.scope.can(Permission::ManageAccounts) {
        let form = AccountForm {
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            region: RegionCode::parse(&account.region_code)
                .map(|r| r.short().to_owned())
                .unwrap_or_default(),
            roles: account.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            unit_id: account.unit_id.map(|n| n.to_string()).unwrap_or_default(),
            station_id: account.station_id.map(|n| n.to_string()).unwrap_or_default(),
            person_id: account.person_id.map(|n| n.to_string()).unwrap_or_default(),
        };
        Some(fields_html(&state, &staff, Some(id), &form, &[]).await?)
    } else {
        None
    };
    Ok(DetailPage {
        page: Page::new(&staff.ctx, account.display_name.clone(), "/admin/accounts")
            .notice(q.done.as_deref()),
        sessions: state.store.session_count(id).await?,
        locked: account.locked_at(chrono::Utc::now()),
        account,
        edit,
        manage_accounts: staff.scope.can(Permission::ManageAccounts),
        manage_security: staff.scope.can(Permission::ManageSecurity),
    })
}

pub async fn action(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, action)): Path<(i64, String)>,
) -> Result<Response, WebError> {
    let (store, scope, actor) = (&state.store, &staff.scope, staff.actor());
    let done = match action.as_str() {
        "disable" => {
            store.set_disabled(scope, &actor, id, true).await?;
            "disabled"
        }
        "enable" => {
            store.set_disabled(scope, &actor, id, false).await?;
            "enabled"
        }
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
            store
                .reset_password(scope, &actor, id, &hash_password(&password)?)
                .await?;
            let account = store.account(scope, id).await?;
            let page = CreatedPage {
                page: Page::new(&staff.ctx, "密码已重置", "/admin/accounts"),
                id,
                username: account.username,
                password,
            };
            return Ok(page.into_response());
        }
        _ => return Err(WebError::NotFound),
    };
    Ok(Redirect::to(&format!("/admin/accounts/{id}?done={done}")).into_response())
}
