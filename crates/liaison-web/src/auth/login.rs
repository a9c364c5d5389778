use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use liaison_domain::audit::AuditAction;
use liaison_domain::password::verify_password;
use liaison_domain::token::{random_token, token_digest};
use liaison_store::account::session::NewSession;
use serde::Deserialize;

use super::safe_next;
use crate::ctx::{SESSION_COOKIE, set_cookie};
use crate::extract::{Form, Query};
use crate::layout::Page;
use crate::{AppState, RequestCtx, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    page: Page,
    next: String,
    username: String,
    error: Option<String>,
    needs_setup: bool,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    done: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<LoginQuery>,
) -> Result<Response, WebError> {
    if ctx.session.is_some() && !ctx.password_expired {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let needs_setup = state.store.account_count().await? == 0;
    Ok(LoginPage {
        page: Page::new(&ctx, "登录", "/login").notice(q.done.as_deref()),
        next: safe_next(q.next.as_deref()),
        username: String::new(),
        error: None,
        needs_setup,
    }
    .into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// A hash to verify against when the username is unknown, so timing does not reveal which names exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0zTHMJ2c3N0Ys9UkCgjX3VdcYUr4ytWuvkQz3fIwNlQ";

pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let username = f.username.trim().to_owned();
    let next = safe_next(f.next.as_deref());
    let fail = |msg: String| {
        let page = LoginPage {
            page: Page::new(&ctx, "登录", "/login"),
            next: next.clone(),
            username: username.chars().take(32).collect(),
            error: Some(msg),
            needs_setup: false,
        };
        (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
    };
    if username.is_empty() || f.password.is_empty() {
        return Ok(fail("请输入用户名和密码".into()));
    }
    let policy = state.policy().await?;
    let Some(rec) = state.store.login_record(&username).await? else {
        let _ = verify_password(&f.password, DUMMY_HASH);
        let actor = liaison_store::Actor {
            account_id: None,
            username: format!("unknown:{}", username.chars().take(32).collect::<String>()),
            ip: ctx.ip.clone(),
        };
        state
            .store
            .audit_alone(
                &actor,
                AuditAction::LoginFailure,
                "account:?",
                None,
                r#"{"reason":"unknown_user"}"#,
            )
            .await?;
        return Ok(fail("用户名或密码错误".into()));
    };
    let now = Utc::now();
    if rec.disabled {
        state
            .store
            .record_login_failure(&rec, &ctx.ip, None, "disabled")
            .await?;
        return Ok(fail("该账号已停用，请联系系统管理员".into()));
    }
    if let Some(until) = rec.locked_until.filter(|t| *t > now) {
        state
            .store
            .record_login_failure(&rec, &ctx.ip, None, "locked")
            .await?;
        return Ok(fail(format!(
            "连续登录失败次数过多，账号已锁定至 {}。如需提前解锁，请联系安全管理员",
            liaison_domain::time::local(until).format("%H:%M")
        )));
    }
    if !verify_password(&f.password, &rec.password_hash) {
        let failures = rec.failed_logins + 1;
        let lock = policy.lock_until(failures, now);
        state
            .store
            .record_login_failure(&rec, &ctx.ip, lock, "password")
            .await?;
        let left = policy.lockout_threshold - failures;
        let msg = if lock.is_some() {
            format!(
                "用户名或密码错误。连续失败 {} 次，账号已锁定 {} 分钟",
                failures, policy.lockout_minutes
            )
        } else if left <= 2 {
            format!(
                "用户名或密码错误。再错 {left} 次账号将被锁定 {} 分钟",
                policy.lockout_minutes
            )
        } else {
            "用户名或密码错误".to_owned()
        };
        return Ok(fail(msg));
    }
    let token = random_token();
    let csrf = random_token();
    let ua = ctx.user_agent.clone();
    state
        .store
        .login(
            &rec,
            NewSession {
                token_digest: &token_digest(&token),
                csrf_token: &csrf,
                ip: &ctx.ip,
                user_agent: &ua,
            },
        )
        .await?;
    let mut res = Redirect::to(&next).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &token, None, state.config.secure_cookies),
    );
    Ok(res)
}

pub async fn logout(
    State(state): State<AppState>,
    ctx: RequestCtx,
    headers: axum::http::HeaderMap,
) -> Result<Response, WebError> {
    if let Some(token) = crate::ctx::cookie(&headers, SESSION_COOKIE) {
        state.store.logout(&token_digest(token)).await?;
        if let Some(s) = &ctx.session {
            state
                .store
                .audit_alone(
                    &ctx.actor(),
                    AuditAction::Logout,
                    &format!("account:{}", s.scope.account_id),
                    Some(&s.scope.region),
                    "{}",
                )
                .await?;
        }
    }
    let mut res = Redirect::to("/login?done=logout").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), state.config.secure_cookies),
    );
    Ok(res)
}
