//! Creating, editing and closing a station: the form as typed and its parsing (shared with the
//! spreadsheet import), the form page, and the writes.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use liaison_domain::registry::station::StationKind;
use liaison_domain::{Permission, RegionCode};
use liaison_store::registry::station::{Station, StationContact, StationInput};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Form, Path};
use crate::layout::Page;
use crate::pages::regions::{Picker, render_picker};
use crate::{AppState, WebError};

/// The form's fields as typed.
#[derive(Deserialize, Default, Clone)]
pub struct StationForm {
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub latitude: String,
    #[serde(default)]
    pub longitude: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub manager_name: String,
    #[serde(default)]
    pub manager_phone: String,
    #[serde(default)]
    pub liaison_name: String,
    #[serde(default)]
    pub liaison_phone: String,
    #[serde(default)]
    pub open_hours: String,
    #[serde(default)]
    pub reception_rule: String,
    #[serde(default)]
    pub facilities: String,
    #[serde(default)]
    pub rules: String,
    #[serde(default)]
    pub funding: String,
    /// "选下级" was pressed on the region picker (no JavaScript): show the form again, as typed.
    #[serde(default, rename = "_drill")]
    pub drill: String,
}

impl StationForm {
    /// The form of a saved station; the staff phones come from the audited contact read.
    pub fn of(s: &Station, contact: StationContact) -> StationForm {
        StationForm {
            region: RegionCode::parse(&s.region_code)
                .map(|r| r.short().to_owned())
                .unwrap_or_default(),
            kind: s.kind.clone(),
            industry: s.industry.clone(),
            name: s.name.clone(),
            address: s.address.clone(),
            latitude: s.latitude.map(|v| v.to_string()).unwrap_or_default(),
            longitude: s.longitude.map(|v| v.to_string()).unwrap_or_default(),
            phone: s.phone.clone(),
            manager_name: s.manager_name.clone(),
            manager_phone: contact.manager_phone,
            liaison_name: s.liaison_name.clone(),
            liaison_phone: contact.liaison_phone,
            open_hours: s.open_hours.clone(),
            reception_rule: s.reception_rule.clone(),
            facilities: s.facilities.clone(),
            rules: s.rules.clone(),
            funding: s.funding.clone(),
            drill: String::new(),
        }
    }

