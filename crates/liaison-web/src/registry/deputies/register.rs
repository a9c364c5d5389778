//! Registering a deputy: the form as typed and its parsing (shared with the spreadsheet import), the
//! new-deputy page, and recording that a deputy left office.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use liaison_domain::registry::deputy::{DeputyLevel, Gender, PARTIES, parse_ethnicity, parse_party};
use liaison_domain::{Permission, RegionCode};
use liaison_store::registry::deputy::DeputyInput;
use serde::Deserialize;

use super::levels;
use crate::ctx::Staff;
use crate::extract::{Form, Path};
use crate::layout::Page;
use crate::pages::regions::{Picker, PickerMode, render_picker, render_picker_as};
use crate::{AppState, WebError};

#[derive(Deserialize, Default, Clone)]
pub struct DeputyForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub birth_year: String,
    #[serde(default)]
    pub party: String,
    #[serde(default)]
    pub occupation: String,
    #[serde(default)]
    pub employer: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub congress_region: String,
    #[serde(default)]
    pub term: String,
    #[serde(default)]
    pub constituency: String,
    #[serde(default)]
    pub constituency_region: String,
    #[serde(default)]
    pub deputy_group: String,
    #[serde(default)]
    pub expert_group: String,
    /// "选下级" was pressed on a region picker (no JavaScript): show the form again, as typed.
    #[serde(default, rename = "_drill")]
    pub drill: String,
}

impl DeputyForm {
    /// Accepts the words a clerk types (男/女, 藏/藏族, 县/县人大代表 …); every problem in Chinese.
    pub fn parse(&self) -> Result<DeputyInput, Vec<(&'static str, String)>> {
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let region = |s: &str,
                      field: &'static str,
                      label: &str,
                      errors: &mut Vec<(&'static str, String)>|
         -> Option<RegionCode> {
            match RegionCode::parse(s) {
                Ok(r) => Some(r),
                Err(_) => {
                    errors.push((field, format!("{label}应为 2～12 位行政区划代码")));
                    None
                }
            }
        };
        let ethnicity = match self.ethnicity.trim() {
            "" => String::new(),
            e => parse_ethnicity(e).map(str::to_owned).unwrap_or_else(|| {
                errors.push((
                    "ethnicity",
                    format!("民族“{e}”无法识别，应为 56 个民族之一（如“藏族”）或“其他”"),
                ));
                String::new()
            }),
        };
        let party = match self.party.trim() {
            "" => String::new(),
            p => parse_party(p).map(str::to_owned).unwrap_or_else(|| {
                errors.push((
                    "party",
                    format!("政治面貌“{p}”无法识别，应为：{}", PARTIES.join("、")),
                ));
                String::new()
            }),
        };
        let birth_year = match self.birth_year.trim() {
            "" => None,
            y => y.parse::<i32>().ok().or_else(|| {
                errors.push(("birth_year", "出生年份应为 4 位数字".into()));
                None
            }),
        };
        let input = DeputyInput {
            name: self.name.trim().to_owned(),
            gender: Gender::parse(&self.gender),
            ethnicity,
            birth_year,
            party,
            occupation: self.occupation.trim().to_owned(),
            employer: self.employer.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            level: DeputyLevel::parse(&self.level).or_else(|| DeputyLevel::from_label(&self.level)),
            congress_region: region(
                &self.congress_region,
                "congress_region",
                "选举产生的人大",
                &mut errors,
            ),
            term: self
                .term
                .trim()
                .trim_start_matches('第')
                .trim_end_matches('届')
                .parse()
                .ok(),
            constituency: self.constituency.trim().to_owned(),
            constituency_region: region(
                &self.constituency_region,
                "constituency_region",
                "选区所在行政区",
                &mut errors,
            ),
            deputy_group: self.deputy_group.trim().to_owned(),
            expert_group: self.expert_group.trim().to_owned(),
        };
        let known_bad: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        errors.extend(
            input
                .validate()
                .into_iter()
                .filter(|(f, _)| !known_bad.contains(f)),
        );
        if errors.is_empty() { Ok(input) } else { Err(errors) }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/deputy_form.html")]
pub struct FormPage {
    pub(super) page: Page,
    /// Where the form posts: `/deputies` to register, `/deputies/{id}` to save an edit.
    pub(super) action: String,
    /// Editing: an empty phone keeps the number on file (it is not shown here).
    pub(super) editing: bool,
    pub(super) form: DeputyForm,
    pub(super) levels: Vec<(&'static str, &'static str)>,
    pub(super) errors: Vec<String>,
    /// The electing congress (the caller's region, above or below) and the constituency's region.
    pub(super) congress_picker: Picker,
    pub(super) constituency_picker: Picker,
}

/// The deputy form, registering (`id` None) or editing.
pub(super) async fn form_page(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    form: DeputyForm,
    errors: Vec<String>,
) -> Result<FormPage, WebError> {
    let root = Some(&staff.scope.region);
    let congress_picker = render_picker_as(
        state,
        root,
        "congress_region",
        &form.congress_region,
        PickerMode::Above,
    )
    .await?;
    let constituency_picker =
        render_picker(state, root, "constituency_region", &form.constituency_region).await?;
    let (title, action) = match id {
        Some(id) => ("编辑代表信息", format!("/deputies/{id}")),
        None => ("登记代表", "/deputies".to_owned()),
    };
    Ok(FormPage {
        page: Page::new(&staff.ctx, title, "/deputies"),
        action,
        editing: id.is_some(),
        form,
        levels: levels(),
        errors,
        congress_picker,
        constituency_picker,
    })
}

pub async fn new_form(State(state): State<AppState>, staff: Staff) -> Result<FormPage, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let short = staff.scope.region.short().to_owned();
    let form = DeputyForm {
        congress_region: short.clone(),
        constituency_region: short,
        level: "county".into(),
        ..Default::default()
    };
    form_page(&state, &staff, None, form, vec![]).await
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<DeputyForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    if !f.drill.is_empty() {
        return Ok(form_page(&state, &staff, None, f, vec![]).await?.into_response());
    }
    let errors = match f.parse() {
        Ok(input) => match state
            .store
            .upsert_deputy(&staff.scope, &staff.actor(), &input)
            .await
        {
            Ok((id, _)) => return Ok(Redirect::to(&format!("/deputies/{id}?done=saved")).into_response()),
            Err(liaison_store::StoreError::OutOfScope) => vec!["选区所在行政区不在您的管辖范围内".to_owned()],
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors.into_iter().map(|(_, m)| m).collect(),
    };
    let page = form_page(&state, &staff, None, f, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Deserialize)]
pub struct LeaveForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    reason: String,
}

pub async fn leave(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<LeaveForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let on = NaiveDate::parse_from_str(f.on.trim(), "%Y-%m-%d")
        .map_err(|_| WebError::invalid("on", "离任日期应为 年-月-日，如 2026-11-22"))?;
    let reason = f.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(WebError::invalid("reason", "请填写离任原因（不超过 200 字）"));
    }
    state
        .store
        .leave_office(&staff.scope, &staff.actor(), id, on, reason)
        .await?;
    Ok(Redirect::to(&format!("/deputies/{id}?done=left")).into_response())
}
