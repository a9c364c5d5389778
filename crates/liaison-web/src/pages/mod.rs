//! Staff pages that belong to no feature yet: home, account, regions, preferences, health.

pub mod account;
pub mod health;
pub mod prefs;
pub mod regions;

use axum::extract::{Request, State};
use axum::handler::Handler;
use axum::response::{IntoResponse, Response};

use crate::routes::Routes;
use crate::{AppState, RequestCtx, WebError};

pub async fn not_found() -> WebError {
    WebError::NotFound
}

/// `/`: a signed-in person's workbench; for everyone else the public front door.
async fn front(State(state): State<AppState>, ctx: RequestCtx, req: Request) -> Response {
    if ctx.session.is_some() {
        // the workbench takes its own extractors (a password to change first still redirects)
        return Handler::<_, AppState>::call(crate::home::page, req, state).await;
    }
    match crate::public::home::page(&state, &ctx).await {
        Ok(p) => p.into_response(),
        Err(e) => e.into_response(),
    }
}

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/", front)
        .get("/healthz", health::healthz)
        .get("/account", account::page)
        .post("/account/mobile", account::save_mobile)
        .post("/prefs/text-size", prefs::text_size)
        .get("/regions", regions::root)
        .get("/regions/picker", regions::picker)
        .get("/regions/{code}", regions::page)
}
