//! Changing one's own password: forced at first login and when the policy says it has expired.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::password::PasswordPolicy;
use liaison_domain::token::token_digest;
use serde::Deserialize;

use crate::ctx::{LoggedIn, SESSION_COOKIE, cookie};
use crate::extract::Form;
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "auth/password.html")]
pub struct PasswordPage {
    page: Page,
    forced: bool,
    policy: PasswordPolicy,
    errors: Vec<String>,
}

pub async fn form(State(state): State<AppState>, user: LoggedIn) -> Result<PasswordPage, WebError> {
    Ok(PasswordPage {
        page: Page::new(&user.ctx, "修改密码", "/account"),
        forced: user.ctx.password_expired,
        policy: state.policy().await?,
        errors: vec![],
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn submit(
    State(state): State<AppState>,
    user: LoggedIn,
    headers: axum::http::HeaderMap,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let policy = state.policy().await?;
    let scope = &user.session.scope;
    let mut errors = Vec::new();
    let stored = state.store.password_hash_of(scope.account_id).await?;
    if !state.login.verify(&f.current, &stored).await? {
        errors.push("当前密码不正确".to_owned());
    }
    if f.new != f.confirm {
        errors.push("两次输入的新密码不一致".to_owned());
    }
    if f.new == f.current {
        errors.push("新密码不能与当前密码相同".to_owned());
    }
    for v in policy.violations(&f.new, &scope.username) {
        errors.push(format!("新密码{v}"));
    }
    if !errors.is_empty() {
        let page = PasswordPage {
            page: Page::new(&user.ctx, "修改密码", "/account"),
            forced: user.ctx.password_expired,
            policy,
            errors,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let hash = state.login.hash(&f.new).await?;
    // every other session of the account ends; this browser stays signed in
    let keep = cookie(&headers, SESSION_COOKIE)
        .map(token_digest)
        .unwrap_or_default();
    let actor = liaison_store::Actor::of(scope, &user.ctx.ip);
    state
        .store
        .change_own_password(scope, &actor, &hash, &keep)
        .await?;
    Ok(Redirect::to("/?done=password").into_response())
}
