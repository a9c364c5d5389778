//! The three separated administrators' pages: accounts (system), security (security), audit (auditor);
//! the working-day calendar (system administrator, county-level committee staff) and the SMS sent to
//! citizens (system administrator).

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod deadlines;
pub mod security;
pub mod sms;

use crate::routes::Routes;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get_post("/admin/accounts", accounts::list, accounts::create)
        .get("/admin/accounts/new", accounts::new_form)
        .get_post("/admin/accounts/{id}", accounts::detail, accounts::update)
        .post("/admin/accounts/{id}/mobile", accounts::set_mobile)
        .post("/admin/accounts/{id}/{action}", accounts::action)
        .get_post("/admin/requests", accounts::requests_page, accounts::bulk_grant)
        .post("/admin/requests/{id}/{decision}", accounts::decide)
        .get_post("/admin/security", security::page, security::save)
        .get("/admin/audit", audit::page)
        .get_post("/admin/calendar", calendar::page, calendar::save)
        .get_post("/admin/deadlines", deadlines::page, deadlines::save)
        .get("/admin/sms", sms::page)
        .post("/admin/sms/quiet", sms::save_quiet)
        .post("/admin/sms/{id}/retry", sms::retry)
}
