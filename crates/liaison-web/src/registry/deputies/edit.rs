//! Editing a deputy's record and mandate: the registration form filled from the record, parsed by
//! the same rules as a registration or an imported row (`DeputyForm::parse`), saved and audited.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::{Permission, RegionCode};
use liaison_store::StoreError;
use liaison_store::registry::deputy::Deputy;

use super::register::{DeputyForm, FormPage, form_page};
use crate::ctx::Staff;
use crate::extract::{Form, Path};
use crate::{AppState, WebError};

impl DeputyForm {
    /// The form of a saved deputy; the phone stays empty (kept unless a new one is typed).
    pub fn of(d: &Deputy) -> DeputyForm {
        let short = |code: &str| {
            RegionCode::parse(code)
                .map(|r| r.short().to_owned())
                .unwrap_or_default()
        };
        DeputyForm {
            name: d.name.clone(),
            gender: d.gender.clone(),
            ethnicity: d.ethnicity.clone(),
            birth_year: d.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            party: d.party.clone(),
            occupation: d.occupation.clone(),
            employer: d.employer.clone(),
            phone: String::new(),
            level: d.level.clone(),
            congress_region: short(&d.congress_region),
            term: d.term.to_string(),
            constituency: d.constituency.clone(),
            constituency_region: short(&d.constituency_region),
            deputy_group: d.deputy_group.clone(),
            expert_group: d.expert_group.clone(),
            drill: String::new(),
        }
    }
}

/// `GET /deputies/{id}/edit`: the record and mandate in the registration form.
pub async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<FormPage, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let d = state.store.deputy(&staff.scope, id).await?;
    form_page(&state, &staff, Some(id), DeputyForm::of(&d), vec![]).await
}

/// `POST /deputies/{id}`: saves the edit, or shows the form again with every problem.
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<DeputyForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    state.store.deputy(&staff.scope, id).await?;
    if !f.drill.is_empty() {
        return Ok(form_page(&state, &staff, Some(id), f, vec![])
            .await?
            .into_response());
    }
    let errors = match f.parse() {
        Ok(input) => match state
            .store
            .update_deputy(&staff.scope, &staff.actor(), id, &input)
            .await
        {
            Ok(()) => return Ok(Redirect::to(&format!("/deputies/{id}?done=saved")).into_response()),
            Err(StoreError::OutOfScope) => vec!["选区所在行政区不在您的管辖范围内".to_owned()],
            Err(StoreError::Conflict(_)) => {
                vec!["此人已有同一层级、同一人大、同一届次的代表资格".to_owned()]
            }
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors.into_iter().map(|(_, m)| m).collect(),
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        form_page(&state, &staff, Some(id), f, errors).await?,
    )
        .into_response())
}
