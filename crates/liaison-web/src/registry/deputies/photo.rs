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
    Multipart(mut mp): Multipart,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    state.store.deputy(&staff.scope, id).await?;
    let mut bytes = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|_| WebError::invalid("photo", "上传中断，请重试"))?
    {
        if field.name() == Some("photo") {
            bytes = Some(
                field
                    .bytes()
                    .await
                    .map_err(|_| WebError::invalid("photo", "上传中断，请重试"))?,
            );
        }
    }
    let bytes = bytes
        .filter(|b| !b.is_empty())
        .ok_or_else(|| WebError::invalid("photo", "请选择照片"))?;
    let clean = tokio::task::spawn_blocking(move || crate::photo::sanitize(&bytes))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
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