    /// Parse, don't validate: the typed input, or every problem in Chinese with the field it concerns.
    pub fn parse(&self) -> Result<StationInput, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let coord = |s: &str,
                     field: &'static str,
                     label: &str,
                     errors: &mut Vec<(&'static str, String)>|
         -> Option<f64> {
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            s.parse::<f64>().ok().filter(|v| v.is_finite()).or_else(|| {
                errors.push((field, format!("{label}应为数字，如 36.28")));
                None
            })
        };
        let region = match RegionCode::parse(&self.region) {
            Ok(r) => Some(r),
            Err(e) => {
                errors.push(("region", e.to_string()));
                None
            }
        };
        let t = |s: &str| s.trim().to_owned();
        let input = StationInput {
            region,
            kind: StationKind::parse(&self.kind).or_else(|| StationKind::from_label(&self.kind)),
            industry: t(&self.industry),
            name: t(&self.name),
            address: t(&self.address),
            latitude: coord(&self.latitude, "latitude", "纬度", &mut errors),
            longitude: coord(&self.longitude, "longitude", "经度", &mut errors),
            phone: t(&self.phone),
            manager_name: t(&self.manager_name),
            manager_phone: t(&self.manager_phone),
            liaison_name: t(&self.liaison_name),
            liaison_phone: t(&self.liaison_phone),
            open_hours: t(&self.open_hours),
            reception_rule: t(&self.reception_rule),
            facilities: self.facilities.trim().to_owned(),
            rules: self.rules.trim().to_owned(),
            funding: t(&self.funding),
        };
        if input.kind.is_none() && !self.kind.trim().is_empty() {
            let all: Vec<&str> = StationKind::ALL.iter().map(|k| k.label()).collect();
            errors.push((
                "kind",
                format!("站点类型“{}”无法识别，应为：{}", self.kind.trim(), all.join("、")),
            ));
        }
        let known: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        errors.extend(input.validate().into_iter().filter(|(f, _)| !known.contains(f)));
        if errors.is_empty() { Ok(input) } else { Err(errors) }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/station_form.html")]
pub struct FormPage {
    page: Page,
    id: Option<i64>,
    form: StationForm,
    picker: Picker,
    kinds: Vec<(&'static str, &'static str)>,
    errors: Vec<String>,
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    form: StationForm,
    errors: Vec<String>,
) -> Result<FormPage, WebError> {
    let picker = render_picker(state, Some(&staff.scope.region), "region", &form.region).await?;
    let title = if id.is_some() {
        "编辑站点"
    } else {
        "新建站点"
    };
    Ok(FormPage {
        page: Page::new(&staff.ctx, title, "/stations"),
        id,
        form,
        picker,
        kinds: StationKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        errors,
    })
}

pub async fn new_form(State(state): State<AppState>, staff: Staff) -> Result<FormPage, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let form = StationForm {
        region: staff.scope.region.short().to_owned(),
        kind: "room".into(),
        ..Default::default()
    };
    form_page(&state, &staff, None, form, vec![]).await
}

fn conflict_or(e: liaison_store::StoreError) -> Result<Vec<String>, WebError> {
    match e {
        liaison_store::StoreError::Conflict(_) => Ok(vec!["同一行政区内已有同名站点".into()]),
        liaison_store::StoreError::OutOfScope => Ok(vec!["所在行政区不在您的管辖范围内".into()]),
        other => Err(other.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<StationForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    if !f.drill.is_empty() {
        return Ok(form_page(&state, &staff, None, f, vec![]).await?.into_response());
    }
    let errors = match f.parse() {
        Ok(input) => match state
            .store
            .create_station(&staff.scope, &staff.actor(), &input)
            .await
        {
            Ok(id) => return Ok(Redirect::to(&format!("/stations/{id}?done=saved")).into_response()),
            Err(e) => conflict_or(e)?,
        },
        Err(errors) => errors.into_iter().map(|(_, m)| m).collect(),
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        form_page(&state, &staff, None, f, errors).await?,
    )
        .into_response())
}

pub async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<FormPage, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let s = state.store.station(&staff.scope, id).await?;
    // editing shows the staff phones in full: the audited read, as on the station's page
    let contact = state
        .store
        .station_contact(&staff.scope, &staff.actor(), id)
        .await?;
    form_page(&state, &staff, Some(id), StationForm::of(&s, contact), vec![]).await
}

pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<StationForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    state.store.station(&staff.scope, id).await?;
    if !f.drill.is_empty() {
        return Ok(form_page(&state, &staff, Some(id), f, vec![])
            .await?
            .into_response());
    }
    let errors = match f.parse() {
        Ok(input) => match state
            .store
            .update_station(&staff.scope, &staff.actor(), id, &input)
            .await
        {
            Ok(()) => return Ok(Redirect::to(&format!("/stations/{id}?done=saved")).into_response()),
            Err(e) => conflict_or(e)?,
        },
        Err(errors) => errors.into_iter().map(|(_, m)| m).collect(),
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        form_page(&state, &staff, Some(id), f, errors).await?,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    reason: String,
}

pub async fn close(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<CloseForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let on = NaiveDate::parse_from_str(f.on.trim(), "%Y-%m-%d")
        .map_err(|_| WebError::invalid("on", "撤销日期应为 年-月-日，如 2026-11-22"))?;
    let reason = f.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(WebError::invalid("reason", "请填写撤销原因（不超过 200 字）"));
    }
    state
        .store
        .close_station(&staff.scope, &staff.actor(), id, on, reason)
        .await?;
    Ok(Redirect::to(&format!("/stations/{id}?done=closed")).into_response())
}
