//! Editing a handling unit: name, kind, region and public phone, checked like a registration.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::{Permission, RegionCode};
use liaison_store::StoreError;
use liaison_store::registry::unit::UNIT_KINDS;

use super::UnitForm;
use crate::ctx::Staff;
use crate::extract::{Form, Path};
use crate::layout::Page;
use crate::pages::regions::{Picker, render_picker};
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "registry/unit_form.html")]
pub struct EditPage {
    page: Page,
    id: i64,
    form: UnitForm,
    kinds: &'static [(&'static str, &'static str)],
    errors: Vec<String>,
    picker: Picker,
}

async fn edit_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    form: UnitForm,
    errors: Vec<String>,
) -> Result<EditPage, WebError> {
    let picker = render_picker(state, Some(&staff.scope.region), "region", &form.region).await?;
    Ok(EditPage {
        page: Page::new(&staff.ctx, "编辑承办单位", "/units"),
        id,
        form,
        kinds: &UNIT_KINDS,
        errors,
        picker,
    })
}

/// `GET /units/{id}/edit`
pub async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<EditPage, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let u = state.store.unit(&staff.scope, id).await?;
    let form = UnitForm {
        region: RegionCode::parse(&u.region_code)
            .map(|r| r.short().to_owned())
            .unwrap_or_default(),
        name: u.name,
        kind: u.kind,
        phone: u.phone,
        drill: String::new(),
    };
    edit_page(&state, &staff, id, form, vec![]).await
}

/// `POST /units/{id}`: saves the edit, or shows the form again with every problem.
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<UnitForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    state.store.unit(&staff.scope, id).await?;
    if !f.drill.is_empty() {
        return Ok(edit_page(&state, &staff, id, f, vec![]).await?.into_response());
    }
    let errors = match f.parse() {
        Ok(input) => match state
            .store
            .update_unit(&staff.scope, &staff.actor(), id, &input)
            .await
        {
            Ok(()) => return Ok(Redirect::to("/units?done=saved").into_response()),
            Err(StoreError::OutOfScope) => vec!["所属行政区不在您的管辖范围内".into()],
            Err(StoreError::Conflict(_)) => vec!["该行政区已有同名承办单位".into()],
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        edit_page(&state, &staff, id, f, errors).await?,
    )
        .into_response())
}
