//! 短信验证码登录 and the administrators' second factor (`liaison_domain::account::sms_login`).
//!
//! By mobile: the person types their mobile; when exactly one enabled account has it and the policy
//! lets all its roles log in this way, a code is sent; the page answers the same whether or not a code
//! went out (nobody learns which numbers have accounts). Typing the right code opens the session as the
//! password would. A number with several accounts gets no code (the person logs in by username).
//!
//! Second factor: after an administrator's right password (when the policy asks for it and the account
//! has a mobile), no session yet: a short-lived cookie names the half-finished login, a code goes to
//! the administrator's own mobile, and the session opens when it is typed.
//!
//! Every code sent spends one of the address's failure budget (`LoginGate::claim_address`), as does a
//! wrong code, so an address cannot send or guess without bound; each code allows five tries.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use liaison_domain::account::sms_login::{CodePurpose, parse_mobile, sms_login_allowed};
use liaison_domain::mask;
use liaison_domain::token::{random_token, token_digest};
use liaison_store::account::LoginRecord;
use liaison_store::account::sms_code::{CodeCheck, CodeIssue};
use serde::Deserialize;

use super::login::start_session;
use super::safe_next;
use crate::ctx::{cookie, set_cookie};
use crate::extract::{Form, Query};
use crate::layout::Page;
use crate::{AppState, RequestCtx, WebError};

/// The cookie that names a login waiting for its second factor.
const PENDING_COOKIE: &str = "liaison_2fa";

#[derive(Template, WebTemplate)]
#[template(path = "auth/sms.html")]
pub struct SmsPage {
    page: Page,
    next: String,
    /// The step: "mobile" (type the number), "code" (type the code sent to it), "second" (an
    /// administrator's second factor).
    step: &'static str,
    mobile: String,
    /// Where the code went, masked.
    sent_to: String,
    notice: Option<String>,
    mobile_error: Option<String>,
    code_error: Option<String>,
}

