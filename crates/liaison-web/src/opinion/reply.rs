//! 答复附件 on the staff side: a unit's reply with its files (`POST /opinions/{id}/reply`, multipart:
//! the 答复函 scan as a PDF kept as sent, photos through the same checks and re-encoding as citizens'
//! photos), the files served to whoever may see the item, and the flag that shows one to the citizen.
//! A wrong or too large file brings the reply form back with the message beside the file field and
//! the words kept (422); nothing is stored unless every file passed (a reply the workflow then refuses,
//! 409, leaves its stored files to the hourly orphan sweep).

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::opinion::Action;
use liaison_domain::opinion::attachment::AttachmentKind;
use liaison_store::opinion::attachment::{Attachment, NewAttachment};
use serde::Deserialize;

use super::act::{ActForm, parse_act};
use crate::ctx::Staff;
use crate::error::FieldError;
use crate::extract::{MultiForm, Multipart, Path};
use crate::redisplay::{Redisplay, unprocessable};
use crate::upload::MultipartForm;
use crate::{AppState, WebError};

/// The file field of the reply form.
const FIELD: &str = "attachment";

/// `POST /opinions/{id}/reply` (multipart): the unit's reply with up to 4 files.
pub async fn reply(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, WebError> {
    // out of the caller's reach: 404 before the files are read
    state.store.opinion(&staff.scope, id).await?;
    let form = crate::upload::read(mp, &crate::upload::REPLY).await?;
    let f = ActForm::reply(form.text("as"), form.text("note"));
    let public = (
        form.text("photos_public") == "1",
        form.text("letter_public") == "1",
    );
    let mut typed = f.typed();
    for flag in ["photos_public", "letter_public"] {
        typed.push((flag.to_owned(), form.text(flag).to_owned()));
    }
    let done = match checked(&state, &form, &f, public).await {
        Ok((who, steps, input)) => state
            .store
            .act_in_steps(&staff.scope, &staff.actor(), id, who, &steps, &input)
            .await
            .map(|_| ())
            .map_err(WebError::from),
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/opinions/{id}?done=saved")).into_response()),
        Err(e) => {
            let again = Redisplay::of("reply", typed, e)?;
            let page = super::detail::page(&state, &staff, id, None, None, again).await?;
            Ok(unprocessable(page))
        }
    }
}

/// The reply parsed and its files checked and stored; every problem of the words and the files at
/// once, per field.
async fn checked(
    state: &AppState,
    form: &MultipartForm,
    f: &ActForm,
    (photos_public, letter_public): (bool, bool),
) -> Result<
    (
        liaison_domain::opinion::Capacity,
        Vec<Action>,
        liaison_store::opinion::ActInput,
    ),
    WebError,
> {
    let mut problems: Vec<FieldError> = Vec::new();
    let parsed = parse_act(f);
    match &parsed {
        Err(WebError::Invalid { fields, .. }) => problems.extend(fields.iter().cloned()),
        Err(_) => {}
        // the words are checked before any file is stored
        Ok(_) => {
            if let Err(e) = Action::Reply.check_input(form.text("note"), None)
                && let WebError::Invalid { fields, .. } = WebError::from(e)
            {
                problems.extend(fields);
            }
        }
    }
    let mut file_messages: Vec<String> = form.problems.iter().map(|p| p.message.clone()).collect();
    let mut clean = Vec::new();
    for (i, file) in form.files_in(FIELD).enumerate() {
        let n = i + 1;
        match AttachmentKind::of(&file.bytes) {
            Ok(AttachmentKind::Photo) => match crate::photo::sanitize_bounded(file.bytes.clone()).await {
                Ok(jpeg) => clean.push((
                    AttachmentKind::Photo,
                    axum::body::Bytes::from(jpeg),
                    crate::document::clean_name(&file.filename, "jpg"),
                    photos_public,
                )),
                Err(m) => file_messages.push(format!("第 {n} 个附件：{m}")),
            },
            Ok(AttachmentKind::Letter) => clean.push((
                AttachmentKind::Letter,
                file.bytes.clone(),
                crate::document::clean_name(&file.filename, "pdf"),
                letter_public,
            )),
            Err(m) => file_messages.push(format!("第 {n} 个附件：{m}")),
        }
    }
    if !file_messages.is_empty() {
        file_messages.dedup();
        problems.push(FieldError {
            field: FIELD.to_owned(),
            message: file_messages.join("；"),
        });
    }
    if let Some(first) = problems.first() {
        return Err(WebError::Invalid {
            code: "invalid_input",
            message: first.message.clone(),
            fields: problems,
        });
    }
    let (who, steps, mut input) = parsed?;
    for (kind, bytes, name, public) in clean {
        let blob = state.blobs.put(bytes).await.map_err(|e| {
            tracing::error!(error = %e, "reply attachment store failed");
            WebError::invalid(FIELD, "附件保存失败，请稍后重试")
        })?;
        input.attachments.push(NewAttachment {
            kind,
            blob,
            name,
            public,
        });
    }
    Ok((who, steps, input))
}

/// The attachments of an item's replies, per reply in order: (reply number from 1, the files with
/// whether the caller may change their flag).
pub fn groups(
    all: Vec<Attachment>,
    is_staff: bool,
    my_unit: Option<i64>,
) -> Vec<(usize, Vec<(Attachment, bool)>)> {
    let mut out: Vec<(i64, Vec<(Attachment, bool)>)> = Vec::new();
    for a in all {
        let may = is_staff || (a.unit_id.is_some() && a.unit_id == my_unit);
        match out.last_mut() {
            Some((seq, files)) if *seq == a.seq => files.push((a, may)),
            _ => out.push((a.seq, vec![(a, may)])),
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(i, (_, files))| (i + 1, files))
        .collect()
}

/// An attachment's file: a photo shown, a letter downloaded (`attachment`, `nosniff`), never cached
/// by shared caches.
pub async fn respond(state: &AppState, a: &Attachment) -> Result<Response, WebError> {
    if a.is_photo() {
        return crate::jpeg::respond(state, &a.blob, "private, no-store").await;
    }
    let bytes = state
        .blobs
        .get(&a.blob)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .ok_or(WebError::NotFound)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    let disposition = format!(
        "attachment; filename=\"letter.pdf\"; filename*=UTF-8''{}",
        crate::error::urlencode(&a.name)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// `GET /opinions/attachments/{id}`: a file of an item the caller may see.
pub async fn file(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let a = state.store.reply_attachment(&staff.scope, id).await?;
    respond(&state, &a).await
}

#[derive(Deserialize)]
pub struct PublicForm {
    #[serde(default)]
    public: String,
}

/// `POST /opinions/attachments/{id}/visibility`: show a file to the citizen, or hide it.
pub async fn visibility(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    MultiForm(f): MultiForm<PublicForm>,
) -> Result<Response, WebError> {
    let opinion = state
        .store
        .set_attachment_public(&staff.scope, &staff.actor(), id, f.public == "1")
        .await?;
    Ok(Redirect::to(&format!("/opinions/{opinion}?done=saved#attachments")).into_response())
}
