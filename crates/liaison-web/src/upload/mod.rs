//! Reading multipart uploads. Each upload route has its own `Limits` (its body limit is a layer on the
//! route, `Limits::layer`); everything else keeps the small default of `crate::MAX_BODY`.
//!
//! The form is read as it streams in. Text fields come first in every upload form, so they are read
//! before a file can trip a limit, and a file that is too large, one too many, or a body over the
//! route's limit becomes a Chinese message on its field (`MultipartForm::problems`) while everything
//! typed is kept for the page shown again. Files are held in memory only within a process-wide budget
//! (`MEMORY`): a request whose file finds the budget used up waits for it, and past `WAIT` the file
//! is dropped with a message (the rest of the form is still read). Limits and why:
//! docs/ARCHITECTURE.md, "Upload limits".

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::WebError;
use crate::error::FieldError;
use crate::extract::Multipart;

mod paced;
pub use paced::{paced, peek};

const MB: usize = 1024 * 1024;

/// What one upload route accepts.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The whole request body.
    pub body: usize,
    /// Each text field.
    pub text: usize,
    /// How many files (empty file inputs do not count).
    pub files: usize,
    /// Each file.
    pub file_bytes: usize,
    /// What the files are, for messages ("照片", "文件").
    pub what: &'static str,
    /// The counter word for `what` ("张", "个").
    pub unit: &'static str,
}

/// Room in a body for the text fields and the multipart framing around the files.
const FRAMING: usize = MB;

/// The 码上办 form and staff records: up to 3 photos of 10 MB.
pub const OPINION: Limits = Limits {
    body: crate::public::intake::MAX_PHOTOS * crate::photo::MAX_BYTES + FRAMING,
    text: 8 * 1024,
    files: crate::public::intake::MAX_PHOTOS,
    file_bytes: crate::photo::MAX_BYTES,
    what: "照片",
    unit: "张",
};

/// A unit's reply with its attachments (答复附件): up to 4 photos or PDF letters of 10 MB.
pub const REPLY: Limits = Limits {
    body: liaison_domain::opinion::attachment::MAX_FILES * crate::photo::MAX_BYTES + FRAMING,
    text: 8 * 1024,
    files: liaison_domain::opinion::attachment::MAX_FILES,
    file_bytes: crate::photo::MAX_BYTES,
    what: "附件",
    unit: "个",
};

/// A deputy's portrait.
pub const DEPUTY_PHOTO: Limits = Limits {
    body: crate::photo::MAX_BYTES + FRAMING,
    text: 1000,
    files: 1,
    file_bytes: crate::photo::MAX_BYTES,
    what: "照片",
    unit: "张",
};

/// A station's photo or rules document.
pub const STATION_FILE: Limits = Limits {
    body: crate::document::MAX_BYTES + FRAMING,
    text: 1000,
    files: 1,
    file_bytes: crate::document::MAX_BYTES,
    what: "文件",
    unit: "个",
};

/// An Excel import.
pub const EXCEL: Limits = Limits {
    body: crate::excel::MAX_BYTES + FRAMING,
    text: 1000,
    files: 1,
    file_bytes: crate::excel::MAX_BYTES,
    what: "Excel 文件",
    unit: "个",
};

impl Limits {
    /// The route layer that lets the body of this upload through (the default is `crate::MAX_BODY`).
    pub fn layer(&self) -> DefaultBodyLimit {
        DefaultBodyLimit::max(self.body)
    }

    fn too_large(&self) -> String {
        if self.files == 1 {
            return format!(
                "{}不能超过 {} MB，请缩小后再上传",
                self.what,
                self.file_bytes / MB
            );
        }
        format!(
            "上传的内容合计超过 {} MB（每{}{}不超过 {} MB），请减少或缩小后重试",
            self.body / MB,
            self.unit,
            self.what,
            self.file_bytes / MB
        )
    }
}

/// Bytes of uploaded files held in memory at once, across all requests.
pub const MEMORY: usize = 96 * MB;
/// How long a file waits for room in `MEMORY` before it is refused.
pub const WAIT: Duration = Duration::from_secs(30);

static BUDGET: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(MEMORY)));

/// Room for `n` more bytes in the budget, waiting up to `WAIT`.
async fn room(n: usize) -> Option<OwnedSemaphorePermit> {
    let n = u32::try_from(n.min(MEMORY)).ok()?;
    if let Ok(p) = BUDGET.clone().try_acquire_many_owned(n) {
        return Some(p);
    }
    tokio::time::timeout(WAIT, BUDGET.clone().acquire_many_owned(n))
        .await
        .ok()?
        .ok()
}

/// One uploaded file: the form field, the name the browser gave, the bytes.
pub struct UploadedFile {
    pub field: String,
    pub filename: String,
    pub bytes: Bytes,
}

#[derive(Default)]
pub struct MultipartForm {
    pub fields: HashMap<String, String>,
    pub files: Vec<UploadedFile>,
    /// What could not be taken, per field, in Chinese (a file too large, too many files, …).
    pub problems: Vec<FieldError>,
    /// The body went over the route's limit (reading stopped there: 413).
    pub too_large: bool,
    /// The files' share of `MEMORY`, given back when the form is dropped.
    _room: Option<OwnedSemaphorePermit>,
}

