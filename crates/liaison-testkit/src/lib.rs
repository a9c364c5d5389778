//! Test support: a fresh database per test on either backend, an in-process app, HTML helpers and a
//! Chromium driver. Used as a dev-dependency only.

pub mod app;
pub mod browser;
mod db;
pub mod fixtures;
pub mod html;
pub mod sms_stub;

pub use db::{Backend, TestDb};

/// Runs one async test body on both backends, each on a fresh database:
/// `both_backends!(async fn name(db) { ... })` makes `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($(#[$m:meta])* async fn $name:ident($db:ident) $body:block) => {
        $(#[$m])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($db: $crate::TestDb) $body
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run($crate::TestDb::new($crate::Backend::Sqlite).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                run($crate::TestDb::new($crate::Backend::Postgres).await).await
            }
        }
    };
}
