//! The three separated administrators' pages: accounts (system), security (security), audit (auditor);
//! the working-day calendar (system administrator, county-level committee staff) and the SMS sent to
//! citizens (system administrator).

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod deadlines;
pub mod security;
pub mod sms;
