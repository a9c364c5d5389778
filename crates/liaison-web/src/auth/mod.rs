//! Logging in and out, the password change, and the first-run setup.

pub mod login;
pub mod password;
pub mod setup;

use crate::routes::Routes;

/// Only local paths may be redirect targets after login (no `//host` or `http://`).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && n.len() < 500 => {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get_post("/login", login::form, login::submit)
        .post("/logout", login::logout)
        .get_post("/setup", setup::form, setup::submit)
        .get_post("/account/password", password::form, password::submit)
}
