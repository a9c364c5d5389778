//! Excel in and out for stations, deputies and handling units.
//!
//! Import: download the template, fill it, upload. Every row is parsed and checked first (scope, region
//! codes, duplicates within the file); any problem is reported as 「第 N 行「列」：问题」 and nothing is
//! written. Then all rows are written in one transaction, keyed by natural keys, so importing the same
//! file again changes nothing. Exports use the same columns, so an export can be edited and re-imported.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use liaison_domain::{Permission, RegionCode};
use liaison_store::registry::import::DeputyRow;
use liaison_store::registry::unit::{UNIT_KINDS, UnitInput};
use serde::Deserialize;

use super::deputies::DeputyForm;
use super::stations::StationForm;
use crate::ctx::Staff;
use crate::excel;
use crate::extract::Path;
use crate::job::{Phase, Progress};
use crate::layout::Page;
use crate::{AppState, WebError};

/// (header, form field, required, note for the 填写说明 sheet)
type Column = (&'static str, &'static str, bool, &'static str);

const STATION_COLUMNS: &[Column] = &[
    (
        "站点名称",
        "name",
        true,
        "同一行政区内不能重名；再次导入时按“所在行政区代码 + 站点名称”更新",
    ),
    (
        "类型",
        "kind",
        true,
        "代表之家、代表联络站、代表联络室（活动室）、代表联络点、基层立法联系点、代表工作室、助侨联系点",
    ),
    (
        "所在行政区代码",
        "region",
        true,
        "村（社区）12 位或乡镇 9 位统计用区划代码",
    ),
    ("行业", "industry", false, "行业代表之家/联络站填写，如“造纸业”"),
    ("地址", "address", false, ""),
    ("纬度", "latitude", false, "可选，如 36.28"),
    ("经度", "longitude", false, "可选，如 100.62"),
    ("站点电话", "phone", false, "对外公开"),
    ("负责人", "manager_name", false, ""),
    ("负责人电话", "manager_phone", false, "不公开"),
    ("联络员", "liaison_name", false, ""),
    ("联络员电话", "liaison_phone", false, "不公开"),
    ("开放时间", "open_hours", false, "如“工作日 9:00-17:00”"),
    ("接待日", "reception_rule", false, "如“每月10日”“每周三上午”"),
    ("设施", "facilities", false, "多项用顿号或换行分隔"),
    ("制度", "rules", false, "多项用换行分隔"),
    ("经费", "funding", false, ""),
];

const DEPUTY_COLUMNS: &[Column] = &[
    ("姓名", "name", true, ""),
    ("性别", "gender", true, "男 或 女"),
    ("民族", "ethnicity", false, "如“藏族”或“藏”"),
    ("出生年份", "birth_year", false, "4 位数字"),
    ("政治面貌", "party", false, "如 中共党员、群众、民盟盟员"),
    ("职业", "occupation", false, ""),
    ("工作单位", "employer", false, ""),
    ("联系电话", "phone", false, "个人信息，不公开；留空表示不修改"),
    (
        "代表层级",
        "level",
        true,
        "全国、省、市、县、乡镇（也可写“县人大代表”）",
    ),
    (
        "选举产生的人大代码",
        "congress_region",
        true,
        "如县人大代表填县的 6 位代码，乡镇人大代表填乡镇 9 位代码",
    ),
    ("届次", "term", true, "数字，如 18"),
    ("选区", "constituency", false, ""),
    (
        "选区所在行政区代码",
        "constituency_region",
        true,
        "村或乡镇代码，用于“码上找代表”",
    ),
    ("代表小组", "deputy_group", false, ""),
    ("专业代表小组", "expert_group", false, ""),
    (
        "进驻站点",
        "stations",
        false,
        "站点名称，多个用顿号分隔；须是本辖区内已有的站点",
    ),
];

const UNIT_COLUMNS: &[Column] = &[
    (
        "单位名称",
        "name",
        true,
        "再次导入时按“所属行政区代码 + 单位名称”更新",
    ),
    (
        "类别",
        "kind",
        true,
        "政府部门、乡镇人民政府（街道办事处）、人民法院、人民检察院、其他单位",
    ),
    ("所属行政区代码", "region", true, ""),
    ("联系电话", "phone", false, ""),
];

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

/// One problem: Excel row number (1-based, header is row 1), column header, message.
pub(super) type RowError = (usize, String, String);

/// A data row: its Excel row number and its cells by form field.
type Row = (usize, HashMap<&'static str, String>);

/// Reads the uploaded file's rows as field maps, with their Excel row numbers.
fn rows_of(bytes: &[u8], cols: &[Column]) -> Result<Vec<Row>, Vec<RowError>> {
    let sheet = excel::read_first_sheet(bytes).map_err(|e| vec![(0, String::new(), e)])?;
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
pub(super) async fn run_import(
    state: &AppState,
    staff: &Staff,
    kind: &str,
    bytes: &[u8],
    progress: &Progress,
) -> Result<Outcome, WebError> {
    let (cols, _) = columns(kind)?;
    progress.phase(Phase::Reading, 0);
    let rows = match rows_of(bytes, cols) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    match kind {
        "stations" => import_stations(state, staff, cols, rows, progress).await,
        "deputies" => import_deputies(state, staff, cols, rows, progress).await,
        _ => import_units(state, staff, cols, rows, progress).await,
    }
}

pub(super) type Outcome = Result<(usize, usize, usize), Vec<RowError>>;

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
