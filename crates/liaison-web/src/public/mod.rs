//! Public pages: no login, no JavaScript, small, personal data masked.

pub mod card;
pub mod find;
pub mod form;
pub mod intake;
pub mod published;
pub mod track;

use crate::routes::Routes;
use axum::http::HeaderMap;

/// The address printed into QR codes: the configured public URL, else what the browser used.
pub fn base_url(config: &crate::WebConfig, headers: &HeaderMap) -> String {
    if let Some(u) = &config.public_url {
        return u.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    let scheme = if config.cookies_secure() { "https" } else { "http" };
    format!("{scheme}://{host}")
}

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/p/{file}", card::photo)
        .get_post("/q/{code}", card::scan, intake::submit)
        .get("/t", track::page)
        .post("/t/rate", track::rate)
        .get("/published", published::list)
        .get("/published/photos/{file}", published::photo)
        .get("/s/{id}", find::station)
        .get("/find", find::page)
}
