//! Importing an uploaded spreadsheet: every row parsed and checked (scope, region codes, duplicates
//! within the file) before anything is written, then all rows written in one store transaction.

use std::collections::HashMap;

use liaison_domain::RegionCode;
use liaison_store::registry::import::DeputyRow;
use liaison_store::registry::unit::{UNIT_KINDS, UnitInput};
use serde::Deserialize;

use super::{Column, columns};
use crate::ctx::Staff;
use crate::excel;
use crate::job::{Phase, Progress};
use crate::registry::deputies::DeputyForm;
use crate::registry::stations::StationForm;
use crate::{AppState, WebError};

/// One problem: Excel row number (1-based, header is row 1), column header, message.
pub(in crate::registry) type RowError = (usize, String, String);

/// A data row: its Excel row number and its cells by form field.
type Row = (usize, HashMap<&'static str, String>);

/// The sheet's rows as field maps, with their Excel row numbers.
fn rows_of(sheet: &[Vec<String>], cols: &[Column]) -> Result<Vec<Row>, Vec<RowError>> {
    let Some(header) = sheet.first() else {
        return Err(vec![(0, String::new(), "文件是空的".into())]);
    };
    let spec: Vec<(&str, bool)> = cols.iter().map(|(h, _, r, _)| (*h, *r)).collect();
    let pos = excel::header_positions(header, &spec)
        .map_err(|m| m.into_iter().map(|e| (1, String::new(), e)).collect::<Vec<_>>())?;
    let mut out = Vec::new();
    for (i, row) in sheet.iter().enumerate().skip(1) {
        if row.iter().all(|c| c.is_empty()) {
            continue;
        }
        let mut map = HashMap::new();
        for ((_, field, _, _), p) in cols.iter().zip(&pos) {
            let v = p.and_then(|p| row.get(p)).cloned().unwrap_or_default();
            map.insert(*field, v);
        }
        out.push((i + 1, map));
    }
    if out.len() > 20_000 {
        return Err(vec![(
            0,
            String::new(),
            "一次最多导入 20000 行，请分批导入".into(),
        )]);
    }
    Ok(out)
}

fn header_of(cols: &[Column], field: &str) -> String {
    cols.iter()
        .find(|(_, f, _, _)| *f == field)
        .map(|(h, _, _, _)| (*h).to_owned())
        .unwrap_or_default()
}

fn form_from<T: for<'de> Deserialize<'de>>(map: &HashMap<&'static str, String>) -> Result<T, WebError> {
    let obj: serde_json::Map<String, serde_json::Value> = map
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone())))
        .collect();
    serde_json::from_value(serde_json::Value::Object(obj)).map_err(|e| WebError::Internal(e.to_string()))
}

/// Checks a region code lies in the caller's scope and exists (cached per code).
async fn check_region(
    state: &AppState,
    staff: &Staff,
    code: &RegionCode,
    cache: &mut HashMap<String, bool>,
) -> Result<Option<String>, WebError> {
    if !staff.scope.covers(code) {
        return Ok(Some("不在您的管辖范围内".into()));
    }
    check_region_exists(state, code, cache).await
}

/// Parses, checks and writes one uploaded file, reporting progress as it goes.
pub(in crate::registry) async fn run_import(
    state: &AppState,
    staff: &Staff,
    kind: &str,
    bytes: axum::body::Bytes,
    progress: &Progress,
) -> Result<Outcome, WebError> {
    let (cols, _) = columns(kind)?;
    progress.phase(Phase::Reading, 0);
    let sheet = match excel::read_first_sheet_bounded(bytes).await {
        Ok(sheet) => sheet,
        Err(e) => return Ok(Err(vec![(0, String::new(), e)])),
    };
    let rows = match rows_of(&sheet, cols) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    match kind {
        "stations" => import_stations(state, staff, cols, rows, progress).await,
        "deputies" => import_deputies(state, staff, cols, rows, progress).await,
        _ => import_units(state, staff, cols, rows, progress).await,
    }
}

pub(in crate::registry) type Outcome = Result<(usize, usize, usize), Vec<RowError>>;

