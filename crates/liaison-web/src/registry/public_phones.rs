//! 公开电话: the numbers masking leaves intact in published and masked text — the handling units' and
//! stations' own phones (listed for reference) and the numbers staff add (a hotline, an office).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::personal::Phone;
use liaison_domain::{Permission, RegionCode};
use liaison_store::StoreError;
use liaison_store::registry::public_phone::{LABEL_MAX, PublicPhone, RegistryPhone};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Form, Path, Query};
use crate::layout::Page;
use crate::pages::regions::{Picker, render_picker};
use crate::{AppState, WebError};

/// How many registry numbers the page lists for reference.
const REGISTRY_SHOWN: i64 = 200;

#[derive(Template, WebTemplate)]
#[template(path = "registry/public_phones.html")]
pub struct ListPage {
    page: Page,
    rows: Vec<PublicPhone>,
    registry: Vec<RegistryPhone>,
    form: AddForm,
    errors: Vec<String>,
    can_manage: bool,
    picker: Picker,
}

#[derive(Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    region: String,
    /// "选下级" was pressed on the region picker (no JavaScript): show the form again, as typed.
    #[serde(default, rename = "_drill")]
    drill: String,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    form: AddForm,
    errors: Vec<String>,
    done: Option<&str>,
) -> Result<ListPage, WebError> {
    staff.require(Permission::ViewRegistry)?;
    let picker = render_picker(state, Some(&staff.scope.region), "region", &form.region).await?;
    Ok(ListPage {
        picker,
        page: Page::new(&staff.ctx, "公开电话", "/units").notice(done),
        rows: state.store.public_phone_list(&staff.scope).await?,
        registry: state
            .store
            .registry_public_phones(&staff.scope, REGISTRY_SHOWN)
            .await?,
        form,
        errors,
        can_manage: staff.scope.can(Permission::ManageRegistry),
    })
}

/// `GET /public-phones`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Done>,
) -> Result<ListPage, WebError> {
    let form = AddForm {
        region: staff.scope.region.short().to_owned(),
        ..Default::default()
    };
    page(&state, &staff, form, vec![], q.done.as_deref()).await
}

/// `POST /public-phones`: adds a number (audited); problems are explained next to the form.
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    Form(f): Form<AddForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    if !f.drill.is_empty() {
        return Ok(page(&state, &staff, f, vec![], None).await?.into_response());
    }
    let mut errors = Vec::new();
    if !matches!(Phone::parse(&f.number), Ok(Some(_))) {
        errors.push("请填写一个电话号码（7～12 位数字，如 0974-8512345）".to_owned());
    }
    let label = f.label.trim();
    if label.is_empty() || label.chars().count() > LABEL_MAX {
        errors.push(format!("请填写这是哪个单位或窗口的电话（不超过 {LABEL_MAX} 字）"));
    }
    let region = if f.region.trim().is_empty() {
        Some(staff.scope.region.clone())
    } else {
        RegionCode::parse(&f.region)
            .map_err(|e| errors.push(e.to_string()))
            .ok()
    };
    if let (Some(region), true) = (region, errors.is_empty()) {
        match state
            .store
            .add_public_phone(&staff.scope, &staff.actor(), &region, &f.number, label)
            .await
        {
            Ok(_) => return Ok(Redirect::to("/public-phones?done=saved").into_response()),
            Err(StoreError::OutOfScope) => errors.push("所属行政区不在您的管辖范围内".into()),
            Err(StoreError::Refused(m)) => errors.push(m),
            Err(e) => return Err(e.into()),
        }
    }
    let p = page(&state, &staff, f, errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
}

/// `POST /public-phones/{id}/remove` (audited).
pub async fn remove(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    state
        .store
        .remove_public_phone(&staff.scope, &staff.actor(), id)
        .await?;
    Ok(Redirect::to("/public-phones?done=saved").into_response())
}
