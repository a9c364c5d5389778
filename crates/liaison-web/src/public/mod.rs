//! Public pages: no login, no JavaScript, small, personal data masked.

pub mod card;
pub mod find;
pub mod intake;
pub mod published;
pub mod track;

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
    let scheme = if config.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}
