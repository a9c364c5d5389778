//! Static assets embedded in the binary.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::WebError;
use crate::extract::Path;

const APP_CSS: &str = include_str!("../static/app.css");
/// htmx 2.0.11 (npm `htmx.org`, Zero-Clause BSD licence), vendored unchanged.
const HTMX: &str = include_str!("../static/htmx.min.js");
const PUBLIC_JS: &str = include_str!("../static/public.js");
const PRINT_POSTER: &str = include_str!("../static/print-poster.css");
const PRINT_SUPERVISION: &str = include_str!("../static/print-supervision.css");
const PRINT_CARDS: &str = include_str!("../static/print-cards.css");
/// Scales photos down in the browser before the 码上办 form sends them (the server takes full size too).
const PHOTO_UPLOAD: &str = include_str!("../static/photo-upload.js");

pub async fn serve(Path(file): Path<String>) -> Result<Response, WebError> {
    let (body, ctype) = match file.as_str() {
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        "htmx.min.js" => (HTMX, "application/javascript; charset=utf-8"),
        "public.js" => (PUBLIC_JS, "application/javascript; charset=utf-8"),
        "print-poster.css" => (PRINT_POSTER, "text/css; charset=utf-8"),
        "print-supervision.css" => (PRINT_SUPERVISION, "text/css; charset=utf-8"),
        "print-cards.css" => (PRINT_CARDS, "text/css; charset=utf-8"),
        "photo-upload.js" => (PHOTO_UPLOAD, "application/javascript; charset=utf-8"),
        _ => return Err(WebError::NotFound),
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    Ok(res)
}
