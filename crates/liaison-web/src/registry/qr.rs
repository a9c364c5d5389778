//! QR downloads for staff: the code of a station or of a deputy (person), as SVG or PNG.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use liaison_domain::Permission;
use liaison_store::registry::qr::QrTarget;

use crate::ctx::Staff;
use crate::extract::Path;
use crate::{AppState, WebError};

pub(crate) async fn url_for(state: &AppState, target: QrTarget) -> Result<String, WebError> {
    let code = state.store.qr_code_for(target).await?;
    Ok(format!("{}/q/{code}", crate::public::base_url(&state.config)?))
}

pub(crate) fn image(format: &str, url: &str, filename: &str) -> Result<Response, WebError> {
    let (body, ctype): (Vec<u8>, &str) = match format {
        "qr.svg" => (crate::qr_image::svg(url)?.into_bytes(), "image/svg+xml"),
        "qr.png" => (crate::qr_image::png(url, 10)?, "image/png"),
        _ => return Err(WebError::NotFound),
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    let ext = if format == "qr.svg" { "svg" } else { "png" };
    let disposition = format!(
        "inline; filename=\"qr.{ext}\"; filename*=UTF-8''{}.{ext}",
        crate::error::urlencode(filename)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

pub async fn station(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, format)): Path<(i64, String)>,
) -> Result<Response, WebError> {
    staff.require(Permission::ViewRegistry)?;
    let s = state.store.station(&staff.scope, id).await?;
    if !s.is_open() {
        return Err(WebError::NotFound);
    }
    let url = url_for(&state, QrTarget::Station(id)).await?;
    image(&format, &url, &format!("{}二维码", s.name))
}

pub async fn deputy(
    State(state): State<AppState>,
    staff: Staff,
    Path((mandate, format)): Path<(i64, String)>,
) -> Result<Response, WebError> {
    // registry readers, or the deputy themself (the store's `deputy` decides)
    let d = state.store.deputy(&staff.scope, mandate).await?;
    if !d.in_office() {
        return Err(WebError::NotFound);
    }
    let url = url_for(&state, QrTarget::Deputy(d.person_id)).await?;
    image(&format, &url, &format!("{}二维码", d.name))
}
