//! Pure domain rules of Liaison. Nothing here does I/O: no database, no HTTP, no async runtime.
//! (CI checks that this crate never depends on sqlx, axum, tokio or askama.)

pub mod account;
pub mod audit;
pub mod calendar;
pub mod deadline;
pub mod error;
pub mod mask;
pub mod notification;
pub mod opinion;
pub mod password;
pub mod personal;
pub mod project;
pub mod region;
pub mod registry;
pub mod review;
pub mod role;
pub mod scope;
pub mod subject;
pub mod suggestion;
pub mod supervision;
pub mod time;
pub mod token;
pub mod workflow;

pub use error::DomainError;
pub use region::{RegionCode, RegionLevel};
pub use role::{Permission, Role};
pub use scope::Scope;
