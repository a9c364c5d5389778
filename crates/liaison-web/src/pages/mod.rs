//! Staff pages that belong to no feature yet: home, account, regions, preferences, health.

pub mod account;
pub mod health;
pub mod home;
pub mod prefs;
pub mod regions;

use crate::WebError;

pub async fn not_found() -> WebError {
    WebError::NotFound
}
