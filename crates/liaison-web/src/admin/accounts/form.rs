//! The account form: the new-account page and the edit form on the detail page, parsing what was
//! typed, checking it against the rule (三员分立: a refusal is shown next to its field), and creating
//! or updating the account; the fields themselves are in `fields`. Roles that read personal data are
//! marked: they take effect when the security administrator grants them.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::account::admin::{self, Change, Duty, Party};
use liaison_domain::password::{hash_password, validate_display_name, validate_username};
use liaison_domain::token::random_password;
use liaison_domain::{Permission, RegionCode, Role};
use liaison_store::account::{Account, AccountChange, Done, NewAccount};

use super::fields::{FieldErrors, fields_html};
use super::{AccountForm, CreatedPage, me};
use crate::ctx::Staff;
use crate::extract::{MultiForm, Path};
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "admin/account_form.html")]
pub struct FormPage {
    page: Page,
    fields: String,
}

pub async fn new_form(State(state): State<AppState>, staff: Staff) -> Result<FormPage, WebError> {
    staff.require(Permission::ManageAccounts)?;
    let form = AccountForm {
        region: staff.scope.region.short().to_owned(),
        ..Default::default()
    };
    form_page(&state, &staff, None, None, form, vec![], FieldErrors::default()).await
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    account: Option<&Account>,
    form: AccountForm,
    errors: Vec<String>,
    field: FieldErrors,
) -> Result<FormPage, WebError> {
    let title = if id.is_some() {
        "编辑账号"
    } else {
        "新建账号"
    };
    let admin_role = account.and_then(|a| Duty::of(&a.roles).role());
    Ok(FormPage {
        page: Page::new(&staff.ctx, title, "/admin/accounts"),
        fields: fields_html(state, staff, id, &form, &errors, field, admin_role, None).await?,
    })
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
    roles.sort();
    roles.dedup();
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

fn unprocessable(page: FormPage) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    MultiForm(f): MultiForm<AccountForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageAccounts)?;
    if !f.drill.is_empty() {
        let page = form_page(&state, &staff, None, None, f, vec![], FieldErrors::default()).await?;
        return Ok(page.into_response());
    }
    let p = match parse(&staff, &f, true) {
        Ok(p) => p,
        Err(errors) => {
            let page = form_page(&state, &staff, None, None, f, errors, FieldErrors::default()).await?;
            return Ok(unprocessable(page));
        }
    };
    // what the rule refuses whoever else holds the role (`founding` changes only now or later)
    if let Err(r) = admin::decide_create(me(&staff), &p.roles, false) {
        let mut errors = vec![];
        let field = FieldErrors::from(r, &mut errors);
        let page = form_page(&state, &staff, None, None, f, errors, field).await?;
        return Ok(unprocessable(page));
    }
    let password = random_password();
    let pending: Vec<&str> = p
        .roles
        .iter()
        .filter(|r| r.reads_personal_data() || r.is_admin())
        .map(|r| r.label())
        .collect();
    let new = NewAccount {
        username: f.username.trim().to_owned(),
        display_name: f.display_name.trim().to_owned(),
        region: p.region,
        roles: p.roles.clone(),
        unit_id: p.unit_id,
        station_id: p.station_id,
        person_id: p.person_id,
        password_hash: hash_password(&password)?,
        must_change_password: true,
    };
    let username = new.username.clone();
    let id = match state
        .store
        .create_account(&staff.scope, &staff.actor(), new)
        .await
    {
        Ok(id) => id,
        Err(e @ (liaison_store::StoreError::Conflict(_) | liaison_store::StoreError::Refused(_))) => {
            let errors = vec![WebError::from(e).to_string()];
            let page = form_page(&state, &staff, None, None, f, errors, FieldErrors::default()).await?;
            return Ok(unprocessable(page));
        }
        Err(e) => return Err(e.into()),
    };
    let waiting = !state.store.open_requests_of(&staff.scope, id).await?.is_empty();
    let admin_account = p.roles.iter().any(|r| r.is_admin());
    let pending = waiting.then(|| {
        if admin_account {
            format!(
                "“{}”角色须经安全管理员授权；授权时生成初始密码，交给授权人转交本人。",
                pending.join("、")
            )
        } else {
            format!(
                "“{}”角色须经安全管理员授权后生效；在此之前该账号登录后没有这些角色。",
                pending.join("、")
            )
        }
    });
    Ok(CreatedPage {
        page: Page::new(&staff.ctx, "账号已创建", "/admin/accounts"),
        id,
        username,
        // an administrator's account waiting for its grant gets its password from whoever grants it
        password: (!(waiting && admin_account)).then_some(password),
        pending,
        account_links: true,
    }
    .into_response())
}

pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    MultiForm(f): MultiForm<AccountForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageAccounts)?;
    // look it up first, so an id outside the caller's subtree is a 404 before anything else
    let account = state.store.account(&staff.scope, id).await?;
    if !f.drill.is_empty() {
        let page = form_page(
            &state,
            &staff,
            Some(id),
            Some(&account),
            f,
            vec![],
            FieldErrors::default(),
        )
        .await?;
        return Ok(page.into_response());
    }
    let p = match parse(&staff, &f, false) {
        Ok(p) => p,
        Err(errors) => {
            let page = form_page(
                &state,
                &staff,
                Some(id),
                Some(&account),
                f,
                errors,
                FieldErrors::default(),
            )
            .await?;
            return Ok(unprocessable(page));
        }
    };
    // the rule, part by part, so a refusal is shown next to its field; the store checks it again
    let before = RegionCode::parse(&account.region_code).ok();
    let mut current = account.roles.clone();
    current.sort();
    let change = Change {
        renamed: account.display_name != f.display_name.trim(),
        roles: (current != p.roles).then_some(&p.roles[..]),
        region: before
            .as_ref()
            .filter(|b| **b != p.region)
            .map(|b| !b.contains(&p.region)),
        rebound: (account.unit_id, account.station_id, account.person_id)
            != (p.unit_id, p.station_id, p.person_id),
    };
    let target = Party {
        id,
        roles: &account.roles,
    };
    if let Err(r) = admin::decide_change(me(&staff), target, change) {
        let mut errors = vec![];
        let field = FieldErrors::from(r, &mut errors);
        let page = form_page(&state, &staff, Some(id), Some(&account), f, errors, field).await?;
        return Ok(unprocessable(page));
    }
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
        Ok(Done::Applied) => Ok(Redirect::to(&format!("/admin/accounts/{id}?done=saved")).into_response()),
        Ok(Done::Requested(_)) => {
            Ok(Redirect::to(&format!("/admin/accounts/{id}?done=proposed")).into_response())
        }
        Err(e @ (liaison_store::StoreError::Conflict(_) | liaison_store::StoreError::Refused(_))) => {
            let errors = vec![WebError::from(e).to_string()];
            let page = form_page(
                &state,
                &staff,
                Some(id),
                Some(&account),
                f,
                errors,
                FieldErrors::default(),
            )
            .await?;
            Ok(unprocessable(page))
        }
        Err(e) => Err(e.into()),
    }
}
