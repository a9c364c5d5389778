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
    let o = liaison(&["bootstrap", "--region", "632521", "--database-url", url]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("初始密码"));
    let o = liaison(&["bootstrap", "--region", "632521", "--database-url", url]);
    assert!(!o.status.success(), "a second bootstrap must be refused");
    let o = liaison(&["bootstrap", "--region", "632521100", "--database-url", url]);
    assert!(!o.status.success(), "a township is no deployment region");
    let o = liaison(&["audit", "verify", "--database-url", url]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("校验通过"));
    tamper.await;
    let o = liaison(&["audit", "verify", "--database-url", url]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("审计日志被篡改"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bootstrap_and_audit_verify_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("liaison.db");
    let url = file.to_str().unwrap().to_owned();
    let u = url.clone();
    bootstrap_then_verify(&url, async move {
        let pool = sqlx::SqlitePool::connect(&u).await.unwrap();
        sqlx::query("DROP TRIGGER audit_log_no_update")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET actor = 'someone else' WHERE seq = 1")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bootstrap_and_audit_verify_on_postgres() {
    // a fresh, empty PostgreSQL database (migrated, no accounts)
    let db = TestDb::new(Backend::Postgres).await;
    let url = db.url.clone();
    let u = url.clone();
    bootstrap_then_verify(&url, async move {
        let pool = sqlx::PgPool::connect(&u).await.unwrap();
        sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET actor = 'someone else' WHERE seq = 1")
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
