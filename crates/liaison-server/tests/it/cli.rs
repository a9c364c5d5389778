//! The binary's subcommands, run as a user would, on SQLite and on PostgreSQL.

use std::process::{Command, Output};

use liaison_testkit::{Backend, TestDb};

fn liaison(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(args)
        .env_remove("LIAISON_DATABASE_URL")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn migrate_and_config_need_nothing_but_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let o = liaison(&["migrate", "--data-dir", d]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("region township: 41351"), "{}", stdout(&o));
    assert!(dir.path().join("liaison.db").exists());
    let o = liaison(&[
        "config",
        "--data-dir",
        d,
        "--database-url",
        "postgres://u:secret@h/db",
    ]);
    let text = stdout(&o);
    assert!(
        text.contains("postgres://u:***@h/db") && !text.contains("secret"),
        "{text}"
    );
}

async fn bootstrap_then_verify(url: &str, tamper: impl std::future::Future<Output = ()>) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--database-url", url, "--data-dir", d]);
        liaison(&all)
    };
    let o = run(&["bootstrap", "--region", "632521"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("初始密码"));
    let o = run(&["bootstrap", "--region", "632521"]);
    assert!(!o.status.success(), "a second bootstrap must be refused");
    let o = run(&["bootstrap", "--region", "632521100"]);
    assert!(!o.status.success(), "a township is no deployment region");
    let o = run(&["audit", "verify"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("校验通过"));
    // the key and the checkpoint are outside the database, readable by the owner only
    for f in ["audit.key", "audit.head"] {
        let meta = std::fs::metadata(dir.path().join(f)).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(meta.permissions().mode() & 0o077, 0, "{f} is owner-only");
        }
        let _ = meta;
    }
    tamper.await;
    let o = run(&["audit", "verify"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("审计日志被篡改"));
}

/// What someone with write access to the database can do: rewrite an entry and recompute the whole
/// chain and the head (unkeyed, or with a key guessed), or cut the newest entries and set the head back.
#[derive(Clone, Copy)]
enum Tamper {
    Edit,
    Recompute,
    Truncate,
}

async fn tamper_sqlite(url: String, how: Tamper) {
    use liaison_domain::audit::{AuditEntry, GENESIS};
    use sqlx::Row;
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    for t in [
        "DROP TRIGGER IF EXISTS audit_log_no_update",
        "DROP TRIGGER IF EXISTS audit_log_no_delete",
    ] {
        sqlx::query(t).execute(&pool).await.unwrap();
    }
    match how {
        Tamper::Edit => {
            sqlx::query("UPDATE audit_log SET actor = 'someone else' WHERE seq = 1")
                .execute(&pool)
                .await
                .unwrap();
        }
        Tamper::Recompute => {
            sqlx::query("UPDATE audit_log SET actor = 'someone else' WHERE seq = 1")
                .execute(&pool)
                .await
                .unwrap();
            let rows = sqlx::query("SELECT seq, at, actor_id, actor, action, target, region_code, ip, detail FROM audit_log ORDER BY seq")
                .fetch_all(&pool)
                .await
                .unwrap();
            let mut prev = GENESIS.to_owned();
            for r in rows {
                let e = AuditEntry {
                    seq: r.get("seq"),
                    at: r.get("at"),
                    actor_id: r.get("actor_id"),
                    actor: r.get("actor"),
                    action: r.get("action"),
                    target: r.get("target"),
                    region_code: r.get("region_code"),
                    ip: r.get("ip"),
                    detail: r.get("detail"),
                };
                let h = e.legacy_hash(&prev);
                sqlx::query("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?")
                    .bind(&prev)
                    .bind(&h)
                    .bind(e.seq)
                    .execute(&pool)
                    .await
                    .unwrap();
                prev = h;
            }
            sqlx::query("UPDATE audit_head SET hash = ? WHERE id = 1")
                .bind(&prev)
                .execute(&pool)
                .await
                .unwrap();
        }
        Tamper::Truncate => {
            let (last,): (i64,) = sqlx::query_as("SELECT MAX(seq) FROM audit_log")
                .fetch_one(&pool)
                .await
                .unwrap();
            sqlx::query("DELETE FROM audit_log WHERE seq = ?")
                .bind(last)
                .execute(&pool)
                .await
                .unwrap();
            sqlx::query("UPDATE audit_head SET seq = ?, hash = COALESCE((SELECT hash FROM audit_log WHERE seq = ?), ?) WHERE id = 1")
                .bind(last - 1)
                .bind(last - 1)
                .bind(liaison_domain::audit::GENESIS)
                .execute(&pool)
                .await
                .unwrap();
        }
    }
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bootstrap_and_audit_verify_on_sqlite() {
    for how in [Tamper::Edit, Tamper::Recompute, Tamper::Truncate] {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("liaison.db").to_str().unwrap().to_owned();
        bootstrap_then_verify(&url, tamper_sqlite(url.clone(), how)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bootstrap_and_audit_verify_on_postgres() {
    // a fresh, empty PostgreSQL database (migrated, no accounts)
    let db = TestDb::new(Backend::Postgres).await;
    let url = db.url.clone();
    let u = url.clone();
    bootstrap_then_verify(&url, async move {
        let pool = sqlx::PgPool::connect(&u).await.unwrap();
        sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER USER")
            .execute(&pool)
            .await
            .unwrap();
        // cut the newest entry and set the head back: consistent inside the database
        sqlx::query("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_head SET seq = COALESCE((SELECT MAX(seq) FROM audit_log), 0), hash = COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), $1) WHERE id = 1")
            .bind(liaison_domain::audit::GENESIS)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    })
    .await;
}

/// `liaison unlock` lifts the locks of an account nobody can unlock in the admin pages (here the only
/// security administrator, locked out from the address it uses).
async fn unlock_from_the_command_line(db: TestDb) {
    liaison_testkit::fixtures::cast(&db).await;
    let policy = liaison_domain::password::PasswordPolicy::default();
    let now = chrono::Utc::now();
    for _ in 0..6 {
        db.claim_login("secadmin", "10.0.0.1", &policy, now)
            .await
            .unwrap();
    }
    let locked = db
        .claim_login("secadmin", "10.0.0.1", &policy, now)
        .await
        .unwrap();
    assert!(matches!(
        locked,
        liaison_store::account::LoginClaim::Refused { .. }
    ));
    let o = liaison(&["unlock", "secadmin", "--database-url", &db.url]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("已解除"), "{}", stdout(&o));
    let again = db
        .claim_login("secadmin", "10.0.0.1", &policy, now)
        .await
        .unwrap();
    assert!(
        matches!(
            again,
            liaison_store::account::LoginClaim::Granted { failures: 1, .. }
        ),
        "{again:?}"
    );
    let o = liaison(&["unlock", "nobody_here", "--database-url", &db.url]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("没有用户名为 nobody_here 的账号"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unlock_from_the_command_line_on_sqlite() {
    unlock_from_the_command_line(TestDb::new(Backend::Sqlite).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unlock_from_the_command_line_on_postgres() {
    unlock_from_the_command_line(TestDb::new(Backend::Postgres).await).await;
}

/// Runs statements on the test database behind the store's back.
async fn exec(db: &TestDb, sqls: &[&'static str]) {
    macro_rules! run {
        ($pool:expr) => {{
            let pool = $pool;
            for sql in sqls {
                sqlx::query(*sql).execute(&pool).await.unwrap();
            }
            pool.close().await;
        }};
    }
    match db.backend {
        Backend::Sqlite => run!(sqlx::SqlitePool::connect(&db.url).await.unwrap()),
        Backend::Postgres => run!(sqlx::PgPool::connect(&db.url).await.unwrap()),
    }
}

/// `liaison sweep` folds the queue counters' changes; `liaison recount` rebuilds the counters from the
/// items and says how many were wrong.
async fn recount_from_the_command_line(db: TestDb) {
    exec(
        &db,
        &[
            "INSERT INTO opinion (receipt, nonce, channel, region_code, category, description, stage, holder, \
             event_count, submitted_at, updated_at, alerted) VALUES \
             ('R1', 'r1', 'phone', '632521100201', 'roads', '村道破损', 'accepted', 'station', 1, \
              CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0), \
             ('R2', 'r2', 'phone', '632521100201', 'roads', '村道积水', 'closed', 'nobody', 1, \
              CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0), \
             ('R3', 'r3', 'phone', '632521101200', 'roads', '路灯不亮', 'submitted', 'station', 1, \
              CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 2)",
        ],
    )
    .await;
    let o = liaison(&["sweep", "--database-url", &db.url]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        stdout(&o).contains("counters: 3 changes folded"),
        "{}",
        stdout(&o)
    );
    let rows = db.tally_rows().await.unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    // a counter gone wrong (a restore, a hand edit): the recount puts it right and says so
    exec(
        &db,
        &["UPDATE opinion_tally SET open_n = 7 WHERE region_code = '632521100201'"],
    )
    .await;
    let o = liaison(&["recount", "--database-url", &db.url]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        stdout(&o).contains("recount: 2 counter rows, 1 corrected"),
        "{}",
        stdout(&o)
    );
    assert_eq!(db.tally_rows().await.unwrap(), rows);
    let o = liaison(&["recount", "--database-url", &db.url]);
    assert!(
        stdout(&o).contains("recount: 2 counter rows, 0 corrected"),
        "{}",
        stdout(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recount_from_the_command_line_on_sqlite() {
    recount_from_the_command_line(TestDb::new(Backend::Sqlite).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recount_from_the_command_line_on_postgres() {
    recount_from_the_command_line(TestDb::new(Backend::Postgres).await).await;
}
