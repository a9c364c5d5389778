//! Excel export of the lists, with the list's filters and the import's columns (so an export can be
//! edited and imported again). Phone numbers only for roles that may read contacts, audited.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use liaison_domain::registry::deputy::{DeputyLevel, Gender};
use liaison_domain::registry::station::StationKind;
use liaison_domain::{Permission, RegionCode};
use liaison_store::registry::deputy::DeputyFilter;
use liaison_store::registry::station::StationFilter;
use serde::Deserialize;

use super::excel_io::{columns, write, xlsx_response};
use crate::ctx::Staff;
use crate::extract::{Path, Query};
use crate::{AppState, WebError};

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    term: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
}

const EXPORT_MAX: usize = 50_000;

fn short(code: &str) -> String {
    RegionCode::parse(code)
        .map(|c| c.short().to_owned())
        .unwrap_or_else(|_| code.to_owned())
}

/// `GET /export/{kind}.xlsx` with the list's filters.
pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Path(file): Path<String>,
    Query(f): Query<ExportQuery>,
) -> Result<Response, WebError> {
    staff.require(Permission::ViewRegistry)?;
    let kind = file.strip_suffix(".xlsx").ok_or(WebError::NotFound)?;
    let (cols, label) = columns(kind)?;
    let region = super::region_filter(&Some(f.region.clone())).map_err(|m| WebError::invalid("region", m))?;
    let q = (!f.q.trim().is_empty()).then(|| f.q.trim().to_owned());
    let contacts = staff.scope.can(Permission::ReadContacts);
    let mut rows: Vec<Vec<String>> = Vec::new();
    match kind {
        "stations" => {
            let filter = StationFilter {
                region,
                kind: StationKind::parse(&f.kind),
                open: match f.status.as_str() {
                    "open" => Some(true),
                    "closed" => Some(false),
                    _ => None,
                },
                q,
            };
            let mut all = Vec::new();
            let mut after = None;
            loop {
                let page = state
                    .store
                    .stations(&staff.scope, &filter, after.as_ref(), 1000)
                    .await?;
                let Some(last) = page.last() else { break };
                after = Some(liaison_store::Cursor::new(&last.region_code, last.id));
                all.extend(page);
                if all.len() >= EXPORT_MAX {
                    break;
                }
            }
            // staff phones only for a role that may read contacts, the read audited
            let ids: Vec<i64> = all.iter().map(|s| s.id).collect();
            let phones = if contacts && !ids.is_empty() {
                state
                    .store
                    .station_staff_phones(&staff.scope, &staff.actor(), &ids)
                    .await?
            } else {
                HashMap::new()
            };
            {
                for s in &all {
                    let staff_phones = phones.get(&s.id).cloned().unwrap_or_default();
                    rows.push(vec![
                        s.name.clone(),
                        s.kind_label().to_owned(),
                        short(&s.region_code),
                        s.industry.clone(),
                        s.address.clone(),
                        s.latitude.map(|v| v.to_string()).unwrap_or_default(),
                        s.longitude.map(|v| v.to_string()).unwrap_or_default(),
                        s.phone.clone(),
                        s.manager_name.clone(),
                        staff_phones.manager_phone,
                        s.liaison_name.clone(),
                        staff_phones.liaison_phone,
                        s.open_hours.clone(),
                        s.reception_rule.clone(),
                        s.facilities.replace('\n', "、"),
                        s.rules.clone(),
                        s.funding.clone(),
                    ]);
                }
            }
        }
        "deputies" => {
            let filter = DeputyFilter {
                region,
                level: DeputyLevel::parse(&f.level),
                term: f.term.trim().parse().ok(),
                in_office: match f.status.as_str() {
                    "in_office" => Some(true),
                    "left" => Some(false),
                    _ => None,
                },
                q,
            };
            let mut all = Vec::new();
            let mut after = None;
            loop {
                let page = state
                    .store
                    .deputies(&staff.scope, &filter, after.as_ref(), 1000)
                    .await?;
                let Some(last) = page.last() else { break };
                after = Some(liaison_store::Cursor::new(
                    &last.constituency_region,
                    last.mandate_id,
                ));
                all.extend(page);
                if all.len() >= EXPORT_MAX {
                    break;
                }
            }
            let ids: Vec<i64> = all.iter().map(|d| d.mandate_id).collect();
            let phones = if contacts && !ids.is_empty() {
                state
                    .store
                    .deputy_phones(&staff.scope, &staff.actor(), &ids)
                    .await?
            } else {
                HashMap::new()
            };
            let residence = state.store.residence_names(&ids).await?;
            for d in &all {
                rows.push(vec![
                    d.name.clone(),
                    Gender::parse(&d.gender)
                        .map(|g| g.label())
                        .unwrap_or("")
                        .to_owned(),
                    d.ethnicity.clone(),
                    d.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                    d.party.clone(),
                    d.occupation.clone(),
                    d.employer.clone(),
                    phones.get(&d.mandate_id).cloned().unwrap_or_default(),
                    d.level_label().to_owned(),
                    short(&d.congress_region),
                    d.term.to_string(),
                    d.constituency.clone(),
                    short(&d.constituency_region),
                    d.deputy_group.clone(),
                    d.expert_group.clone(),
                    residence
                        .get(&d.mandate_id)
                        .map(|v| v.join("、"))
                        .unwrap_or_default(),
                ]);
            }
        }
        _ => {
            for u in state
                .store
                .units(&staff.scope, q.as_deref(), None, EXPORT_MAX as i64)
                .await?
            {
                rows.push(vec![
                    u.name.clone(),
                    liaison_store::registry::unit::unit_kind_label(&u.kind).to_owned(),
                    short(&u.region_code),
                    u.phone.clone(),
                ]);
            }
        }
    }
    let stamp = liaison_domain::time::now_beijing().format("%Y%m%d");
    Ok(xlsx_response(
        write(cols, label, &rows)?,
        &format!("{label}{stamp}.xlsx"),
    ))
}
