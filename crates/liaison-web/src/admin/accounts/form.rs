//! The account form: the new-account page and the edit form on the detail page, parsing what was
//! typed, and creating or updating the account.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::password::{hash_password, validate_display_name, validate_username};
use liaison_domain::token::random_password;
use liaison_domain::{Permission, RegionCode, Role};
use liaison_store::account::{AccountChange, NewAccount};

use super::{AccountForm, CreatedPage};
use crate::ctx::Staff;
use crate::extract::{MultiForm, Path};
use crate::layout::Page;
use crate::pages::regions::{Picker, render_picker};
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "admin/account_form.html")]
pub struct FormPage {
    page: Page,
    fields: String,
}

/// The create/edit form itself, shared by the "new" page and the detail page.
#[derive(Template)]
#[template(path = "admin/account_fields.html")]
struct AccountFields<'a> {
    csrf: &'a str,
    id: Option<i64>,
    form: &'a AccountForm,
    picker: Picker,
    all_roles: Vec<(&'static str, &'static str, bool)>,
    errors: &'a [String],
    units: Vec<(i64, String)>,
    stations: Vec<(i64, String)>,
    persons: Vec<(i64, String)>,
}

fn role_choices(chosen: &[String]) -> Vec<(&'static str, &'static str, bool)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str(), r.label(), chosen.iter().any(|c| c == r.as_str())))
        .collect()
}

pub async fn new_form(State(state): State<AppState>, staff: Staff) -> Result<FormPage, WebError> {
    staff.require(Permission::ManageAccounts)?;
    let form = AccountForm {
        region: staff.scope.region.short().to_owned(),
        ..Default::default()
    };
    form_page(&state, &staff, None, form, vec![]).await
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    form: AccountForm,
    errors: Vec<String>,
) -> Result<FormPage, WebError> {
    let title = if id.is_some() {
        "编辑账号"
    } else {
        "新建账号"
    };
    Ok(FormPage {
        page: Page::new(&staff.ctx, title, "/admin/accounts"),
        fields: fields_html(state, staff, id, &form, &errors).await?,
    })
}

pub(super) async fn fields_html(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    form: &AccountForm,
    errors: &[String],
) -> Result<String, WebError> {
    let picker = render_picker(state, Some(&staff.scope.region), "region", &form.region).await?;
    let (units, stations) = state.store.binding_choices(&staff.scope).await?;
    let persons = state.store.person_choices(&staff.scope).await?;
    let fields = AccountFields {
        csrf: &staff.ctx.csrf,
        id,
        form,
        picker,
        all_roles: role_choices(&form.roles),
        errors,
        units,
        stations,
        persons,
    };
    fields.render().map_err(|e| WebError::Internal(e.to_string()))
}

struct Parsed {
    region: RegionCode,
    roles: Vec<Role>,
    unit_id: Option<i64>,
    station_id: Option<i64>,
    person_id: Option<i64>,
}

/// Parses the form; every problem is reported at once, in Chinese.
fn parse(staff: &Staff, f: &AccountForm, check_username: bool) -> Result<Parsed, Vec<String>> {
    let mut errors = Vec::new();
    if check_username && let Err(e) = validate_username(f.username.trim()) {
        errors.push(e.to_string());
    }
    if let Err(e) = validate_display_name(&f.display_name) {
        errors.push(e.to_string());
    }
    let region = match RegionCode::parse(&f.region) {
        Ok(r) if staff.scope.covers(&r) => Some(r),
        Ok(_) => {
            errors.push("所属行政区不在您的管辖范围内".to_owned());
            None
        }
        Err(e) => {
            errors.push(e.to_string());
            None
        }
    };
    let mut roles = Vec::new();
    for r in &f.roles {
        match Role::parse(r) {
            Ok(r) => roles.push(r),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if let Err(e) = liaison_domain::role::validate_role_set(&roles) {
        errors.push(e.to_string());
    }
    let id_field = |s: &str, label: &str, errors: &mut Vec<String>| -> Option<i64> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        match s.parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => {
                errors.push(format!("{label}应为正整数编号"));
                None
            }
        }
    };
    let unit_id = id_field(&f.unit_id, "承办单位", &mut errors);
    let station_id = id_field(&f.station_id, "站点", &mut errors);
    let person_id = id_field(&f.person_id, "代表", &mut errors);
    if roles.contains(&Role::Deputy) && person_id.is_none() {
        errors.push("“人大代表”角色须选择该账号对应的代表".to_owned());
    }
    if roles.contains(&Role::HandlingUnit) && unit_id.is_none() {
        errors.push("“承办单位”角色须选择所属承办单位".to_owned());
    }
    if roles.contains(&Role::StationManager) && station_id.is_none() {
        errors.push("“站室负责人”角色须选择所负责的站点".to_owned());
    }
    match region {
        Some(region) if errors.is_empty() => Ok(Parsed {
            region,
            roles,
            unit_id,
            station_id,
            person_id,
        }),
        _ => Err(errors),
    }
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    MultiForm(f): MultiForm<AccountForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageAccounts)?;
    let p = match parse(&staff, &f, true) {
        Ok(p) => p,
        Err(errors) => {
            let page = form_page(&state, &staff, None, f, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let password = random_password();
    let new = NewAccount {
        username: f.username.trim().to_owned(),
        display_name: f.display_name.trim().to_owned(),
        region: p.region,
        roles: p.roles,
        unit_id: p.unit_id,
        station_id: p.station_id,
        person_id: p.person_id,
        password_hash: hash_password(&password)?,
        must_change_password: true,
    };
    let username = new.username.clone();
    match state
        .store
        .create_account(&staff.scope, &staff.actor(), new)
        .await
    {
        Ok(id) => Ok(CreatedPage {
            page: Page::new(&staff.ctx, "账号已创建", "/admin/accounts"),
            id,
            username,
            password,
        }
        .into_response()),
        Err(e @ liaison_store::StoreError::Conflict(_)) => {
            let page = form_page(&state, &staff, None, f, vec![WebError::from(e).to_string()]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    MultiForm(f): MultiForm<AccountForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageAccounts)?;
    // look it up first, so an id outside the caller's subtree is a 404 before anything else
    state.store.account(&staff.scope, id).await?;
    let p = match parse(&staff, &f, false) {
        Ok(p) => p,
        Err(errors) => {
            let page = form_page(&state, &staff, Some(id), f, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let change = AccountChange {
        display_name: f.display_name.trim().to_owned(),
        region: p.region,
        roles: p.roles,
        unit_id: p.unit_id,
        station_id: p.station_id,
        person_id: p.person_id,
    };
    match state
        .store
        .update_account(&staff.scope, &staff.actor(), id, change)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/admin/accounts/{id}?done=saved")).into_response()),
        Err(e @ liaison_store::StoreError::Conflict(_)) => {
            let page = form_page(&state, &staff, Some(id), f, vec![WebError::from(e).to_string()]).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
