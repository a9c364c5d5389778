//! Uploading a deputy's photo: checked, re-encoded and stored before the record points at it.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::Permission;

use crate::ctx::Staff;
use crate::extract::{Multipart, Path};
use crate::{AppState, WebError};

/// `POST /deputies/{id}/photo` (multipart, field `photo`): checked, re-encoded, stored durably, then
/// the record points at it.
pub async fn upload_photo(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    state.store.deputy(&staff.scope, id).await?;
    let form = crate::upload::read(mp, &crate::upload::DEPUTY_PHOTO).await?;
    form.check()?;
    let bytes = form
        .files_in("photo")
        .next()
        .map(|f| f.bytes.clone())
        .ok_or_else(|| WebError::invalid("photo", "请选择照片"))?;
    let clean = crate::photo::sanitize_bounded(bytes)
        .await
        .map_err(|m| WebError::invalid("photo", m))?;
    let hash = state
        .blobs
        .put(clean)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    state
        .store
        .set_person_photo(&staff.scope, &staff.actor(), id, &hash)
        .await?;
    Ok(Redirect::to(&format!("/deputies/{id}?done=saved")).into_response())
}
