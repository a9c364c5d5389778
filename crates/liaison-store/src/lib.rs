//! The only crate of Liaison that speaks SQL. One `Store`, two backends (SQLite, PostgreSQL); the SQL text
//! is shared where it can be (`$1` placeholders work on both), with a per-backend branch where it cannot.
//!
//! Every function that lists, reads personal information or writes takes the caller's
//! [`liaison_domain::Scope`] and applies its region range itself.

#[macro_use]
mod db;
#[macro_use]
mod args;
#[macro_use]
pub mod registry;
pub mod account;
pub mod audit;
pub mod blob;
mod cache;
pub mod calendar;
pub mod deadline;
mod error;
pub mod job;
mod migrate;
pub mod notification;
pub mod opinion;
pub mod page;
pub mod project;
mod reference;
pub mod region;
pub mod review;
pub mod setting;
pub mod suggestion;
pub mod supervision;
mod visible;
mod workflow;

pub use db::{Backend, Store, Tx};
pub use error::StoreError;
pub use page::Cursor;
pub use visible::Visible;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Who did something, for the audit row written in the same transaction.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: Option<i64>,
    pub username: String,
    pub ip: String,
}

impl Actor {
    pub fn system(what: &str) -> Actor {
        Actor {
            account_id: None,
            username: format!("system:{what}"),
            ip: "-".into(),
        }
    }

    pub fn of(scope: &liaison_domain::Scope, ip: &str) -> Actor {
        Actor {
            account_id: Some(scope.account_id),
            username: scope.username.clone(),
            ip: ip.to_owned(),
        }
    }
}
