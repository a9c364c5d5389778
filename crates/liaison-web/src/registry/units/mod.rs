//! 承办单位: list, register and edit handling units of one's subtree.

mod edit;

pub use edit::{edit_form, update};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::{Permission, RegionCode};
use liaison_store::registry::unit::{HandlingUnit, UNIT_KINDS, UnitInput};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Form, Query};
use crate::layout::Page;
use crate::pages::regions::{Picker, render_picker};
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "registry/units.html")]
pub struct UnitsPage {
    page: Page,
    rows: Vec<HandlingUnit>,
    q: String,
    kinds: &'static [(&'static str, &'static str)],
    form: UnitForm,
    errors: Vec<String>,
    can_manage: bool,
    picker: Picker,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    done: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct UnitForm {
    #[serde(default)]
    region: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    phone: String,
    /// "选下级" was pressed (no JavaScript): show the form again with the region's children.
    #[serde(default, rename = "_drill")]
    drill: String,
}

impl UnitForm {
    /// The typed unit, or every problem in Chinese (the rules `UnitInput::validate` also applies to
    /// an imported row).
    fn parse(&self) -> Result<UnitInput, Vec<String>> {
        let region = RegionCode::parse(&self.region).map_err(|e| vec![e.to_string()])?;
        let input = UnitInput {
            region,
            name: self.name.trim().to_owned(),
            kind: self.kind.clone(),
            phone: self.phone.trim().to_owned(),
        };
        let errors = input.validate();
        if errors.is_empty() { Ok(input) } else { Err(errors) }
    }
}

async fn page(
    state: &AppState,
    staff: &Staff,
    q: String,
    form: UnitForm,
    errors: Vec<String>,
    done: Option<&str>,
) -> Result<UnitsPage, WebError> {
    let rows = state
        .store
        .units(&staff.scope, (!q.is_empty()).then_some(q.as_str()), None, 500)
        .await?;
    let picker = render_picker(state, Some(&staff.scope.region), "region", &form.region).await?;
    Ok(UnitsPage {
        picker,
        page: Page::new(&staff.ctx, "承办单位", "/units").notice(done),
        rows,
        q,
        kinds: &UNIT_KINDS,
        form,
        errors,
        can_manage: staff.scope.can(Permission::ManageRegistry),
    })
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(lq): Query<ListQuery>,
) -> Result<UnitsPage, WebError> {
    staff.require(Permission::ViewRegistry)?;
    let form = UnitForm {
        region: staff.scope.region.short().to_owned(),
        kind: "department".into(),
        ..Default::default()
    };
    let q = lq.q.trim().chars().take(30).collect();
    page(&state, &staff, q, form, vec![], lq.done.as_deref()).await
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<UnitForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    if !f.drill.is_empty() {
        return Ok(page(&state, &staff, String::new(), f, vec![], None)
            .await?
            .into_response());
    }
    let errors = match f.parse() {
        Ok(input) => match state
            .store
            .upsert_unit(&staff.scope, &staff.actor(), &input)
            .await
        {
            Ok(_) => return Ok(Redirect::to("/units?done=saved").into_response()),
            Err(liaison_store::StoreError::OutOfScope) => vec!["所属行政区不在您的管辖范围内".into()],
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        page(&state, &staff, String::new(), f, errors, None).await?,
    )
        .into_response())
}
