//! The web crate's integration tests, one module per feature, linked into one test binary (one link
//! of the whole app instead of one per file).

#[path = "../common/matrix.rs"]
mod matrix;
mod support;

mod admin_deadlines;
mod admin_pages;
mod admin_separation;
mod authz_matrix;
mod bulk_offer;
mod calendar;
mod errors;
mod excel;
mod front_door;
mod handling;
mod headers;
mod home;
mod login;
mod notifications;
mod opinion_paths;
mod opinions;
mod paging;
mod print_cards;
mod privacy;
mod privacy_registry;
mod projects;
mod queue;
mod queue_filters;
mod queue_search;
mod queue_tally;
mod records;
mod region_picker;
mod registry;
mod registry_edit;
mod registry_forms;
mod rejections;
mod reply_attachments;
mod reviews;
mod setup;
mod sms_admin;
mod sms_alerts;
mod station_files;
mod suggestions;
mod supervision_organ;
mod uploads;
