//! 双联系 on the deputy page: linked households and their meetings; standing-committee members'
//! links to deputies and theirs.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use liaison_domain::{Permission, RegionCode};
use liaison_store::registry::household::HouseholdDetail;
use serde::Deserialize;

use super::deputies::detail_with;
use crate::ctx::Staff;
use crate::extract::{Form, Path};
use crate::{AppState, WebError};

#[derive(Deserialize, Default, Clone)]
pub struct HouseholdForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub address: String,
    /// "选下级" was pressed on the region picker (no JavaScript): show the form again, as typed.
    #[serde(default, rename = "_drill")]
    pub drill: String,
}

/// The household form as typed and what was wrong with it, shown again on the deputy's page.
#[derive(Default)]
pub struct HouseholdDraft {
    pub form: HouseholdForm,
    pub errors: Vec<String>,
}

impl HouseholdDraft {
    fn errors(errors: Vec<String>) -> HouseholdDraft {
        HouseholdDraft {
            form: HouseholdForm::default(),
            errors,
        }
    }
}

/// `POST /deputies/{id}/households`: links a household to the deputy.
pub async fn add_household(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<HouseholdForm>,
) -> Result<Response, WebError> {
    use liaison_domain::registry::household::HouseholdKind;
    staff.require(Permission::ManageRegistry)?;
    let d = state.store.deputy(&staff.scope, id).await?;
    if !f.drill.is_empty() {
        let draft = HouseholdDraft {
            form: f,
            errors: vec![],
        };
        let page = detail_with(&state, &staff, id, None, None, draft, HouseholdDetail::List).await?;
        return Ok(page.into_response());
    }
    let mut errors = Vec::new();
    let kind = HouseholdKind::parse(&f.kind);
    if kind.is_none() {
        errors.push("请选择联系户类别".to_owned());
    }
    let name = f.name.trim();
    if name.is_empty() || name.chars().count() > 30 {
        errors.push("联系户姓名不能为空，且不超过 30 个字".to_owned());
    }
    // a phone typed in any writing is kept as its digits, like a citizen's
    let phone = match liaison_domain::personal::Phone::parse(&f.phone) {
        Ok(p) => p
            .map(|p| p.into_personal().expose().to_owned())
            .unwrap_or_default(),
        Err(_) => {
            errors.push("联系电话应为 7～12 位数字".to_owned());
            String::new()
        }
    };
    let region = RegionCode::parse(&f.region)
        .map_err(|e| errors.push(e.to_string()))
        .ok();
    if region.as_ref().is_some_and(|r| !staff.scope.covers(r)) {
        errors.push("联系户所在地不在您的管辖范围内".to_owned());
    }
    if f.address.chars().count() > 120 {
        errors.push("地址不能超过 120 个字".to_owned());
    }
    if let (Some(kind), Some(region), true) = (kind, region, errors.is_empty()) {
        let input = liaison_store::registry::household::HouseholdInput {
            kind,
            name: name.to_owned(),
            phone,
            region,
            address: f.address.trim().to_owned(),
        };
        match state
            .store
            .add_household(&staff.scope, &staff.actor(), d.person_id, &input)
            .await
        {
            Ok(_) => {
                return Ok(Redirect::to(&format!("/deputies/{id}?done=saved#households")).into_response());
            }
            Err(liaison_store::StoreError::OutOfScope) => {
                errors.push("联系户所在地不在您的管辖范围内".into())
            }
            Err(e) => return Err(e.into()),
        }
    }
    let draft = HouseholdDraft { form: f, errors };
    let page = detail_with(&state, &staff, id, None, None, draft, HouseholdDetail::List).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    household: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    note: String,
}

/// `POST /deputies/{id}/households/meeting`: records a meeting with one of the deputy's households.
pub async fn log_meeting(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, WebError> {
    let d = state.store.deputy(&staff.scope, id).await?;
    let mut errors = Vec::new();
    let household = f.household.trim().parse::<i64>().ok();
    let households = state.store.household_ids(&staff.scope, d.person_id).await?;
    if !household.is_some_and(|h| households.contains(&h)) {
        errors.push("请选择联系户".to_owned());
    }
    let today = liaison_domain::time::today();
    let on = match NaiveDate::parse_from_str(f.on.trim(), "%Y-%m-%d") {
        Ok(on) if on <= today => Some(on),
        Ok(_) => {
            errors.push("见面日期不能晚于今天".to_owned());
            None
        }
        Err(_) => {
            errors.push("见面日期应为 年-月-日，如 2026-11-22".to_owned());
            None
        }
    };
    if f.note.chars().count() > 500 {
        errors.push("情况记录不能超过 500 字".to_owned());
    }
    if let (Some(h), Some(on), true) = (household, on, errors.is_empty()) {
        state
            .store
            .log_household_meeting(&staff.scope, &staff.actor(), d.person_id, h, on, f.note.trim())
            .await?;
        return Ok(Redirect::to(&format!("/deputies/{id}?done=saved#households")).into_response());
    }
    let page = detail_with(
        &state,
        &staff,
        id,
        None,
        None,
        HouseholdDraft::errors(errors),
        HouseholdDetail::List,
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Deserialize)]
pub struct CommitteeForm {
    #[serde(default)]
    member: String,
}

/// `POST /deputies/{id}/committee`: a standing-committee member (chosen by one of their mandates) links this deputy.
pub async fn link_committee(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<CommitteeForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let d = state.store.deputy(&staff.scope, id).await?;
    let member_mandate = f
        .member
        .trim()
        .parse::<i64>()
        .map_err(|_| WebError::invalid("member", "请选择常委会组成人员"))?;
    let member = state.store.deputy(&staff.scope, member_mandate).await?;
    state
        .store
        .link_committee_member(&staff.scope, &staff.actor(), member.person_id, d.person_id)
        .await?;
    Ok(Redirect::to(&format!("/deputies/{id}?done=saved#committee")).into_response())
}

#[derive(Deserialize)]
pub struct LinkMeetingForm {
    #[serde(default)]
    link: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    note: String,
}

/// `POST /deputies/{id}/committee/meeting`: records a meeting on one of this person's links.
pub async fn committee_meeting(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<LinkMeetingForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let d = state.store.deputy(&staff.scope, id).await?;
    let links = state.store.committee_links(&staff.scope, d.person_id).await?;
    let link = f
        .link
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|l| links.iter().any(|x| x.id == *l));
    let link = link.ok_or_else(|| WebError::invalid("link", "请选择联系对象"))?;
    let today = liaison_domain::time::today();
    let on = NaiveDate::parse_from_str(f.on.trim(), "%Y-%m-%d")
        .ok()
        .filter(|on| *on <= today)
        .ok_or_else(|| WebError::invalid("on", "见面日期应为不晚于今天的 年-月-日"))?;
    if f.note.chars().count() > 500 {
        return Err(WebError::invalid("note", "情况记录不能超过 500 字"));
    }
    state
        .store
        .log_committee_meeting(&staff.scope, &staff.actor(), link, on, f.note.trim())
        .await?;
    Ok(Redirect::to(&format!("/deputies/{id}?done=saved#committee")).into_response())
}
