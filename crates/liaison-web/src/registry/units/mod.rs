//! 承办单位: list and register handling units of one's subtree.

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
    Ok(UnitsPage {
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
    let mut errors = Vec::new();
    match RegionCode::parse(&f.region) {
        Ok(region) => {
            let input = UnitInput {
                region,
                name: f.name.trim().to_owned(),
                kind: f.kind.clone(),
                phone: f.phone.trim().to_owned(),
            };
            errors = input.validate();
            if errors.is_empty() {
                match state
                    .store
                    .upsert_unit(&staff.scope, &staff.actor(), &input)
                    .await
                {
                    Ok(_) => return Ok(Redirect::to("/units?done=saved").into_response()),
                    Err(liaison_store::StoreError::OutOfScope) => {
                        errors.push("所属行政区不在您的管辖范围内".into())
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Err(e) => errors.push(e.to_string()),
    }
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        page(&state, &staff, String::new(), f, errors, None).await?,
    )
        .into_response())
}
