//! Fresh databases. Migrating (and loading 46,000 regions) once per test would dominate the run, so each
//! test process migrates one template per backend and copies it per test: a file copy on SQLite,
//! `CREATE DATABASE … TEMPLATE` on PostgreSQL. PostgreSQL comes from `LIAISON_TEST_PG` (an admin URL);
//! `scripts/test` starts a throwaway cluster and sets it.

use std::path::PathBuf;
use std::sync::OnceLock;

use liaison_store::Store;
use sqlx::Connection;
use tempfile::TempDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub store: Store,
    pub url: String,
    pub backend: Backend,
    _dir: Option<TempDir>,
    pg_name: Option<String>,
}

impl std::ops::Deref for TestDb {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

fn pg_admin_url() -> String {
    std::env::var("LIAISON_TEST_PG").unwrap_or_else(|_| {
        panic!("LIAISON_TEST_PG is not set: run the tests with scripts/test, which starts PostgreSQL")
    })
}

fn pg_url_for(db: &str) -> String {
    let admin = pg_admin_url();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    format!("{base}/{db}")
}

fn random_suffix() -> String {
    use rand::RngCore;
    format!("{}_{:08x}", std::process::id(), rand::rng().next_u32())
}

/// Runs an async block to completion on a private runtime (templates outlive any one test's runtime).
fn block_on<F: std::future::Future + Send>(f: F) -> F::Output
where
    F::Output: Send,
{
    std::thread::scope(|s| {
        s.spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(f)
        })
        .join()
        .expect("template thread")
    })
}

struct SqliteTemplate {
    _dir: TempDir,
    file: PathBuf,
}

fn sqlite_template() -> &'static SqliteTemplate {
    static T: OnceLock<SqliteTemplate> = OnceLock::new();
    T.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("template.db");
        let url = file.to_string_lossy().to_string();
        block_on(async {
            let store = Store::connect(&url).await.expect("open template");
            store.migrate().await.expect("migrate template");
            store.checkpoint().await.expect("checkpoint");
            store.close().await;
        });
        SqliteTemplate { _dir: dir, file }
    })
}

fn pg_template() -> &'static str {
    static T: OnceLock<String> = OnceLock::new();
    T.get_or_init(|| {
        let name = format!("liaison_tpl_{}", random_suffix());
        block_on(async {
            let mut admin = sqlx::PgConnection::connect(&pg_admin_url())
                .await
                .expect("connect admin");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut admin)
                .await
                .expect("create template");
            let store = Store::connect(&pg_url_for(&name)).await.expect("open template");
            store.migrate().await.expect("migrate template");
            store.close().await;
        });
        name
    })
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let tpl = sqlite_template();
                let dir = tempfile::tempdir().expect("tempdir");
                let file = dir.path().join("liaison.db");
                std::fs::copy(&tpl.file, &file).expect("copy template");
                let url = file.to_string_lossy().to_string();
                let store = Store::connect(&url).await.expect("open sqlite");
                store.migrate().await.expect("migrate");
                TestDb {
                    store,
                    url,
                    backend,
                    _dir: Some(dir),
                    pg_name: None,
                }
            }
            Backend::Postgres => {
                let tpl = pg_template();
                let name = format!("liaison_t_{}", random_suffix());
                let mut admin = sqlx::PgConnection::connect(&pg_admin_url())
                    .await
                    .expect("connect admin");
                // concurrent copies of one template can collide; retry briefly
                let mut tries = 0;
                loop {
                    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "CREATE DATABASE {name} TEMPLATE {tpl}"
                    )))
                    .execute(&mut admin)
                    .await;
                    match r {
                        Ok(_) => break,
                        Err(e) if tries < 50 => {
                            tries += 1;
                            let _ = e;
                            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        }
                        Err(e) => panic!("create test database: {e}"),
                    }
                }
                let url = pg_url_for(&name);
                let store = Store::connect(&url).await.expect("open postgres");
                store.migrate().await.expect("migrate");
                TestDb {
                    store,
                    url,
                    backend,
                    _dir: None,
                    pg_name: Some(name),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            block_on(async move {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&pg_admin_url()).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&mut admin)
                    .await;
                }
            });
        }
    }
}
