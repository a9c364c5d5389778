//! The three separated administrators' pages: accounts (system), security (security), audit (auditor).

pub mod accounts;
pub mod audit;
pub mod security;
