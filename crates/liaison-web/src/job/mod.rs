//! Progress of running background jobs, kept in memory by the instance that runs them (an import
//! writes in one transaction, so its progress cannot be read from the database by others). The job's
//! row holds its state and result; this only adds "how far" while it runs.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

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

/// At start: jobs a stopped server left running are marked failed, with a result that tells the user
/// nothing was written (imports write in one transaction). Returns how many there were.
pub async fn fail_interrupted(store: &liaison_store::Store) -> Result<u64, crate::WebError> {
    let result = crate::registry::import_jobs::JobResult::failed(
        "服务器在导入过程中重新启动，本次没有写入任何数据，请重新上传",
    );
    let json = serde_json::to_string(&result).map_err(|e| crate::WebError::Internal(e.to_string()))?;
    Ok(store.fail_interrupted_jobs(&json).await?)
}

/// The page of one background job (an import's progress, then its result); the import that starts
/// it is the registry's.
pub(crate) fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new().get("/jobs/{id}", crate::registry::import_jobs::job)
}
