//! Staff pages that belong to no feature yet: home, account, regions, preferences, health.

pub mod account;
pub mod health;
pub mod prefs;
pub mod regions;

use crate::WebError;
use crate::routes::Routes;

pub async fn not_found() -> WebError {
    WebError::NotFound
}

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/", crate::home::page)
        .get("/healthz", health::healthz)
        .get("/account", account::page)
        .post("/prefs/text-size", prefs::text_size)
        .get("/regions", regions::root)
        .get("/regions/picker", regions::picker)
        .get("/regions/{code}", regions::page)
}
