//! Connection pools and transactions for both backends, and the macros that run one SQL text on either.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool};

use crate::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$c` bound to the concrete pool of either backend.
macro_rules! with_pool {
    ($pool:expr, $c:ident => $body:expr) => {
        match $pool {
            $crate::db::Pool::Sqlite($c) => $body,
            $crate::db::Pool::Postgres($c) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to the transaction's connection of either backend.
macro_rules! with_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite($c) => {
                let $c = &mut **$c;
                $body
            }
            $crate::db::Tx::Postgres($c) => {
                let $c = &mut **$c;
                $body
            }
        }
    };
}

/// A write transaction. On SQLite it is `BEGIN IMMEDIATE` on the single writer connection, so it holds
/// the write lock from the start and never fails later with "database is locked".
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// The database. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    /// Reads. On SQLite a pool of read-only connections (WAL lets them run beside the writer).
    pub(crate) read: Pool,
    /// Writes. On SQLite one connection with `synchronous=FULL`; on PostgreSQL the same pool as `read`.
    pub(crate) write: Pool,
    /// The group-commit queue for opinion submissions (see `intake`).
    pub(crate) intake: std::sync::Arc<crate::opinion::intake::IntakeQueue>,
    /// The working-day calendar, kept for a minute (see `calendar`).
    pub(crate) calendar: std::sync::Arc<crate::calendar::CalendarCache>,
    /// The deadline rules, kept for a minute (see `deadlines`).
    pub(crate) deadline_rules: std::sync::Arc<crate::deadline::DeadlineRuleCache>,
    /// Region figures (home pages), kept a minute (see `Store::region_figures`).
    pub(crate) figures: std::sync::Arc<crate::cache::Kept<crate::opinion::figures::Figures>>,
    /// The opinion categories (data from the migrations), kept for a minute.
    pub(crate) categories: std::sync::Arc<crate::cache::Cached<Vec<crate::registry::routing::Category>>>,
    /// The audit key and where the checkpoint is kept (see `audit::seal`).
    pub(crate) seal: std::sync::Arc<crate::audit::seal::AuditSeal>,
    /// The deployment's public phone numbers (公开电话), kept for a minute (see `public_phones`).
    pub(crate) public_phones: std::sync::Arc<crate::registry::public_phone::PublicPhoneCache>,
    /// The quiet hours of alert SMS, kept for a minute (see `notification::quiet`).
    pub(crate) quiet: std::sync::Arc<crate::notification::quiet::QuietCache>,
    /// Reference data pages read on every view, kept a minute (see `reference`).
    pub(crate) reference: std::sync::Arc<crate::reference::Reference>,
}

impl Store {
    /// Opens `sqlite://…` / a file path, or `postgres://…`. Does not migrate.
    pub async fn connect(url: &str) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // Plan every statement with its values: a generic plan for "region code between $1 and $2"
            // cannot tell a township from a province, and picks the wrong index for one of them.
            let opts = PgConnectOptions::from_str(url)?
                .application_name("liaison")
                .options([
                    ("plan_cache_mode", "force_custom_plan"),
                    // short reads for many people: starting parallel workers costs more than it saves
                    ("max_parallel_workers_per_gather", "0"),
                ]);
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            let p = Pool::Postgres(pool);
            return Ok(Store {
                read: p.clone(),
                write: p,
                intake: crate::opinion::intake::new_queue(),
                calendar: Default::default(),
                deadline_rules: Default::default(),
                figures: std::sync::Arc::new(crate::cache::Kept::new(crate::opinion::figures::FIGURES_FOR)),
                categories: Default::default(),
                seal: Default::default(),
                public_phones: Default::default(),
                quiet: Default::default(),
                reference: Default::default(),
            });
        }
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Self::open_sqlite(Path::new(path)).await
    }

    async fn open_sqlite(path: &Path) -> Result<Store> {
        let base = SqliteConnectOptions::new()
            .filename(path)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("temp_store", "memory");
        // The writer: FULL sync, so a commit that returned is on disk even after power loss.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(
                base.clone()
                    .create_if_missing(true)
                    .synchronous(SqliteSynchronous::Full),
            )
            .await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(base.read_only(true))
            .await?;
        Ok(Store {
            read: Pool::Sqlite(reader),
            write: Pool::Sqlite(writer),
            intake: crate::opinion::intake::new_queue(),
            calendar: Default::default(),
            deadline_rules: Default::default(),
            figures: std::sync::Arc::new(crate::cache::Kept::new(crate::opinion::figures::FIGURES_FOR)),
            categories: Default::default(),
            seal: Default::default(),
            public_phones: Default::default(),
            quiet: Default::default(),
            reference: Default::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        match self.write {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Starts a write transaction (see [`Tx`]).
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match &self.write {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// `SELECT 1` on both pools: the health check.
    pub async fn ping(&self) -> Result<()> {
        with_pool!(&self.read, p => { sqlx::query("SELECT 1").execute(p).await?; });
        with_pool!(&self.write, p => { sqlx::query("SELECT 1").execute(p).await?; });
        Ok(())
    }

    /// Refreshes the planner's statistics (after a bulk load; PostgreSQL's autovacuum does it later too).
    pub async fn analyze(&self) -> Result<()> {
        with_pool!(&self.write, p => { sqlx::query("ANALYZE").execute(p).await?; });
        Ok(())
    }

    /// SQLite: folds the WAL into the main file (for copying a closed database). No-op on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<()> {
        if let Pool::Sqlite(p) = &self.write {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(p).await?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        with_pool!(&self.read, p => p.close().await);
        with_pool!(&self.write, p => p.close().await);
    }

    /// Tables and their columns, from the catalogue: lets tests check the two schemas stay in step.
    pub async fn schema_columns(&self) -> Result<Vec<(String, String)>> {
        let rows: Vec<(String, String)> = match &self.read {
            Pool::Sqlite(p) => {
                sqlx::query_as(
                    "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '\\_sqlx%' ESCAPE '\\' \
                     ORDER BY 1, 2",
                )
                .fetch_all(p)
                .await?
            }
            Pool::Postgres(p) => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%' \
                     ORDER BY 1, 2",
                )
                .fetch_all(p)
                .await?
            }
        };
        Ok(rows)
    }
}