impl MultipartForm {
    pub fn text(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    /// The non-empty files sent in one field.
    pub fn files_in<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a UploadedFile> + 'a {
        self.files
            .iter()
            .filter(move |f| f.field == field && !f.bytes.is_empty())
    }

    /// The problems' messages.
    pub fn problem_messages(&self) -> Vec<String> {
        self.problems.iter().map(|p| p.message.clone()).collect()
    }

    /// The problems as the error of a request that shows no form again (staff uploads).
    pub fn check(&self) -> Result<(), WebError> {
        let Some(first) = self.problems.first() else {
            return Ok(());
        };
        let message = first.message.clone();
        let fields = self.problems.clone();
        Err(if self.too_large {
            WebError::TooLarge { message, fields }
        } else {
            WebError::Invalid {
                code: "invalid_input",
                message,
                fields,
            }
        })
    }

    fn problem(&mut self, field: &str, message: String) {
        self.problems.push(FieldError {
            field: field.to_owned(),
            message,
        });
    }

    fn keep(&mut self, permit: OwnedSemaphorePermit) {
        match &mut self._room {
            Some(p) => p.merge(permit),
            None => self._room = Some(permit),
        }
    }
}

/// Reads the whole form within `limits` (see the module notes). An error only for a body that is not
/// a multipart form at all (400); every limit is a problem in the form.
pub async fn read(Multipart(mut mp): Multipart, limits: &Limits) -> Result<MultipartForm, WebError> {
    let mut form = MultipartForm::default();
    let mut files = 0;
    let mut busy = false;
    loop {
        let mut field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                stopped(&mut form, e, limits, "file")?;
                break;
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        let filename = field.file_name().map(str::to_owned);
        let cap = match filename {
            Some(_) => limits.file_bytes,
            None => limits.text,
        };
        let is_file = filename.is_some();
        let mut chunks: Vec<Bytes> = Vec::new();
        // this file's share of the budget, given back as soon as the file is dropped
        let mut held: Option<OwnedSemaphorePermit> = None;
        let mut size = 0;
        let mut dropped = false;
        loop {
            match field.chunk().await {
                Ok(Some(c)) => {
                    size += c.len();
                    if size > cap || dropped {
                        chunks.clear();
                        held = None;
                        continue;
                    }
                    if is_file {
                        if busy {
                            dropped = true;
                            continue;
                        }
                        match room(c.len()).await {
                            Some(p) => match &mut held {
                                Some(h) => h.merge(p),
                                None => held = Some(p),
                            },
                            None => {
                                busy = true;
                                dropped = true;
                                chunks.clear();
                                held = None;
                                continue;
                            }
                        }
                    }
                    chunks.push(c);
                }
                Ok(None) => break,
                Err(e) => {
                    stopped(&mut form, e, limits, &name)?;
                    return Ok(form);
                }
            }
        }
        match filename {
            Some(filename) => {
                if size == 0 {
                    continue;
                }
                files += 1;
                if files > limits.files {
                    let m = format!("最多上传 {} {}{}", limits.files, limits.unit, limits.what);
                    if !form.problems.iter().any(|p| p.message == m) {
                        form.problem(&name, m);
                    }
                } else if size > cap {
                    let m = match limits.files {
                        1 => format!("{}不能超过 {} MB，请缩小后再上传", limits.what, cap / MB),
                        _ => format!(
                            "第 {files} {}{}超过 {} MB，请缩小后再上传",
                            limits.unit,
                            limits.what,
                            cap / MB
                        ),
                    };
                    form.problem(&name, m);
                } else if dropped {
                    form.problem(
                        &name,
                        format!("服务器正忙，{}没有收到，请稍后重新选择后提交", limits.what),
                    );
                } else {
                    if let Some(p) = held {
                        form.keep(p);
                    }
                    form.files.push(UploadedFile {
                        field: name,
                        filename,
                        bytes: concat(chunks, size),
                    });
                }
            }
            None if size > cap => form.problem(&name, "内容过长".to_owned()),
            None => match String::from_utf8(concat(chunks, size).to_vec()) {
                Ok(text) => {
                    form.fields.insert(name, text);
                }
                Err(_) => form.problem(&name, "内容格式不正确".to_owned()),
            },
        }
    }
    Ok(form)
}

/// Reading stopped on `e`: over the route's limit is a problem of the form (413); anything else is a
/// body that is not a well-formed multipart form (or was cut off), 400.
fn stopped(
    form: &mut MultipartForm,
    e: MultipartError,
    limits: &Limits,
    field: &str,
) -> Result<(), WebError> {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        form.too_large = true;
        form.problem(field, limits.too_large());
        return Ok(());
    }
    tracing::debug!("multipart stopped: {}", e.body_text());
    Err(WebError::BadRequest {
        message: "上传中断或表单格式不正确，请刷新页面后重试".into(),
        fields: vec![],
    })
}

fn concat(mut chunks: Vec<Bytes>, size: usize) -> Bytes {
    if chunks.len() == 1 {
        return chunks.pop().unwrap_or_default();
    }
    let mut out = Vec::with_capacity(size);
    for c in chunks {
        out.extend_from_slice(&c);
    }
    Bytes::from(out)
}
