//! Background jobs any feature can start (imports now; exports and recalculations later): [`start`]
//! writes the job's row, runs the work on the server's runtime, and records how it ended as JSON in
//! the row, so the outcome survives a restart; a job a stopped server left running is failed at the
//! next start ([`fail_interrupted`]). While a job runs, its progress is kept in memory by the instance
//! that runs it (an import writes in one transaction, so its progress cannot be read from the
//! database by others). The job's own page (`/jobs/{id}`) belongs to the feature that started it.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio::sync::watch;

use crate::{AppState, WebError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    Reading = 0,
    Checking = 1,
    Writing = 2,
}

impl Phase {
    pub fn label(self) -> &'static str {
        match self {
            Phase::Reading => "读取文件",
            Phase::Checking => "逐行检查",
            Phase::Writing => "写入数据",
        }
    }
}

/// How far a job has got; updated by the job, read by the progress page.
#[derive(Debug, Default)]
pub struct Progress {
    phase: AtomicU8,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    pub fn phase(&self, phase: Phase, total: usize) {
        self.phase.store(phase as u8, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
    }

    pub fn step(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// (phase, done, total)
    pub fn get(&self) -> (Phase, usize, usize) {
        let phase = match self.phase.load(Ordering::Relaxed) {
            1 => Phase::Checking,
            2 => Phase::Writing,
            _ => Phase::Reading,
        };
        (
            phase,
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

/// A running job: its progress and a signal that flips to `true` when it has ended (its row is final).
#[derive(Clone)]
pub struct Running {
    pub progress: Arc<Progress>,
    pub finished: watch::Receiver<bool>,
}

#[derive(Clone, Default)]
pub struct Jobs {
    running: Arc<Mutex<HashMap<i64, Running>>>,
}

impl Jobs {
    /// Registers a job; the returned sender is set to `true` by the job when its row is final.
    pub fn register(&self, id: i64) -> (Arc<Progress>, watch::Sender<bool>) {
        let (tx, rx) = watch::channel(false);
        let progress = Arc::new(Progress::default());
        if let Ok(mut m) = self.running.lock() {
            m.insert(
                id,
                Running {
                    progress: progress.clone(),
                    finished: rx,
                },
            );
        }
        (progress, tx)
    }

    pub fn get(&self, id: i64) -> Option<Running> {
        self.running.lock().ok()?.get(&id).cloned()
    }

    pub fn forget(&self, id: i64) {
        if let Ok(mut m) = self.running.lock() {
            m.remove(&id);
        }
    }
}

/// What a job's row holds when the job failed through no fault of the user's: `{"failure": "…"}`.
/// Every job's result type reads this shape (a `failure` field) so its page can say so.
#[derive(Debug, Serialize)]
struct Failure<'a> {
    failure: &'a str,
}

fn failure_json(message: &str) -> String {
    serde_json::to_string(&Failure { failure: message }).unwrap_or_default()
}

/// What the user reads when a job failed for a reason that is not theirs.
pub const FAILED: &str = "处理时发生系统错误，请稍后重试";

/// Starts `work` as job `kind` of `account` (with its input file's content address) and returns the
/// job's id and a signal that turns `true` once its row is final. The work's `Ok` value is the job's
/// result (its row: done); an error or a panic fails the job with [`FAILED`].
pub async fn start<W, Fut, R>(
    state: &AppState,
    account: i64,
    kind: &str,
    input: &str,
    work: W,
) -> Result<(i64, watch::Receiver<bool>), WebError>
where
    W: FnOnce(Arc<Progress>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<R, WebError>> + Send + 'static,
    R: Serialize + Send + 'static,
{
    let id = state.store.start_job(kind, account, input).await?;
    let (progress, done) = state.jobs.register(id);
    let finished = done.subscribe();
    let task = tokio::spawn(work(progress));
    let st = state.clone();
    tokio::spawn(async move {
        let (ok, json) = match task.await {
            Ok(Ok(result)) => match serde_json::to_string(&result) {
                Ok(json) => (true, json),
                Err(e) => {
                    tracing::error!(job = id, error = %e, "job result not recorded");
                    (false, failure_json(FAILED))
                }
            },
            Ok(Err(e)) => {
                tracing::error!(job = id, error = %e, "job failed");
                (false, failure_json(FAILED))
            }
            Err(e) => {
                tracing::error!(job = id, error = %e, "job ended abnormally");
                (false, failure_json(FAILED))
            }
        };
        if let Err(e) = st.store.finish_job(id, ok, &json).await {
            tracing::error!(job = id, error = %e, "could not record the job's result");
        }
        let _ = done.send(true);
        st.jobs.forget(id);
    });
    Ok((id, finished))
}

/// At start: jobs a stopped server left running are marked failed, with a result that says so.
/// Returns how many there were.
pub async fn fail_interrupted(store: &liaison_store::Store) -> Result<u64, WebError> {
    let json = failure_json("服务器在处理过程中重新启动，本次处理没有完成，请重新开始");
    Ok(store.fail_interrupted_jobs(&json).await?)
}
