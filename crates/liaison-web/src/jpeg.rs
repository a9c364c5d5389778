//! Serving stored JPEGs (portraits, opinion photos): `/…/{id}.jpg` addresses and the response.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::{AppState, WebError};

/// The id in a `{id}.jpg` path segment.
pub fn id_of(file: &str) -> Result<i64, WebError> {
    file.strip_suffix(".jpg")
        .and_then(|n| n.parse().ok())
        .ok_or(WebError::NotFound)
}

/// The stored file as `image/jpeg` with the given cache policy.
pub async fn respond(state: &AppState, blob: &str, cache: &'static str) -> Result<Response, WebError> {
    let bytes = state
        .blobs
        .get(blob)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .ok_or(WebError::NotFound)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}