async fn import_stations(
    state: &AppState,
    staff: &Staff,
    cols: &[Column],
    rows: Vec<Row>,
    progress: &Progress,
) -> Result<Outcome, WebError> {
    progress.phase(Phase::Checking, rows.len());
    let mut errors = Vec::new();
    let mut inputs = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut cache = HashMap::new();
    for (n, map) in rows {
        progress.step();
        let mut f: StationForm = form_from(&map)?;
        f.facilities = f.facilities.replace('、', "\n");
        match f.parse() {
            Err(es) => errors.extend(es.into_iter().map(|(field, m)| (n, header_of(cols, field), m))),
            Ok(input) => {
                let region = input.region.clone().ok_or(WebError::Internal("region".into()))?;
                if let Some(m) = check_region(state, staff, &region, &mut cache).await? {
                    errors.push((n, header_of(cols, "region"), m));
                }
                let key = (region.as_str().to_owned(), input.name.clone());
                if let Some(first) = seen.insert(key, n) {
                    errors.push((
                        n,
                        header_of(cols, "name"),
                        format!("与第 {first} 行重复（同一行政区内同名）"),
                    ));
                }
                inputs.push(input);
            }
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    progress.phase(Phase::Writing, inputs.len());
    let c = state
        .store
        .import_stations(&staff.scope, &staff.actor(), &inputs, &|| progress.step())
        .await?;
    Ok(Ok((c.created, c.updated, c.unchanged)))
}

async fn import_units(
    state: &AppState,
    staff: &Staff,
    cols: &[Column],
    rows: Vec<Row>,
    progress: &Progress,
) -> Result<Outcome, WebError> {
    progress.phase(Phase::Checking, rows.len());
    let mut errors = Vec::new();
    let mut inputs = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut cache = HashMap::new();
    for (n, map) in rows {
        progress.step();
        let get = |k: &str| map.get(k).cloned().unwrap_or_default();
        let kind = get("kind");
        let kind = UNIT_KINDS
            .iter()
            .find(|(k, l)| *k == kind || *l == kind || l.starts_with(&kind) && !kind.is_empty())
            .map(|(k, _)| (*k).to_owned());
        if kind.is_none() {
            errors.push((n, header_of(cols, "kind"), "类别无法识别".to_owned()));
        }
        let region = match RegionCode::parse(&get("region")) {
            Ok(r) => {
                if let Some(m) = check_region(state, staff, &r, &mut cache).await? {
                    errors.push((n, header_of(cols, "region"), m));
                }
                Some(r)
            }
            Err(e) => {
                errors.push((n, header_of(cols, "region"), e.to_string()));
                None
            }
        };
        if let (Some(region), Some(kind)) = (region, kind) {
            let input = UnitInput {
                region,
                name: get("name").trim().to_owned(),
                kind,
                phone: get("phone").trim().to_owned(),
            };
            for m in input.validate() {
                let col = if m.contains("名称") {
                    "name"
                } else if m.contains("电话") {
                    "phone"
                } else {
                    "kind"
                };
                errors.push((n, header_of(cols, col), m));
            }
            if let Some(first) = seen.insert((input.region.as_str().to_owned(), input.name.clone()), n) {
                errors.push((n, header_of(cols, "name"), format!("与第 {first} 行重复")));
            }
            inputs.push(input);
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    progress.phase(Phase::Writing, inputs.len());
    let c = state
        .store
        .import_units(&staff.scope, &staff.actor(), &inputs, &|| progress.step())
        .await?;
    Ok(Ok((c.created, c.updated, c.unchanged)))
}

async fn import_deputies(
    state: &AppState,
    staff: &Staff,
    cols: &[Column],
    rows: Vec<Row>,
    progress: &Progress,
) -> Result<Outcome, WebError> {
    progress.phase(Phase::Checking, rows.len());
    let mut errors = Vec::new();
    let mut inputs = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut cache = HashMap::new();
    for (n, map) in rows {
        progress.step();
        let f: DeputyForm = form_from(&map)?;
        let stations: Vec<String> = map
            .get("stations")
            .map(|s| {
                s.split(['、', ',', '，', ';', '；', '\n'])
                    .map(|x| x.trim().to_owned())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        match f.parse() {
            Err(es) => errors.extend(es.into_iter().map(|(field, m)| (n, header_of(cols, field), m))),
            Ok(input) => {
                for (field, code) in [
                    ("constituency_region", &input.constituency_region),
                    ("congress_region", &input.congress_region),
                ] {
                    if let Some(code) = code {
                        let covered = field == "congress_region" || staff.scope.covers(code);
                        let m = if covered {
                            check_region_exists(state, code, &mut cache).await?
                        } else {
                            Some("不在您的管辖范围内".into())
                        };
                        if let Some(m) = m {
                            errors.push((n, header_of(cols, field), m));
                        }
                    }
                }
                let key = format!(
                    "{}|{:?}|{:?}|{:?}|{:?}|{:?}",
                    input.name,
                    input.gender,
                    input.birth_year,
                    input.level,
                    input.congress_region,
                    input.term
                );
                if let Some(first) = seen.insert(key, n) {
                    errors.push((
                        n,
                        header_of(cols, "name"),
                        format!("与第 {first} 行是同一位代表的同一届任职"),
                    ));
                }
                inputs.push(DeputyRow {
                    row: n,
                    input,
                    stations,
                });
            }
        }
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    progress.phase(Phase::Writing, inputs.len());
    let written = state
        .store
        .import_deputies(&staff.scope, &staff.actor(), &inputs, &|| progress.step())
        .await?;
    match written {
        Ok(c) => Ok(Ok((c.created, c.updated, c.unchanged))),
        Err(problems) => Ok(Err(problems
            .into_iter()
            .map(|p| {
                let m = if p.found == 0 {
                    format!("辖区内没有名为“{}”的站点", p.name)
                } else {
                    format!("辖区内有多个名为“{}”的站点，请先改名区分", p.name)
                };
                (p.row, header_of(cols, "stations"), m)
            })
            .collect())),
    }
}

async fn check_region_exists(
    state: &AppState,
    code: &RegionCode,
    cache: &mut HashMap<String, bool>,
) -> Result<Option<String>, WebError> {
    let exists = match cache.get(code.as_str()) {
        Some(b) => *b,
        None => {
            let b = state.store.region(code).await?.is_some();
            cache.insert(code.as_str().to_owned(), b);
            b
        }
    };
    Ok((!exists).then(|| "没有这个行政区划代码".to_owned()))
}
