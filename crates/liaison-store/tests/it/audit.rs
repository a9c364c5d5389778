//! The audit log: written with the action, chained, append-only, tamper-evident on both backends.

use liaison_domain::audit::{AuditAction, ChainBreak};
use liaison_store::Actor;
use liaison_store::audit::{AuditFilter, AuditRow};
use liaison_testkit::fixtures::cast;
use liaison_testkit::{Backend, TestDb, both_backends};

async fn exec(db: &TestDb, sql: &'static str) {
    match db.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

async fn exec_fails(db: &TestDb, sql: &'static str) -> bool {
    match db.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.is_err()
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.is_err()
        }
    }
}

both_backends!(
    async fn every_account_action_is_chained_and_verifies(db) {
        let c = cast(&db).await;
        let n = db.audit_verify().await.unwrap().expect("intact");
        // bootstrap + one create per cast member, and the grants of what waited for one (see fixtures)
        assert!(n > 1 + c.ids.len() as i64, "{n}");
        let auditor = db.scope_of(c.id("auditor")).await.unwrap();
        let rows = db.audit_list(&auditor, &Default::default(), 100).await.unwrap();
        assert!(rows.iter().any(|r| r.action == "account.create" && r.detail.contains("town_clerk")));
        // the auditor of 共和县 does not see the other county's entries
        assert!(rows.iter().all(|r| r.region_code.as_deref().is_none_or(|c| c.starts_with("63"))));
        assert!(!rows.iter().any(|r| r.detail.contains("far_clerk")));
    }
);

both_backends!(
    async fn the_database_refuses_to_change_audit_rows(db) {
        cast(&db).await;
        assert!(exec_fails(&db, "UPDATE audit_log SET actor = 'x' WHERE seq = 1").await);
        assert!(exec_fails(&db, "DELETE FROM audit_log WHERE seq = 1").await);
        assert!(db.audit_verify().await.unwrap().is_ok());
    }
);

both_backends!(
    async fn a_changed_row_is_found(db) {
        cast(&db).await;
        match db.backend {
            Backend::Sqlite => exec(&db, "DROP TRIGGER audit_log_no_update").await,
            Backend::Postgres => exec(&db, "DROP TRIGGER audit_log_no_update ON audit_log").await,
        }
        exec(&db, "UPDATE audit_log SET detail = '{}' WHERE seq = 3").await;
        assert_eq!(db.audit_verify().await.unwrap(), Err(ChainBreak::Content { seq: 3 }));
    }
);

both_backends!(
    async fn a_deleted_row_is_found(db) {
        cast(&db).await;
        match db.backend {
            Backend::Sqlite => exec(&db, "DROP TRIGGER audit_log_no_delete").await,
            Backend::Postgres => exec(&db, "DROP TRIGGER audit_log_no_update ON audit_log").await,
        }
        exec(&db, "DELETE FROM audit_log WHERE seq = 2").await;
        assert_eq!(db.audit_verify().await.unwrap(), Err(ChainBreak::Gap { expected: 2, found: 3 }));
    }
);

both_backends!(
    async fn concurrent_appends_keep_one_chain(db) {
        cast(&db).await;
        let before = db.audit_verify().await.unwrap().expect("intact");
        let mut tasks = Vec::new();
        for i in 0..40 {
            let store = db.store.clone();
            tasks.push(tokio::spawn(async move {
                let actor = Actor { account_id: None, username: format!("t{i}"), ip: "-".into() };
                store.audit_alone(&actor, AuditAction::LoginFailure, "x", None, "{}").await.unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let n = db.audit_verify().await.unwrap().expect("chain intact under concurrency");
        // the cast's rows, then exactly the 40 appended: none lost or doubled
        assert_eq!(n, before + 40);
    }
);

both_backends!(
    async fn a_whole_code_filters_itself_and_rows_read_back_in_chinese(db) {
        let c = cast(&db).await;
        let actor = Actor::system("t");
        for a in [AuditAction::OpinionSupervise, AuditAction::OpinionSuperviseAck] {
            db.audit_alone(&actor, a, "opinion:1", None, "{}").await.unwrap();
        }
        let auditor = db.scope_of(c.id("auditor")).await.unwrap();
        let f = |action: &str| AuditFilter { action: Some(action.into()), ..Default::default() };
        let rows = db.audit_list(&auditor, &f("opinion.supervise"), 10).await.unwrap();
        assert_eq!(rows.iter().map(|r| r.action_label()).collect::<Vec<_>>(), ["发出督办单"]);
        let rows = db.audit_list(&auditor, &f("opinion."), 10).await.unwrap();
        assert_eq!(rows.len(), 2, "anything else is still a prefix");
        // a code this version does not know (older data) says so instead of showing a bare code
        let old = AuditRow { action: "seed.demo".into(), ..rows[0].clone() };
        assert_eq!(old.action_label(), "其他操作（seed.demo）");
    }
);
