//! The three separated administrators' pages: accounts (system), security (security), audit (auditor);
//! and the working-day calendar (system administrator, county-level committee staff).

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod deadlines;
pub mod security;
