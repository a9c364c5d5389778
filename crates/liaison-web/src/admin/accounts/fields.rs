//! The account form's fields, shared by the new-account page and the detail page: the role
//! choices, the bindings offered (the deputies narrowed by a search on the server), a refusal shown
//! next to its field, and the form filled from an account as it is or as proposed.

use askama::Template;
use liaison_domain::account::admin::{Duty, Refusal};
use liaison_domain::{RegionCode, Role};
use liaison_store::account::{Account, AccountRequest};

use super::AccountForm;
use crate::ctx::Staff;
use crate::pages::regions::{Picker, render_picker};
use crate::{AppState, WebError};

/// A rule's refusal, next to the field it concerns.
#[derive(Default)]
pub(super) struct FieldErrors {
    roles: Option<String>,
    region: Option<String>,
    binding: Option<String>,
}

impl FieldErrors {
    pub(super) fn from(r: Refusal, general: &mut Vec<String>) -> FieldErrors {
        let mut f = FieldErrors::default();
        match r.field() {
            Some("roles") => f.roles = Some(r.to_string()),
            Some("region") => f.region = Some(r.to_string()),
            Some("binding") => f.binding = Some(r.to_string()),
            _ => general.push(r.to_string()),
        }
        f
    }
}

/// One role checkbox: (code, label, checked, takes effect only when granted).
type RoleChoice = (&'static str, &'static str, bool, bool);

/// The create/edit form itself, shared by the "new" page and the detail page.
#[derive(Template)]
#[template(path = "admin/account_fields.html")]
struct AccountFields<'a> {
    csrf: &'a str,
    id: Option<i64>,
    form: &'a AccountForm,
    picker: Picker,
    all_roles: Vec<RoleChoice>,
    /// An administrator's account: its role, shown as fixed (its region and bindings are fixed too).
    admin_role: Option<&'static str>,
    region_name: String,
    errors: &'a [String],
    field: FieldErrors,
    /// What waits for the security administrator's grant on this account.
    pending: Option<String>,
    units: Vec<(i64, String)>,
    stations: Vec<(i64, String)>,
    persons: Vec<(i64, String)>,
}

/// The roles offered: every role for a new account, the business roles for an existing one (an
/// administrator's role is given only with a new account).
fn role_choices(chosen: &[String], creating: bool) -> Vec<RoleChoice> {
    Role::ALL
        .iter()
        .filter(|r| creating || !r.is_admin())
        .map(|r| {
            (
                r.as_str(),
                r.label(),
                chosen.iter().any(|c| c == r.as_str()),
                r.reads_personal_data() || r.is_admin(),
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn fields_html(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    form: &AccountForm,
    errors: &[String],
    field: FieldErrors,
    admin_role: Option<Role>,
    pending: Option<String>,
) -> Result<String, WebError> {
    let picker = render_picker(state, Some(&staff.scope.region), "region", &form.region).await?;
    let (units, stations, persons) = if admin_role.is_some() {
        (vec![], vec![], vec![])
    } else {
        let (units, stations) = state.store.binding_choices(&staff.scope).await?;
        let persons = state.store.person_choices(&staff.scope).await?;
        (units, stations, narrow(persons, &form.person_q, &form.person_id))
    };
    let region_name = match RegionCode::parse(&form.region) {
        Ok(code) => state
            .store
            .region(&code)
            .await?
            .map(|r| r.name)
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    let fields = AccountFields {
        csrf: &staff.ctx.csrf,
        id,
        form,
        picker,
        all_roles: role_choices(&form.roles, id.is_none()),
        admin_role: admin_role.map(Role::label),
        region_name,
        errors,
        field,
        pending,
        units,
        stations,
        persons,
    };
    fields.render().map_err(|e| WebError::Internal(e.to_string()))
}

/// The edit form of the detail page, filled with the account as it is, or as proposed while a grant
/// is pending (so saving it again does not take the proposal back).
pub(super) async fn edit_fields(
    state: &AppState,
    staff: &Staff,
    account: &Account,
    open: Option<&AccountRequest>,
) -> Result<String, WebError> {
    let proposal = open.filter(|r| r.kind == "access");
    let id_text = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let short = |code: &str| {
        RegionCode::parse(code)
            .map(|r| r.short().to_owned())
            .unwrap_or_default()
    };
    let form = match proposal {
        Some(p) => AccountForm {
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            region: short(p.region_code.as_deref().unwrap_or(&account.region_code)),
            roles: p.proposed_roles().iter().map(|r| r.as_str().to_owned()).collect(),
            unit_id: id_text(p.unit_id),
            station_id: id_text(p.station_id),
            person_id: id_text(p.person_id),
            ..Default::default()
        },
        None => AccountForm {
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            region: short(&account.region_code),
            roles: account.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            unit_id: id_text(account.unit_id),
            station_id: id_text(account.station_id),
            person_id: id_text(account.person_id),
            ..Default::default()
        },
    };
    let pending = proposal.map(|p| {
        let roles: Vec<&str> = p.proposed_roles().iter().map(|r| r.label()).collect();
        format!(
            "{} 于 {} 提出的变更（角色：{}）正等待安全管理员授权，授权后生效；下方显示的是提出的内容。",
            p.requester,
            crate::layout::local_time(&p.requested_at),
            roles.join("、")
        )
    });
    let admin_role = Duty::of(&account.roles).role();
    fields_html(
        state,
        staff,
        Some(account.id),
        &form,
        &[],
        FieldErrors::default(),
        admin_role,
        pending,
    )
    .await
}

/// The deputies whose name or village contains `q` (all when it is empty), keeping the one chosen.
fn narrow(persons: Vec<(i64, String)>, q: &str, chosen: &str) -> Vec<(i64, String)> {
    let q = q.trim();
    if q.is_empty() {
        return persons;
    }
    persons
        .into_iter()
        .filter(|(id, label)| label.contains(q) || id.to_string() == chosen.trim())
        .collect()
}
