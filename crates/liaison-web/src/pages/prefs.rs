use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::ctx::{LARGE_TEXT_COOKIE, set_cookie};
use crate::{AppState, RequestCtx};

/// Toggles large-text mode (适老化) and returns to the page the person was on.
pub async fn text_size(State(state): State<AppState>, ctx: RequestCtx, headers: HeaderMap) -> Response {
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            r.split_once("://")
                .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
        })
        .map(|p| crate::auth::safe_next(Some(&p)))
        .unwrap_or_else(|| "/".to_owned());
    let value = if ctx.large_text { "0" } else { "1" };
    let mut res = Redirect::to(&back).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            LARGE_TEXT_COOKIE,
            value,
            Some(365 * 24 * 3600),
            state.config.cookies_secure(),
        ),
    );
    res
}
