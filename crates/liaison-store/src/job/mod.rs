//! Background jobs: a row per job (who started it, its input file, its state and result). The row is
//! written before the work starts and again when it ends, so a job's outcome survives a restart; a job
//! that was running when the server stopped is marked failed at the next start (an import writes in
//! one transaction, so an interrupted one has written nothing).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub state: String,
    pub account_id: i64,
    pub input: String,
    pub result: String,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl Store {
    pub async fn start_job(&self, kind: &str, account_id: i64, input: &str) -> Result<i64> {
        let (id,): (i64,) = with_pool!(&self.write, p => {
            sqlx::query_as("INSERT INTO job (kind, state, account_id, input, created_at) VALUES ($1, 'running', $2, $3, $4) RETURNING id")
                .bind(kind).bind(account_id).bind(input).bind(Utc::now()).fetch_one(p).await?
        });
        Ok(id)
    }

    /// Ends a running job (`ok` → done, else failed) with its result; a job ends once.
    pub async fn finish_job(&self, id: i64, ok: bool, result: &str) -> Result<()> {
        let state = if ok { "done" } else { "failed" };
        with_pool!(&self.write, p => {
            sqlx::query("UPDATE job SET state = $1, result = $2, finished_at = $3 WHERE id = $4 AND state = 'running'")
                .bind(state).bind(result).bind(Utc::now()).bind(id).execute(p).await?;
        });
        Ok(())
    }

    /// A job, seen by the account that started it only.
    pub async fn job(&self, id: i64, account_id: i64) -> Result<Job> {
        with_pool!(&self.read, p => {
            sqlx::query_as::<_, Job>(
                "SELECT id, kind, state, account_id, input, result, created_at, finished_at FROM job WHERE id = $1",
            )
            .bind(id).fetch_optional(p).await?
        })
        .filter(|j| j.account_id == account_id)
        .ok_or(StoreError::NotFound)
    }

    /// At start: jobs left running by a stopped server are failed with the given result.
    pub async fn fail_interrupted_jobs(&self, result: &str) -> Result<u64> {
        Ok(with_pool!(&self.write, p => {
            sqlx::query("UPDATE job SET state = 'failed', result = $1, finished_at = $2 WHERE state = 'running'")
                .bind(result).bind(Utc::now()).execute(p).await?.rows_affected()
        }))
    }
}
