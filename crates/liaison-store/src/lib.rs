//! The only crate of Liaison that speaks SQL. One `Store`, two backends (SQLite, PostgreSQL); the SQL text
//! is shared where it can be (`$1` placeholders work on both), with a per-backend branch where it cannot.
//!
//! Every function that lists, reads personal information or writes takes the caller's
//! [`liaison_domain::Scope`] and applies its region range itself.

#[macro_use]
mod db;
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
pub mod region;
pub mod setting;
pub mod supervision;
mod visible;
mod workflow;

pub use db::{Backend, Store, Tx};
pub use error::StoreError;
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

/// A keyset position in a list ordered by (region code, id): `632521100201.123` in a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub region: String,
    pub id: i64,
}

impl Cursor {
    pub fn new(region: &str, id: i64) -> Cursor {
        Cursor {
            region: region.to_owned(),
            id,
        }
    }

    /// Parses `code.id`; anything else is no cursor (the first page).
    pub fn parse(s: &str) -> Option<Cursor> {
        let (region, id) = s.split_once('.')?;
        let ok = region.len() == 12 && region.bytes().all(|b| b.is_ascii_digit());
        Some(Cursor {
            region: ok.then(|| region.to_owned())?,
            id: id.parse().ok()?,
        })
    }

    /// The bound values for `(region, id) > ($a, $b)`; before everything when there is no cursor.
    pub(crate) fn split(c: Option<&Cursor>) -> (String, i64) {
        c.map(|c| (c.region.clone(), c.id)).unwrap_or_default()
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.region, self.id)
    }
}
