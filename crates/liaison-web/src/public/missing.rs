//! The public pages' own "not found": a citizen who scanned an unknown or damaged code, or followed
//! an old link, reads plain words and two ways on (home, 码上找代表), never the staff pages' "not in
//! your jurisdiction".

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::layout::Page;
use crate::{RequestCtx, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "public/missing.html")]
pub struct Missing {
    page: Page,
    message: &'static str,
    hint: &'static str,
}

/// What a QR code that resolves to nothing says (unknown, malformed or no longer pointing anywhere).
pub const BAD_CODE: &str = "二维码无效或已停用";

/// The friendly 404 page with `message` and a line of `hint`.
pub fn page(ctx: &RequestCtx, message: &'static str, hint: &'static str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Missing {
            page: Page::public(ctx, message),
            message,
            hint,
        },
    )
        .into_response()
}

/// A public handler's result with its "not found" told in citizens' words (`message`); every other
/// error goes to the one error renderer as before.
pub fn or_missing(
    ctx: &RequestCtx,
    r: Result<Response, WebError>,
    message: &'static str,
) -> Result<Response, WebError> {
    match r {
        Err(WebError::NotFound) => Ok(page(ctx, message, hint_for(message))),
        other => other,
    }
}

/// After a code that reaches nothing.
pub const CODE_HINT: &str =
    "请核对后重新扫码，或通过“码上找代表”找到您的代表和附近的站点，在网上直接反映问题。";
/// After any other public address that shows nothing.
pub const PAGE_HINT: &str =
    "这个页面不存在或已不再公开。您可以回到首页，或通过“码上找代表”找到您的代表和附近的站点。";

fn hint_for(message: &'static str) -> &'static str {
    if message == BAD_CODE { CODE_HINT } else { PAGE_HINT }
}
