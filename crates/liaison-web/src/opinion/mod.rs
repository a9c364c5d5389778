//! Staff, deputy and unit pages for opinions: queues, the item page with its actions, and records
//! made on a citizen's behalf (walk-ins, calls, visits; a deputy's own collection).

pub mod act;
pub mod bulk;
pub mod detail;
pub mod export;
pub mod history;
pub mod organ;
pub mod pickers;
pub mod query;
pub mod queue;
pub mod record;
pub mod reply;
pub mod supervise;

use liaison_store::opinion::Opinion;

use crate::routes::Routes;
use axum::handler::Handler;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/opinions", queue::list)
        .get("/opinions/export.xlsx", queue::export)
        .get_post(
            "/opinions/new",
            record::form,
            record::submit.layer(crate::upload::OPINION.layer()),
        )
        .get_post("/opinions/bulk", bulk::form, bulk::submit)
        .get("/opinions/{id}", detail::detail)
        .post("/opinions/{id}/act", act::act)
        .post(
            "/opinions/{id}/reply",
            reply::reply.layer(crate::upload::REPLY.layer()),
        )
        .post("/opinions/{id}/contact", detail::contact)
        .post("/opinions/{id}/supervise", supervise::issue)
        .post("/opinions/{id}/key", supervise::key)
        .post("/opinions/{id}/note", detail::note)
        .get_post("/supervision/organ", organ::form, organ::save)
        .get("/supervision/{id}", supervise::print)
        .post("/supervision/{id}/ack", supervise::acknowledge)
        .get("/opinions/photos/{file}", detail::photo)
        .post("/opinions/photos/{id}/visibility", detail::photo_visibility)
        .get("/opinions/attachments/{id}", reply::file)
        .post("/opinions/attachments/{id}/visibility", reply::visibility)
}

/// Fills a reply template's placeholders for one item: {回执码} {类别} {地区} {单位} {日期}.
pub fn fill_template(body: &str, o: &Opinion) -> String {
    let receipt = liaison_domain::opinion::show_receipt(&o.receipt);
    let today = liaison_domain::time::today().format("%Y年%-m月%-d日").to_string();
    liaison_domain::opinion::template::render(
        body,
        &[
            ("回执码", receipt.as_str()),
            ("类别", o.category_label.as_str()),
            ("地区", o.region_name.as_str()),
            ("单位", o.lead_unit_name.as_deref().unwrap_or("承办单位")),
            ("日期", today.as_str()),
        ],
    )
}

/// A `YYYY-MM-DD` form field as that day's `h:m:s` in Beijing time; None when empty. `messages` are
/// the Chinese texts for a malformed and for an impossible date.
pub fn beijing_day(
    s: &str,
    field: &str,
    h: u32,
    m: u32,
    sec: u32,
    messages: (&str, &str),
) -> Result<Option<chrono::DateTime<chrono::Utc>>, crate::WebError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| crate::WebError::invalid(field, messages.0))?;
    chrono::NaiveTime::from_hms_opt(h, m, sec)
        .and_then(|t| liaison_domain::time::at(d, t))
        .map(Some)
        .ok_or_else(|| crate::WebError::invalid(field, messages.1))
}
