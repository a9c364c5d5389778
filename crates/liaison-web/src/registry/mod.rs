//! Staff pages of the registry: stations, deputies, handling units, and their QR codes.

pub mod deputies;
pub mod excel_io;
pub mod print;
pub mod qr;
pub mod routing;
pub mod stations;
pub mod units;

use liaison_domain::RegionCode;

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
