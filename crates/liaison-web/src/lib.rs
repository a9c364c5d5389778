//! The HTTP layer of Liaison: router, request context (session, CSRF), the one error type mapped to
//! responses, askama pages and the JSON API.

mod admin;
mod api;
mod auth;
mod client_addr;
mod ctx;
mod document;
mod error;
mod excel;
mod extract;
mod headers;
mod home;
pub mod job;
mod jpeg;
mod layout;
pub mod notification;
mod opinion;
mod pages;
mod photo;
mod project;
mod public;
mod qr_image;
mod redisplay;
mod registry;
mod review;
mod routes;
mod static_files;
mod suggestion;
mod upload;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use liaison_domain::password::PasswordPolicy;
use liaison_store::Store;
use tokio::sync::RwLock;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

use routes::Routes;

pub use client_addr::TrustedProxies;
pub use ctx::RequestCtx;
pub use error::WebError;

/// Largest request body of a route that takes no upload (forms, JSON). Upload routes set their own
/// (`upload::Limits`, a `DefaultBodyLimit` layer on the route): there is no global limit above them.
pub const MAX_BODY: usize = 1024 * 1024;

/// Settings the web layer needs from the server's configuration.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Add `Secure` to cookies: `Some` as configured; `None` follows the scheme of `public_url`
    /// (see `cookies_secure`).
    pub secure_cookies: Option<bool>,
    /// The proxies in front of the server whose `X-Forwarded-For` entries are believed; empty: the
    /// peer is the client.
    pub trusted_proxies: TrustedProxies,
    /// The public address printed into QR codes (e.g. `https://rd.example.gov.cn`); default: the Host
    /// the request came in on.
    pub public_url: Option<String>,
    /// 码上办 submissions per address per hour; 0 means the default.
    pub intake_per_ip: i64,
    /// The SMS gateway (`LIAISON_SMS_URL`, plain http); `None`: SMS stay queued, unsent.
    pub sms_url: Option<String>,
}

impl WebConfig {
    /// Served over TLS: the public address is `https://…`.
    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.trim_start().to_ascii_lowercase().starts_with("https://"))
    }

    /// Whether cookies get `Secure`: the explicit setting, else true when the public address is https.
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies.unwrap_or_else(|| self.https())
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub blobs: liaison_store::blob::Blobs,
    pub config: Arc<WebConfig>,
    pub jobs: job::Jobs,
    /// The login protection's in-memory part (per-address budgets, the hasher's pool).
    pub(crate) login: Arc<auth::LoginGate>,
    policy: Arc<RwLock<Option<(Instant, PasswordPolicy)>>>,
}

impl AppState {
    pub fn new(store: Store, blobs: liaison_store::blob::Blobs, config: WebConfig) -> AppState {
        AppState {
            store,
            blobs,
            config: Arc::new(config),
            jobs: job::Jobs::default(),
            login: Arc::new(auth::LoginGate::new()),
            policy: Arc::new(RwLock::new(None)),
        }
    }

    /// The password/session policy, cached for a few seconds (it changes rarely; every instance
    /// picks up a change within that time).
    pub async fn policy(&self) -> Result<PasswordPolicy, WebError> {
        if let Some((at, p)) = self.policy.read().await.as_ref()
            && at.elapsed() < Duration::from_secs(5)
        {
            return Ok(p.clone());
        }
        let p = self.store.password_policy().await?;
        *self.policy.write().await = Some((Instant::now(), p.clone()));
        Ok(p)
    }

    pub(crate) async fn forget_policy(&self) {
        *self.policy.write().await = None;
    }
}

/// Every route of the app, feature by feature (each module lists its own).
fn all_routes() -> Routes {
    Routes::new()
        .merge(pages::routes())
        .merge(home::routes())
        .merge(auth::routes())
        .merge(notification::routes())
        .merge(admin::routes())
        .merge(registry::routes())
        .merge(public::routes())
        .merge(opinion::routes())
        .merge(suggestion::routes())
        .merge(project::routes())
        .merge(review::routes())
        .merge(api::routes())
        .get("/static/{*file}", static_files::serve)
}

/// Every (method, path template) the router answers, e.g. `("GET", "/stations/{id}")`; `GET` routes
/// answer `HEAD` too. Built without a database, for tests that must cover every route.
pub fn route_table() -> Vec<(&'static str, &'static str)> {
    all_routes().table().to_vec()
}

pub fn router(state: AppState) -> Router {
    let app = all_routes()
        .into_router()
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), ctx::context))
        .layer(axum::middleware::from_fn(error::render))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            headers::security,
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY));
    app.with_state(state)
}
