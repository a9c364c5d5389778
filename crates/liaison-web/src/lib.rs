//! The HTTP layer of Liaison: router, request context (session, CSRF), the one error type mapped to
//! responses, askama pages and the JSON API.

mod admin;
mod api;
mod auth;
mod ctx;
mod document;
mod error;
mod excel;
mod extract;
mod inbox;
pub mod jobs;
mod jpeg;
mod layout;
mod opinion;
mod pages;
mod photo;
mod public;
mod qr_image;
mod registry;
pub mod sms;
mod static_files;
mod upload;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::{get, post};
use liaison_domain::password::PasswordPolicy;
use liaison_store::Store;
use tokio::sync::RwLock;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

pub use ctx::RequestCtx;
pub use error::WebError;

/// Largest request body accepted (an Excel import of 20,000 rows is well under this).
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// Settings the web layer needs from the server's configuration.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Add `Secure` to cookies (set when served behind TLS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// The public address printed into QR codes (e.g. `https://rd.example.gov.cn`); default: the Host
    /// the request came in on.
    pub public_url: Option<String>,
    /// 码上办 submissions per address per hour; 0 means the default.
    pub intake_per_ip: i64,
    /// The SMS gateway (`LIAISON_SMS_URL`, plain http); `None`: SMS stay queued, unsent.
    pub sms_url: Option<String>,
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub blobs: liaison_store::blob::Blobs,
    pub config: Arc<WebConfig>,
    pub jobs: jobs::Jobs,
    policy: Arc<RwLock<Option<(Instant, PasswordPolicy)>>>,
}

