//! Accounts: who may manage whose account (`admin`, 三员分立) and the requests one administrator makes
//! and another confirms (`request`).

pub mod admin;
pub mod request;
pub mod sms_login;
