use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::account::sms_login::parse_mobile;
use liaison_store::account::Account;
use liaison_store::account::mobile::{MobileChange, MobileView};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Form, Query};
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    page: Page,
    account: Account,
    roles: Vec<&'static str>,
    region_path: String,
    expires_in_days: Option<i64>,
    mobile: MobileView,
    /// An administrator confirms a change of their mobile (their second factor) with the password.
    needs_password: bool,
    /// The mobile as typed, when the form comes back with a message.
    typed: Option<String>,
    mobile_error: Option<String>,
    password_error: Option<String>,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

async fn build(state: &AppState, staff: &Staff, done: Option<&str>) -> Result<AccountPage, WebError> {
    let account = state.store.account(&staff.scope, staff.scope.account_id).await?;
    let lineage = state.store.region_lineage(&staff.scope.region).await?;
    let policy = state.policy().await?;
    let max_age = policy.max_age_for(&staff.scope.roles);
    let expires_in_days =
        (max_age > 0).then(|| max_age - (chrono::Utc::now() - account.password_changed_at).num_days());
    let mobile = state
        .store
        .account_mobile(&staff.scope, staff.scope.account_id)
        .await?;
    Ok(AccountPage {
        page: Page::new(&staff.ctx, "我的账号", "/account").notice(done),
        roles: account.roles.iter().map(|r| r.label()).collect(),
        region_path: crate::layout::region_path(&lineage),
        needs_password: staff.scope.is_admin(),
        account,
        expires_in_days,
        mobile,
        typed: None,
        mobile_error: None,
        password_error: None,
    })
}

/// The signed-in person's own account: who they are, their roles and region, password age, their
/// mobile for alert SMS and login codes.
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Done>,
) -> Result<AccountPage, WebError> {
    build(&state, &staff, q.done.as_deref()).await
}

#[derive(Deserialize)]
pub struct MobileForm {
    #[serde(default)]
    mobile: String,
    /// "1" when the alerts box is ticked (absent when not).
    #[serde(default)]
    alerts: Option<String>,
    /// Blank: the mobile stays as it is (only the alerts change).
    #[serde(default)]
    keep: Option<String>,
    #[serde(default)]
    password: String,
}

/// 手机号与短信提醒: the person sets their own mobile and whether alerts come by SMS.
pub async fn save_mobile(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<MobileForm>,
) -> Result<Response, WebError> {
    let mut page = build(&state, &staff, None).await?;
    page.typed = Some(f.mobile.chars().filter(|c| !c.is_control()).take(20).collect());
    let alerts = f.alerts.is_some();
    let keep = f.keep.is_some() && f.mobile.trim().is_empty() && page.mobile.is_set();
    let mobile = if keep {
        None
    } else {
        match parse_mobile(&f.mobile) {
            Ok(m) => Some(m),
            Err(msg) => {
                page.mobile_error = Some(msg.into());
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
            }
        }
    };
    if page.needs_password && !keep {
        let hash = state.store.password_hash_of(staff.scope.account_id).await?;
        if f.password.is_empty() || !state.login.verify(&f.password, &hash).await? {
            page.password_error = Some("密码不对：管理员修改手机号须输入当前密码".into());
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    }
    let change = match &mobile {
        None => MobileChange::Keep,
        Some(m) => MobileChange::Number(m.as_deref()),
    };
    state
        .store
        .set_account_mobile(
            &staff.scope,
            &staff.actor(),
            staff.scope.account_id,
            change,
            alerts,
        )
        .await?;
    Ok(Redirect::to("/account?done=mobile").into_response())
}