impl AppState {
    pub fn new(store: Store, blobs: liaison_store::blob::Blobs, config: WebConfig) -> AppState {
        AppState {
            store,
            blobs,
            config: Arc::new(config),
            jobs: jobs::Jobs::default(),
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

pub fn router(state: AppState) -> Router {
    let app = Router::new()
        .route("/", get(pages::home::page))
        .route("/healthz", get(pages::health::healthz))
        .route("/login", get(auth::login::form).post(auth::login::submit))
        .route("/logout", post(auth::login::logout))
        .route("/setup", get(auth::setup::form).post(auth::setup::submit))
        .route("/account", get(pages::account::page))
        .route("/inbox", get(inbox::list))
        .route("/inbox/read-all", post(inbox::read_all))
        .route("/inbox/{id}", get(inbox::open))
        .route(
            "/account/password",
            get(auth::password::form).post(auth::password::submit),
        )
        .route("/prefs/text-size", post(pages::prefs::text_size))
        .route("/regions", get(pages::regions::root))
        .route("/regions/picker", get(pages::regions::picker))
        .route("/regions/{code}", get(pages::regions::page))
        .route(
            "/admin/accounts",
            get(admin::accounts::list).post(admin::accounts::create),
        )
        .route("/admin/accounts/new", get(admin::accounts::new_form))
        .route(
            "/admin/accounts/{id}",
            get(admin::accounts::detail).post(admin::accounts::update),
        )
        .route("/admin/accounts/{id}/{action}", post(admin::accounts::action))
        .route(
            "/admin/security",
            get(admin::security::page).post(admin::security::save),
        )
        .route("/admin/audit", get(admin::audit::page))
        .route(
            "/admin/calendar",
            get(admin::calendar::page).post(admin::calendar::save),
        )
        .route(
            "/admin/deadlines",
            get(admin::deadlines::page).post(admin::deadlines::save),
        )
        .route("/admin/sms", get(admin::sms::page))
        .route("/admin/sms/{id}/retry", post(admin::sms::retry))
        .route(
            "/stations",
            get(registry::stations::list).post(registry::stations::create),
        )
        .route("/stations/new", get(registry::stations::new_form))
        .route(
            "/stations/{id}",
            get(registry::stations::detail).post(registry::stations::update),
        )
        .route("/stations/{id}/edit", get(registry::stations::edit_form))
        .route("/stations/{id}/files", post(registry::station_files::upload))
        .route(
            "/stations/{id}/files/{file}/remove",
            post(registry::station_files::remove),
        )
        .route("/s/{id}/files/{file}", get(registry::station_files::public))
        .route("/stations/{id}/close", post(registry::stations::close))
        .route("/stations/{id}/poster", get(registry::print::poster))
        .route(
            "/stations/{id}/residents/{action}",
            post(registry::stations::residents),
        )
        .route("/stations/{id}/{format}", get(registry::qr::station))
        .route(
            "/deputies",
            get(registry::deputies::list).post(registry::deputies::create),
        )
        .route("/deputies/new", get(registry::deputies::new_form))
        .route("/deputies/cards", get(registry::print::cards))
        .route("/deputies/{id}/card", get(registry::print::card))
        .route("/deputies/{id}", get(registry::deputies::detail))
        .route("/deputies/{id}/contact", post(registry::deputies::contact))
        .route("/deputies/{id}/leave", post(registry::deputies::leave))
        .route("/deputies/{id}/photo", post(registry::deputies::upload_photo))
        .route("/p/{file}", get(public::card::photo))
        .route("/deputies/{id}/households", post(registry::links::add_household))
        .route(
            "/deputies/{id}/households/meeting",
            post(registry::links::log_meeting),
        )
        .route("/deputies/{id}/committee", post(registry::links::link_committee))
        .route(
            "/deputies/{id}/committee/meeting",
            post(registry::links::committee_meeting),
        )
        .route("/deputies/{id}/{format}", get(registry::qr::deputy))
        .route("/units", get(registry::units::list).post(registry::units::create))
        .route(
            "/units/routing",
            get(registry::routing::page).post(registry::routing::save),
        )
        .route(
            "/import/{kind}",
            get(registry::excel_io::form).post(registry::import_jobs::upload),
        )
        .route("/jobs/{id}", get(registry::import_jobs::job))
        .route("/import/{kind}/template.xlsx", get(registry::excel_io::template))
        .route("/export/{file}", get(registry::export::export))
        .route("/q/{code}", get(public::card::scan).post(public::intake::submit))
        .route("/t", get(public::track::page))
        .route("/t/rate", post(public::track::rate))
        .route("/published", get(public::published::list))
        .route("/published/photos/{file}", get(public::published::photo))
        .route("/opinions", get(opinion::queue::list))
        .route("/opinions/export.xlsx", get(opinion::queue::export))
        .route(
            "/opinions/new",
            get(opinion::record::form).post(opinion::record::submit),
        )
        .route(
            "/opinions/bulk",
            get(opinion::bulk::form).post(opinion::bulk::submit),
        )
        .route("/opinions/{id}", get(opinion::detail::detail))
        .route("/opinions/{id}/act", post(opinion::detail::act))
        .route("/opinions/{id}/contact", post(opinion::detail::contact))
        .route("/opinions/{id}/supervise", post(opinion::supervise::issue))
        .route("/opinions/{id}/key", post(opinion::supervise::key))
        .route("/opinions/{id}/note", post(opinion::detail::note))
        .route("/supervision/{id}", get(opinion::supervise::print))
        .route("/supervision/{id}/ack", post(opinion::supervise::acknowledge))
        .route("/opinions/photos/{file}", get(opinion::detail::photo))
        .route(
            "/opinions/photos/{id}/visibility",
            post(opinion::detail::photo_visibility),
        )
        .route("/s/{id}", get(public::find::station))
        .route("/find", get(public::find::page))
        .route("/api/v1/me", get(api::me))
        .route("/api/v1/regions", get(api::provinces))
        .route("/api/v1/regions/{code}", get(api::region))
        .route("/api/v1/accounts", get(api::accounts))
        .route("/api/v1/audit", get(api::audit))
        .route("/static/{*file}", get(static_files::serve))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), ctx::context))
        .layer(axum::middleware::from_fn(error::render))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY));
    app.with_state(state)
}
