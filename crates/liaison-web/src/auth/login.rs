use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use liaison_domain::audit::AuditAction;
use liaison_domain::password::PasswordPolicy;
use liaison_domain::token::{random_token, token_digest};
use liaison_store::account::LoginClaim;
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
    /// 短信验证码登录 is switched on for some role.
    sms_login: bool,
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
    let sms_login = !state.policy().await?.sms_login_roles.is_empty();
    Ok(LoginPage {
        sms_login,
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
/// The longest username kept as the login counters' key (real ones are at most 32 characters).
const USERNAME_KEY_CHARS: usize = 64;

/// Why an attempt was refused without checking its password (the audit detail's `reason`).
#[derive(Clone, Copy)]
enum Refusal {
    /// The address spent its budget of failures.
    Address,
    /// This address is locked out of this username.
    Locked,
    /// The username is held off for addresses it has not logged in from.
    AccountWide,
    /// Too many attempts are waiting for the hasher.
    Busy,
}

impl Refusal {
    fn code(self) -> &'static str {
        match self {
            Refusal::Address => "address",
            Refusal::Locked => "locked",
            Refusal::AccountWide => "account_wide",
            Refusal::Busy => "busy",
        }
    }

    /// What the person is told: the same for every username, existing or not.
    fn message(self, minutes: i64) -> String {
        match self {
            Refusal::Address => format!("本机登录失败次数过多，请 {minutes} 分钟后再试"),
            Refusal::Locked => format!(
                "连续登录失败次数过多，本机暂时不能登录该账号，请 {minutes} 分钟后再试。如需提前解锁，请联系安全管理员"
            ),
            Refusal::AccountWide => format!(
                "该账号近期在多处登录失败，已暂停在新设备上登录，请 {minutes} 分钟后再试，或在常用电脑上登录"
            ),
            Refusal::Busy => "登录的人较多，请稍后再试".to_owned(),
        }
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let username = f.username.trim().to_owned();
    let next = safe_next(f.next.as_deref());
    let policy = state.policy().await?;
    let page = |msg: String| LoginPage {
        sms_login: !policy.sms_login_roles.is_empty(),
        page: Page::new(&ctx, "登录", "/login"),
        next: next.clone(),
        username: username.chars().filter(|c| !c.is_control()).take(32).collect(),
        error: Some(msg),
        needs_setup: false,
    };
    let fail = |msg: String| (StatusCode::UNPROCESSABLE_ENTITY, page(msg)).into_response();
    let refuse = |why: Refusal, wait: std::time::Duration| {
        let minutes = (wait.as_secs().div_ceil(60).max(1)) as i64;
        let retry = HeaderValue::from(wait.as_secs().max(1));
        let mut res = (StatusCode::TOO_MANY_REQUESTS, page(why.message(minutes))).into_response();
        res.headers_mut().insert(header::RETRY_AFTER, retry);
        res
    };
    if username.is_empty() || f.password.is_empty() {
        return Ok(fail("请输入用户名和密码".into()));
    }
    let gate = &state.login;
    if gate.prune_due() {
        let store = state.store.clone();
        tokio::spawn(async move {
            if let Err(e) = store.prune_login_throttle(Utc::now()).await {
                tracing::warn!(error = %e, "pruning the login counters failed");
            }
        });
    }
    // cheap refusals first, before the database and the hasher
    let slot = match gate.claim_address(&ctx.ip) {
        Ok(slot) => slot,
        Err(wait) => {
            audit_refusal(&state, &ctx.ip, Refusal::Address).await?;
            return Ok(refuse(Refusal::Address, wait));
        }
    };
    let Some(ticket) = gate.queue() else {
        audit_refusal(&state, &ctx.ip, Refusal::Busy).await?;
        return Ok(refuse(Refusal::Busy, std::time::Duration::from_secs(5)));
    };
    let key: String = username.chars().take(USERNAME_KEY_CHARS).collect();
    let rec = state.store.login_record(&key).await?;
    let now = Utc::now();
    // the attempt is counted before its password is checked: a burst cannot outrun the count
    let (failures, locked_until) = match state.store.claim_login(&key, &ctx.ip, &policy, now).await? {
        LoginClaim::Granted {
            failures,
            locked_until,
        } => (failures, locked_until),
        LoginClaim::Refused { until, account_wide } => {
            let why = if account_wide {
                Refusal::AccountWide
            } else {
                Refusal::Locked
            };
            audit_refusal(&state, &ctx.ip, why).await?;
            let wait = (until - now).to_std().unwrap_or_default();
            return Ok(refuse(why, wait));
        }
    };
    let phc = rec.as_ref().map_or(DUMMY_HASH, |r| r.password_hash.as_str());
    let right = gate.verify(&f.password, phc).await?;
    drop(ticket);
    let rec = match rec {
        Some(rec) if right && !rec.disabled => rec,
        Some(rec) if right => {
            // only someone who knows the password learns that the account is disabled
            state
                .store
                .login_failed(Some(&rec), &key, &ctx.ip, "disabled", None)
                .await?;
            return Ok(fail("该账号已停用，请联系系统管理员".into()));
        }
        rec => {
            slot.spend();
            let reason = if rec.is_some() { "password" } else { "unknown_user" };
            state
                .store
                .login_failed(rec.as_ref(), &username, &ctx.ip, reason, locked_until)
                .await?;
            return Ok(fail(wrong_password_message(
                &policy,
                failures,
                locked_until.is_some(),
            )));
        }
    };
    let roles = state.store.scope_of(rec.id).await?.roles;
    if liaison_domain::account::sms_login::needs_second_factor(&policy, &roles)
        && let Some(res) = super::sms::second_factor(&state, &ctx, &rec, &next).await?
    {
        return Ok(res);
    }
    start_session(&state, &ctx, &rec, &roles, &policy, &next).await
}

/// Opens the session of an account whose credentials were checked, sets its cookie and sends the
/// person on to `next`. A deputy's own phone keeps its session (the policy's days): the cookie outlives
/// closing the browser; everyone else's ends with it.
pub(super) async fn start_session(
    state: &AppState,
    ctx: &RequestCtx,
    rec: &liaison_store::account::LoginRecord,
    roles: &[liaison_domain::Role],
    policy: &PasswordPolicy,
    next: &str,
) -> Result<Response, WebError> {
    let token = random_token();
    let csrf = random_token();
    state
        .store
        .login(
            rec,
            NewSession {
                token_digest: &token_digest(&token),
                csrf_token: &csrf,
                ip: &ctx.ip,
                user_agent: &ctx.user_agent,
            },
        )
        .await?;
    let keep = liaison_domain::password::deputy_only(roles) && policy.deputy_session_days > 0;
    let max_age = keep.then(|| policy.deputy_session_days * 86_400);
    let mut res = Redirect::to(next).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &token, max_age, state.config.cookies_secure()),
    );
    Ok(res)
}

/// The answer to a wrong password (or an unknown username: the counters treat both alike).
fn wrong_password_message(policy: &PasswordPolicy, failures: i64, locked: bool) -> String {
    let minutes = policy.lockout_minutes;
    let left = policy.lockout_threshold - failures;
    if locked {
        format!("用户名或密码错误。连续失败 {failures} 次，本机 {minutes} 分钟内不能再登录该账号")
    } else if left <= 2 {
        format!("用户名或密码错误。再错 {left} 次，本机将暂停登录该账号 {minutes} 分钟")
    } else {
        "用户名或密码错误".to_owned()
    }
}

/// Attempts refused unchecked are audited one entry per address per minute, with their count.
async fn audit_refusal(state: &AppState, ip: &str, why: Refusal) -> Result<(), WebError> {
    if let Some(n) = state.login.refused(ip) {
        state.store.login_refused(ip, n, why.code()).await?;
    }
    Ok(())
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
        set_cookie(SESSION_COOKIE, "", Some(0), state.config.cookies_secure()),
    );
    Ok(res)
}
