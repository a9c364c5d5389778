//! The request context: who is calling (session), the CSRF token, the client address, display
//! preferences. One middleware resolves it once per request and checks CSRF on every unsafe method,
//! so no form can forget it.

use std::net::SocketAddr;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use liaison_domain::token::{random_token, same_secret, token_digest};
use liaison_domain::{Permission, Scope};
use liaison_store::Actor;
use liaison_store::account::session::Session;

use crate::{AppState, WebError};

pub const SESSION_COOKIE: &str = "liaison_session";
pub const CSRF_COOKIE: &str = "liaison_csrf";
pub const LARGE_TEXT_COOKIE: &str = "liaison_lt";

#[derive(Clone)]
pub struct RequestCtx {
    pub session: Option<Session>,
    /// The token forms must echo in `_csrf` (or the `X-CSRF-Token` header).
    pub csrf: String,
    pub ip: String,
    pub large_text: bool,
    pub password_expired: bool,
    pub user_agent: String,
    /// Unread inbox notices of the signed-in person (counted for full page loads only; else 0).
    pub unread: i64,
}

impl RequestCtx {
    pub fn actor(&self) -> Actor {
        match &self.session {
            Some(s) => Actor::of(&s.scope, &self.ip),
            None => Actor {
                account_id: None,
                username: "anonymous".into(),
                ip: self.ip.clone(),
            },
        }
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(s) = max_age {
        c.push_str(&format!("; Max-Age={s}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("x=; Path=/"))
}

fn client_ip(req: &Request, trusted: &crate::client_addr::TrustedProxies) -> String {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(std::net::IpAddr::from([127, 0, 0, 1]), |c| c.0.ip());
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    crate::client_addr::client_addr(peer, &forwarded, trusted).to_string()
}

/// A cross-site request gives itself away by its `Origin`; same-origin and old browsers pass.
fn origin_ok(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if origin == "null" {
        return false;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin.split_once("://").map(|(_, h)| h == host).unwrap_or(false)
}

/// The `_csrf` part of a multipart body: the part named `_csrf` carries the 64 hex characters.
fn multipart_token(body: &[u8]) -> Option<String> {
    let marker = b"name=\"_csrf\"";
    let at = body.windows(marker.len()).position(|w| w == marker)?;
    let rest = &body[at + marker.len()..];
    let start = rest.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let token = rest.get(start..start + 64)?;
    token
        .iter()
        .all(u8::is_ascii_hexdigit)
        .then(|| String::from_utf8_lossy(token).into_owned())
}

/// The `_csrf` field of a urlencoded body (the token is hex, so no decoding is needed).
fn form_token(body: &[u8]) -> Option<String> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "_csrf")
        .map(|(_, v)| v.to_owned())
}

pub async fn context(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match build(state, req, next).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn build(state: AppState, mut req: Request, next: Next) -> Result<Response, WebError> {
    let headers = req.headers().clone();
    let policy = state.policy().await?;
    let session = match cookie(&headers, SESSION_COOKIE) {
        Some(token) if !token.is_empty() => state.store.session(&token_digest(token), &policy).await?,
        _ => None,
    };
    let anon = cookie(&headers, CSRF_COOKIE)
        .filter(|t| t.len() == 64)
        .map(str::to_owned);
    let new_anon = anon.is_none().then(random_token);
    let csrf = match (&session, &anon, &new_anon) {
        (Some(s), _, _) => s.csrf_token.clone(),
        (None, Some(a), _) => a.clone(),
        (None, None, Some(n)) => n.clone(),
        (None, None, None) => random_token(),
    };
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method {
        if !origin_ok(&headers) {
            return Err(WebError::Csrf);
        }
        let mut given = headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let ctype = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let is_form = ctype.starts_with("application/x-www-form-urlencoded");
        let is_multipart = ctype.starts_with("multipart/form-data");
        if given.is_none() && is_form {
            let (parts, body) = req.into_parts();
            let bytes = to_bytes(body, crate::MAX_BODY)
                .await
                .map_err(|_| WebError::TooLarge {
                    message: crate::extract::too_large(),
                    fields: vec![],
                })?;
            given = form_token(&bytes);
            req = Request::from_parts(parts, Body::from(bytes));
        } else if given.is_none() && is_multipart {
            // the token is the form's first field: read only that far (an upload is not held here)
            let (parts, body) = req.into_parts();
            let (token, body) = crate::upload::peek(body, 64 * 1024, multipart_token).await;
            given = token;
            req = Request::from_parts(parts, body);
        }
        if !given.is_some_and(|g| same_secret(&g, &csrf)) {
            return Err(WebError::Csrf);
        }
    }
    let password_expired = match &session {
        Some(s) => {
            s.must_change_password
                || policy.expired_for(&s.scope.roles, s.password_changed_at, chrono::Utc::now())
        }
        None => false,
    };
    let unread = match &session {
        Some(s) if !password_expired && full_page(&req) => s.unread,
        _ => 0,
    };
    let ctx = RequestCtx {
        unread,
        session,
        csrf,
        ip: client_ip(&req, &state.config.trusted_proxies),
        large_text: cookie(&headers, LARGE_TEXT_COOKIE) == Some("1"),
        password_expired,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .chars()
            .take(200)
            .collect(),
    };
    req.extensions_mut().insert(ctx);
    let mut res = next.run(req).await;
    if let Some(t) = new_anon {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(CSRF_COOKIE, &t, None, state.config.cookies_secure()),
        );
    }
    Ok(res)
}

/// A full page load (not a form post, an htmx fragment, the API or a static file): the navigation's
/// unread badge is counted (one indexed count) for these only.
fn full_page(req: &Request) -> bool {
    let path = req.uri().path();
    *req.method() == Method::GET
        && !req.headers().contains_key("hx-request")
        && !path.starts_with("/static/")
        && !path.starts_with("/api/")
}

impl<S: Send + Sync> FromRequestParts<S> for RequestCtx {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        parts
            .extensions
            .get::<RequestCtx>()
            .cloned()
            .ok_or_else(|| WebError::Internal("request context missing".into()))
    }
}

/// A logged-in caller whose password is current. Most staff handlers take this.
#[derive(Clone)]
pub struct Staff {
    pub ctx: RequestCtx,
    pub scope: Scope,
}

impl Staff {
    pub fn require(&self, p: Permission) -> Result<(), WebError> {
        if self.scope.can(p) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    pub fn actor(&self) -> Actor {
        Actor::of(&self.scope, &self.ctx.ip)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, WebError> {
        let ctx = RequestCtx::from_request_parts(parts, s).await?;
        let Some(session) = &ctx.session else {
            return Err(WebError::Unauthenticated);
        };
        if ctx.password_expired {
            return Err(WebError::MustChangePassword);
        }
        let scope = session.scope.clone();
        Ok(Staff { ctx, scope })
    }
}

/// A logged-in caller, even one who must change the password first (the password page, logout).
pub struct LoggedIn {
    pub ctx: RequestCtx,
    pub session: Session,
}

impl<S: Send + Sync> FromRequestParts<S> for LoggedIn {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, WebError> {
        let ctx = RequestCtx::from_request_parts(parts, s).await?;
        let session = ctx.session.clone().ok_or(WebError::Unauthenticated)?;
        Ok(LoggedIn { ctx, session })
    }
}
