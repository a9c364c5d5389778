//! Imports run as jobs: the upload is kept in the file store and imported by a background task; the
//! request waits a little for the result, else sends the browser to the job's page, which refreshes
//! itself and shows progress until the job ends. The result stays in the job's row.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use liaison_domain::Permission;
use serde::{Deserialize, Serialize};

use super::excel_io::{ImportPage, RowError, columns, run_import};
use crate::ctx::Staff;
use crate::excel;
use crate::extract::{Multipart, Path, Query};
use crate::job::{self, Phase};
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Deserialize)]
pub struct UploadQuery {
    /// How long (ms) the upload waits for the import before answering with the progress page;
    /// default 1.5 s, at most 30 s.
    wait: Option<u64>,
}

/// `POST /import/{kind}` (multipart, field `file`). The file is kept in the file store and imported by
/// a background job; a small file's result comes back in this response, a large one's on the job page
/// (`/jobs/{id}`), which shows progress until it ends. A file over the limits, or a zip bomb, is refused
/// on the import page before it is stored or read.
pub async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    Path(kind): Path<String>,
    Query(q): Query<UploadQuery>,
    mp: Multipart,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageRegistry)?;
    let (_, label) = columns(&kind)?;
    let form = crate::upload::read(mp, &crate::upload::EXCEL).await?;
    let refuse = |status: StatusCode, message: String| {
        let r = JobResult::rejected(vec![(0, String::new(), message)]);
        Ok((status, result_page(&staff, &kind, label, r)).into_response())
    };
    if let Some(p) = form.problems.first() {
        let status = if form.too_large {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return refuse(status, p.message.clone());
    }
    let Some(bytes) = form.files_in("file").next().map(|f| f.bytes.clone()) else {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "请选择要上传的 Excel 文件".into(),
        );
    };
    let archive = bytes.clone();
    let checked = tokio::task::spawn_blocking(move || excel::archive::check(&archive))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    if let Err(m) = checked {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, m);
    }
    let account = staff.actor().account_id.ok_or(WebError::Forbidden)?;
    let input = state
        .blobs
        .put(bytes.clone())
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let (st, sf, k) = (state.clone(), staff.clone(), kind.clone());
    let (id, finished) = job::start(
        &state,
        account,
        &format!("import.{kind}"),
        &input,
        move |progress| async move {
            Ok(match run_import(&st, &sf, &k, bytes, &progress).await? {
                Ok(counts) => JobResult::imported(counts),
                Err(errors) => JobResult::rejected(errors),
            })
        },
    )
    .await?;
    let mut finished = Some(finished);
    let wait = std::time::Duration::from_millis(q.wait.unwrap_or(1500).min(30_000));
    let ended = match finished.as_mut() {
        Some(rx) => matches!(tokio::time::timeout(wait, rx.wait_for(|d| *d)).await, Ok(Ok(_))),
        None => true,
    };
    if !ended {
        return Ok(axum::response::Redirect::to(&format!("/jobs/{id}")).into_response());
    }
    job_page(&state, &staff, id).await
}

/// `GET /jobs/{id}`: a running import's progress (the page refreshes itself, no script needed), or its
/// result once it has ended.
pub async fn job(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    job_page(&state, &staff, id).await
}

async fn job_page(state: &AppState, staff: &Staff, id: i64) -> Result<Response, WebError> {
    let account = staff.actor().account_id.ok_or(WebError::Forbidden)?;
    let job = state.store.job(id, account).await?;
    let kind = job
        .kind
        .strip_prefix("import.")
        .ok_or(WebError::NotFound)?
        .to_owned();
    let (_, label) = columns(&kind)?;
    if job.state == "running" {
        let (phase, done, total) =
            state
                .jobs
                .get(id)
                .map(|r| r.progress.get())
                .unwrap_or((Phase::Reading, 0, 0));
        let page = ProgressPage {
            page: Page::new(&staff.ctx, format!("正在导入{label}"), "/import"),
            id,
            phase: phase.label(),
            done,
            total,
            percent: (done * 100).checked_div(total).unwrap_or(0),
        };
        return Ok((StatusCode::ACCEPTED, page).into_response());
    }
    let result: JobResult = serde_json::from_str(&job.result)
        .unwrap_or_else(|_| JobResult::failed("导入结果无法读取，请重新上传"));
    let status = if result.counts.is_some() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, result_page(staff, &kind, label, result)).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "registry/import_progress.html")]
pub struct ProgressPage {
    page: Page,
    id: i64,
    phase: &'static str,
    done: usize,
    total: usize,
    percent: usize,
}

/// What an import job ended with, kept as JSON in the job's row (a failure that is not the file's
/// fault is the job runner's `{"failure": "…"}`).
#[derive(Debug, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct JobResult {
    /// (created, updated, unchanged) when the file was imported.
    counts: Option<(usize, usize, usize)>,
    /// The first 300 problems when it was refused.
    errors: Vec<RowError>,
    total_errors: usize,
    /// A failure that is not the file's fault.
    failure: Option<String>,
}

impl JobResult {
    fn imported(counts: (usize, usize, usize)) -> JobResult {
        JobResult {
            counts: Some(counts),
            ..JobResult::default()
        }
    }

    fn rejected(errors: Vec<RowError>) -> JobResult {
        let total_errors = errors.len();
        JobResult {
            errors: errors.into_iter().take(300).collect(),
            total_errors,
            ..JobResult::default()
        }
    }

    fn failed(message: &str) -> JobResult {
        JobResult {
            failure: Some(message.to_owned()),
            ..JobResult::default()
        }
    }
}

fn result_page(staff: &Staff, kind: &str, label: &'static str, r: JobResult) -> ImportPage {
    let mut errors = r.errors;
    if let Some(f) = r.failure {
        // an import writes in one transaction: a failed one wrote nothing
        errors.push((0, String::new(), format!("{f}（本次没有写入任何数据）")));
    }
    ImportPage {
        page: Page::new(&staff.ctx, format!("导入{label}"), "/import"),
        kind: kind.to_owned(),
        label,
        total_errors: r.total_errors.max(errors.len()),
        errors,
        summary: r.counts,
    }
}