impl SmsPage {
    fn new(ctx: &RequestCtx, next: &str, step: &'static str) -> SmsPage {
        SmsPage {
            page: Page::new(ctx, "短信验证码登录", "/login/sms"),
            next: next.to_owned(),
            step,
            mobile: String::new(),
            sent_to: String::new(),
            notice: None,
            mobile_error: None,
            code_error: None,
        }
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn form(ctx: RequestCtx, Query(q): Query<NextQuery>) -> SmsPage {
    SmsPage::new(&ctx, &safe_next(q.next.as_deref()), "mobile")
}

#[derive(Deserialize)]
pub struct MobileForm {
    #[serde(default)]
    mobile: String,
    #[serde(default)]
    code: String,
    next: Option<String>,
}

fn unprocessable(page: SmsPage) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

fn too_many(page: SmsPage, wait: std::time::Duration) -> Response {
    let mut res = (StatusCode::TOO_MANY_REQUESTS, page).into_response();
    if let Ok(v) = header::HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// The one account this mobile logs in as, with its roles, if the policy allows it.
async fn account_of(
    state: &AppState,
    mobile: &str,
) -> Result<Option<(LoginRecord, Vec<liaison_domain::Role>)>, WebError> {
    let policy = state.policy().await?;
    let mut found = state.store.accounts_by_mobile(mobile).await?;
    if found.len() != 1 {
        return Ok(None);
    }
    let (rec, roles) = found.remove(0);
    Ok(sms_login_allowed(&policy, &roles).then_some((rec, roles)))
}

/// 获取验证码: sends a code when the number belongs to one account that may log in this way.
pub async fn send(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(f): Form<MobileForm>,
) -> Result<Response, WebError> {
    let next = safe_next(f.next.as_deref());
    let mut page = SmsPage::new(&ctx, &next, "mobile");
    page.mobile = f.mobile.chars().filter(|c| !c.is_control()).take(20).collect();
    let mobile = match parse_mobile(&f.mobile) {
        Ok(Some(m)) => m,
        Ok(None) => {
            page.mobile_error = Some("请填写手机号码".into());
            return Ok(unprocessable(page));
        }
        Err(msg) => {
            page.mobile_error = Some(msg.into());
            return Ok(unprocessable(page));
        }
    };
    let slot = match state.login.claim_address(&ctx.ip) {
        Ok(slot) => slot,
        Err(wait) => {
            page.mobile_error = Some("本机获取验证码次数过多，请稍后再试".into());
            return Ok(too_many(page, wait));
        }
    };
    slot.spend();
    page.step = "code";
    page.mobile = mobile.clone();
    page.sent_to = mask::phone(&mobile);
    if let Some((rec, _)) = account_of(&state, &mobile).await? {
        match state
            .store
            .issue_login_code(&rec, CodePurpose::Login, "", &ctx.ip, Utc::now())
            .await?
        {
            CodeIssue::TooSoon { seconds } => {
                page.notice = Some(format!("验证码刚刚发送过，请查看短信；{seconds} 秒后可重新获取"));
                return Ok(page.into_response());
            }
            CodeIssue::TooMany => {
                page.step = "mobile";
                page.mobile_error =
                    Some("一小时内获取验证码次数过多，请稍后再试或使用用户名和密码登录".into());
                return Ok(too_many(page, std::time::Duration::from_secs(600)));
            }
            CodeIssue::Sent { .. } | CodeIssue::NoMobile => {}
        }
    }
    Ok(page.into_response())
}

/// 登录: the code typed for a mobile.
pub async fn verify(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(f): Form<MobileForm>,
) -> Result<Response, WebError> {
    let next = safe_next(f.next.as_deref());
    let mut page = SmsPage::new(&ctx, &next, "code");
    let Ok(Some(mobile)) = parse_mobile(&f.mobile) else {
        page.step = "mobile";
        page.mobile_error = Some("请填写 11 位手机号码".into());
        return Ok(unprocessable(page));
    };
    page.sent_to = mask::phone(&mobile);
    page.mobile = mobile.clone();
    let code = f.code.trim();
    if code.is_empty() {
        page.code_error = Some("请输入短信中的 6 位验证码".into());
        return Ok(unprocessable(page));
    }
    let slot = match state.login.claim_address(&ctx.ip) {
        Ok(slot) => slot,
        Err(wait) => {
            page.code_error = Some("本机登录失败次数过多，请稍后再试".into());
            return Ok(too_many(page, wait));
        }
    };
    let now = Utc::now();
    let checked = match account_of(&state, &mobile).await? {
        Some((rec, roles)) => {
            let c = state
                .store
                .check_login_code(rec.id, CodePurpose::Login, "", code, now)
                .await?;
            (c == CodeCheck::Right).then_some((rec, roles)).ok_or(c)
        }
        None => Err(CodeCheck::Expired),
    };
    match checked {
        Ok((rec, roles)) => {
            let policy = state.policy().await?;
            start_session(&state, &ctx, &rec, &roles, &policy, &next).await
        }
        Err(c) => {
            slot.spend();
            page.code_error = Some(wrong_code(c));
            Ok(unprocessable(page))
        }
    }
}

fn wrong_code(c: CodeCheck) -> String {
    match c {
        CodeCheck::Wrong { left } => format!("验证码不对，还可以再试 {left} 次"),
        _ => "验证码错误或已失效，请重新获取".to_owned(),
    }
}

/// After an administrator's right password: sends the second factor and answers with the code page,
/// or `None` when the account has no mobile (it logs in by password alone, as before).
pub(super) async fn second_factor(
    state: &AppState,
    ctx: &RequestCtx,
    rec: &LoginRecord,
    next: &str,
) -> Result<Option<Response>, WebError> {
    let token = random_token();
    let mut page = SmsPage::new(ctx, next, "second");
    match state
        .store
        .issue_login_code(
            rec,
            CodePurpose::SecondFactor,
            &token_digest(&token),
            &ctx.ip,
            Utc::now(),
        )
        .await?
    {
        CodeIssue::NoMobile => return Ok(None),
        CodeIssue::Sent { to } => page.sent_to = to,
        CodeIssue::TooSoon { seconds } => {
            page.notice = Some(format!(
                "验证码刚刚发送过，请查看短信；{seconds} 秒后可重新登录获取"
            ));
        }
        CodeIssue::TooMany => {
            page.notice = Some("一小时内获取验证码次数过多，请稍后再登录".into());
        }
    }
    let mut res = page.into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(PENDING_COOKIE, &token, Some(300), state.config.cookies_secure()),
    );
    Ok(Some(res))
}

/// The second factor typed.
pub async fn second(
    State(state): State<AppState>,
    ctx: RequestCtx,
    headers: axum::http::HeaderMap,
    Form(f): Form<MobileForm>,
) -> Result<Response, WebError> {
    let next = safe_next(f.next.as_deref());
    let mut page = SmsPage::new(&ctx, &next, "second");
    let pending = cookie(&headers, PENDING_COOKIE).map(token_digest);
    let now = Utc::now();
    let account = match &pending {
        Some(p) => state.store.pending_login(p, now).await?,
        None => None,
    };
    let (Some(pending), Some(account)) = (pending, account) else {
        page.code_error = Some("验证已超时，请重新输入用户名和密码登录".into());
        return Ok(unprocessable(page));
    };
    let slot = match state.login.claim_address(&ctx.ip) {
        Ok(slot) => slot,
        Err(wait) => {
            page.code_error = Some("本机登录失败次数过多，请稍后再试".into());
            return Ok(too_many(page, wait));
        }
    };
    let c = state
        .store
        .check_login_code(account, CodePurpose::SecondFactor, &pending, &f.code, now)
        .await?;
    let rec = match state.store.login_record_by_id(account).await? {
        Some(rec) if c == CodeCheck::Right && !rec.disabled => rec,
        _ => {
            slot.spend();
            page.code_error = Some(wrong_code(c));
            return Ok(unprocessable(page));
        }
    };
    let roles = state.store.scope_of(rec.id).await?.roles;
    let policy = state.policy().await?;
    let mut res = start_session(&state, &ctx, &rec, &roles, &policy, &next).await?;
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(PENDING_COOKIE, "", Some(0), state.config.cookies_secure()),
    );
    Ok(res)
}
