//! Staff pages of the registry: stations, deputies, handling units, and their QR codes.

pub mod deputies;
pub mod qr;
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

/// A "下一页" link keeps the filters: the query without `after`, plus the new `after`.
pub fn next_link(path: &str, query: &[(&str, &str)], after: i64) -> String {
    let mut q: Vec<String> = query
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::error::urlencode(v)))
        .collect();
    q.push(format!("after={after}"));
    format!("{path}?{}", q.join("&"))
}
