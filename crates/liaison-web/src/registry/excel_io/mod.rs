//! Excel in and out for stations, deputies and handling units.
//!
//! Import: download the template, fill it, upload. Every row is parsed and checked first (scope, region
//! codes, duplicates within the file); any problem is reported as 「第 N 行「列」：问题」 and nothing is
//! written. Then all rows are written in one transaction, keyed by natural keys, so importing the same
//! file again changes nothing. Exports use the same columns, so an export can be edited and re-imported.

mod columns;
mod import;

use askama::Template;
use askama_web::WebTemplate;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use liaison_domain::Permission;

use crate::WebError;
use crate::ctx::Staff;
use crate::excel;
use crate::extract::Path;
use crate::layout::Page;
use columns::{Column, DEPUTY_COLUMNS, STATION_COLUMNS, UNIT_COLUMNS};

pub(super) use import::{RowError, run_import};

pub(super) fn columns(kind: &str) -> Result<(&'static [Column], &'static str), WebError> {
    match kind {
        "stations" => Ok((STATION_COLUMNS, "站点")),
        "deputies" => Ok((DEPUTY_COLUMNS, "代表")),
        "units" => Ok((UNIT_COLUMNS, "承办单位")),
        _ => Err(WebError::NotFound),
    }
}

fn headers(cols: &[Column]) -> Vec<String> {
    cols.iter()
        .map(|(h, _, req, _)| if *req { format!("{h}*") } else { (*h).to_owned() })
        .collect()
}

pub(crate) fn xlsx_response(bytes: Vec<u8>, filename: &str) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    let disposition = format!(
        "attachment; filename=\"export.xlsx\"; filename*=UTF-8''{}",
        crate::error::urlencode(filename)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

pub(super) fn write(cols: &[Column], sheet: &str, rows: &[Vec<String>]) -> Result<Vec<u8>, WebError> {
    let heads = headers(cols);
    let heads: Vec<&str> = heads.iter().map(String::as_str).collect();
    let notes: Vec<(&str, &str)> = cols.iter().map(|(h, _, _, n)| (*h, *n)).collect();
    excel::write_workbook(sheet, &heads, rows, &notes).map_err(WebError::Internal)
}

/// `GET /import/{kind}/template.xlsx`
pub async fn template(staff: Staff, Path(kind): Path<String>) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let (cols, label) = columns(&kind)?;
    Ok(xlsx_response(
        write(cols, label, &[])?,
        &format!("{label}导入模板.xlsx"),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/import.html")]
pub struct ImportPage {
    pub(super) page: Page,
    pub(super) kind: String,
    pub(super) label: &'static str,
    pub(super) errors: Vec<(usize, String, String)>,
    pub(super) total_errors: usize,
    pub(super) summary: Option<(usize, usize, usize)>,
}

pub async fn form(staff: Staff, Path(kind): Path<String>) -> Result<ImportPage, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let (_, label) = columns(&kind)?;
    Ok(ImportPage {
        page: Page::new(&staff.ctx, format!("导入{label}"), "/import"),
        kind,
        label,
        errors: vec![],
        total_errors: 0,
        summary: None,
    })
}
