//! Staff pages of the registry: stations, deputies, handling units, and their QR codes.

pub mod deputies;
pub mod excel_io;
pub mod export;
pub mod import_jobs;
pub mod links;
pub mod print;
pub mod public_phones;
pub mod qr;
pub mod routing;
pub mod station_files;
pub mod stations;
pub mod units;

use axum::handler::Handler;
use liaison_domain::RegionCode;

use crate::routes::Routes;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get_post("/stations", stations::list, stations::create)
        .get("/stations/new", stations::new_form)
        .get_post("/stations/{id}", stations::detail, stations::update)
        .get("/stations/{id}/edit", stations::edit_form)
        .post(
            "/stations/{id}/files",
            station_files::upload.layer(crate::upload::STATION_FILE.layer()),
        )
        .post("/stations/{id}/files/{file}/remove", station_files::remove)
        // the public copy of a station's photo or rules document, linked from its public page
        .get("/s/{id}/files/{file}", station_files::public)
        .post("/stations/{id}/close", stations::close)
        .get("/stations/{id}/poster", print::poster)
        .post("/stations/{id}/residents/{action}", stations::residents)
        .post("/stations/{id}/contact", stations::contact)
        .get("/stations/{id}/{format}", qr::station)
        .get_post("/deputies", deputies::list, deputies::create)
        .get("/deputies/new", deputies::new_form)
        .get("/deputies/cards", print::cards)
        .get("/deputies/{id}/card", print::card)
        .get_post("/deputies/{id}", deputies::detail, deputies::update)
        .get("/deputies/{id}/edit", deputies::edit_form)
        .post("/deputies/{id}/contact", deputies::contact)
        .post("/deputies/{id}/leave", deputies::leave)
        .post(
            "/deputies/{id}/photo",
            deputies::upload_photo.layer(crate::upload::DEPUTY_PHOTO.layer()),
        )
        .post("/deputies/{id}/households", links::add_household)
        .post("/deputies/{id}/households/meeting", links::log_meeting)
        .post("/deputies/{id}/households/contact", deputies::household_contact)
        .post("/deputies/{id}/committee", links::link_committee)
        .post("/deputies/{id}/committee/meeting", links::committee_meeting)
        .get("/deputies/{id}/{format}", qr::deputy)
        .get_post("/units", units::list, units::create)
        .get_post("/units/routing", routing::page, routing::save)
        .post("/units/{id}", units::update)
        .get("/units/{id}/edit", units::edit_form)
        .get_post("/public-phones", public_phones::list, public_phones::add)
        .post("/public-phones/{id}/remove", public_phones::remove)
        .get_post(
            "/import/{kind}",
            excel_io::form,
            import_jobs::upload.layer(crate::upload::EXCEL.layer()),
        )
        // the job page of an import (the runner, `crate::job`, knows no feature)
        .get("/jobs/{id}", import_jobs::job)
        .get("/import/{kind}/template.xlsx", excel_io::template)
        .get("/export/{file}", export::export)
}

/// Parses an optional region filter typed or picked in a list's filter bar.
pub fn region_filter(s: &Option<String>) -> Result<Option<RegionCode>, String> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => RegionCode::parse(s).map(Some).map_err(|e| e.to_string()),
        None => Ok(None),
    }
}

/// The non-empty filters as a query string (no leading `?`).
pub fn filter_query(query: &[(&str, &str)]) -> String {
    query
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::error::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A "下一页" link keeps the filters and adds the new `after`.
pub fn next_link(path: &str, query: &[(&str, &str)], after: &liaison_store::Cursor) -> String {
    let q = filter_query(query);
    if q.is_empty() {
        format!("{path}?after={after}")
    } else {
        format!("{path}?{q}&after={after}")
    }
}

/// One page of a list: rows fetched with `page::fetch(limit)`, cut to `limit`, the link to the next
/// page, and an out-of-scope filter turned into a message rather than an error page.
pub struct ListPage<T> {
    pub rows: Vec<T>,
    pub next: Option<String>,
    pub error: Option<String>,
}

pub fn list_page<T>(
    fetched: Result<Vec<T>, liaison_store::StoreError>,
    limit: i64,
    path: &str,
    query: &[(&str, &str)],
    cursor: impl Fn(&T) -> liaison_store::Cursor,
) -> Result<ListPage<T>, crate::WebError> {
    let rows = match fetched {
        Ok(r) => r,
        Err(liaison_store::StoreError::OutOfScope) => {
            return Ok(ListPage {
                rows: vec![],
                next: None,
                error: Some("所选行政区不在您的管辖范围内".into()),
            });
        }
        Err(e) => return Err(e.into()),
    };
    let page = liaison_store::page::Paged::cut(rows, limit, cursor);
    Ok(ListPage {
        rows: page.rows,
        next: page.next.map(|after| next_link(path, query, &after)),
        error: None,
    })
}
