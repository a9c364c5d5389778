//! Adding and removing a station's resident deputies (进站代表).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::Permission;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Form, Path};
use crate::{AppState, WebError};

#[derive(Deserialize)]
pub struct ResidentForm {
    #[serde(default)]
    mandate: String,
}

/// `POST /stations/{id}/residents` (add) and `/stations/{id}/residents/remove`.
pub async fn residents(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<ResidentForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let mandate = f
        .mandate
        .trim()
        .parse::<i64>()
        .map_err(|_| WebError::invalid("mandate", "请选择代表"))?;
    match action.as_str() {
        "add" => {
            state
                .store
                .add_resident(&staff.scope, &staff.actor(), id, mandate)
                .await?
        }
        "remove" => {
            state
                .store
                .remove_resident(&staff.scope, &staff.actor(), id, mandate)
                .await?
        }
        _ => return Err(WebError::NotFound),
    }
    Ok(Redirect::to(&format!("/stations/{id}?done=saved#residents")).into_response())
}
