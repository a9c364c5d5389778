//! Station photos and rules (制度) documents: upload, remove (kept in history), and the public
//! download behind the station's public page.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::Permission;
use liaison_store::registry::station_file::{FileKind, NewStationFile};

use crate::ctx::Staff;
use crate::extract::{Multipart, Path};
use crate::{AppState, WebError};

/// `POST /stations/{id}/files` (multipart: `kind` = photo | document, `file`, optional `name`).
pub async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let station = state.store.station(&staff.scope, id).await?;
    if !station.is_open() {
        return Err(WebError::invalid("file", "站点已撤销，不能再上传文件"));
    }
    let form = crate::upload::read(mp, &crate::upload::STATION_FILE).await?;
    form.check()?;
    let file = form
        .files_in("file")
        .next()
        .ok_or_else(|| WebError::invalid("file", "请选择要上传的文件"))?;
    let caption = form.text("name").trim();
    if caption.chars().count() > 60 {
        return Err(WebError::invalid("name", "说明不能超过 60 个字"));
    }
    let (kind, bytes, media_type, name) = match form.text("kind") {
        "photo" => {
            let clean = crate::photo::sanitize_bounded(file.bytes.clone())
                .await
                .map_err(|m| WebError::invalid("file", m))?;
            let name = if caption.is_empty() {
                "站点照片"
            } else {
                caption
            };
            (FileKind::Photo, Bytes::from(clean), "image/jpeg", name.to_owned())
        }
        "document" => {
            let (media, ext) = crate::document::kind_of(&file.bytes, &file.filename)
                .map_err(|m| WebError::invalid("file", m))?;
            let given = if caption.is_empty() {
                file.filename.as_str()
            } else {
                caption
            };
            let name = crate::document::clean_name(given, ext);
            (FileKind::Document, file.bytes.clone(), media, name)
        }
        _ => return Err(WebError::invalid("kind", "请选择照片或制度文件")),
    };
    let size = bytes.len() as i64;
    let blob = state
        .blobs
        .put(bytes)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let new = NewStationFile {
        kind,
        blob: &blob,
        name: &name,
        media_type,
        size,
    };
    state
        .store
        .add_station_file(&staff.scope, &staff.actor(), id, &new)
        .await?;
    Ok(Redirect::to(&format!("/stations/{id}?done=saved#files")).into_response())
}

/// `POST /stations/{id}/files/{file}/remove`
pub async fn remove(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    state
        .store
        .remove_station_file(&staff.scope, &staff.actor(), id, file)
        .await?;
    Ok(Redirect::to(&format!("/stations/{id}?done=removed#files")).into_response())
}

/// `GET /s/{id}/files/{file}`: a current file of an open station (public, like the station's page).
/// Photos are shown inline; documents always download.
pub async fn public(
    State(state): State<AppState>,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let f = state
        .store
        .station_file_public(id, file)
        .await?
        .ok_or(WebError::NotFound)?;
    let bytes = state
        .blobs
        .get(&f.blob)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .ok_or(WebError::NotFound)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    let media =
        HeaderValue::from_str(&f.media_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, media);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    if f.kind == "document" {
        let disposition = format!(
            "attachment; filename=\"file\"; filename*=UTF-8''{}",
            crate::error::urlencode(&f.name)
        );
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(res)
}
