//! Logging in: wrong passwords, lockout and unlock, forced password change, logout, CSRF. The login
//! protection (attempts counted before the hash, per address and per account), the redirect after
//! login and the sessions a password change ends are in the submodules.

mod protection;
mod redirect;
mod sessions;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, header};
use liaison_store::audit::AuditFilter;
use liaison_testkit::app::{Client, TestApp, TestResponse};
use liaison_testkit::fixtures::{Cast, PASSWORD, cast};
use liaison_testkit::{Backend, TestDb, both_backends};
use liaison_web::WebConfig;

const WRONG: &str = "Wrong#Pass2026";

/// An app that takes the client address from `X-Forwarded-For`, so a test can speak from several.
fn behind_proxy(db: TestDb) -> Arc<TestApp> {
    Arc::new(TestApp::with_config(
        db,
        WebConfig {
            trusted_proxies: liaison_web::TrustedProxies::loopback(),
            ..Default::default()
        },
    ))
}

/// Posts the login form from address `ip`, as a browser that loaded the form would.
async fn post_login(
    c: &mut Client<'_>,
    ip: &str,
    username: &str,
    password: &str,
    next: &str,
) -> TestResponse {
    if c.csrf().is_none() {
        c.get("/login").await;
    }
    let csrf = c.csrf().expect("the login form gives a token").to_owned();
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("username", username)
        .append_pair("password", password)
        .append_pair("next", next)
        .append_pair("_csrf", &csrf)
        .finish();
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", ip)
        .body(Body::from(body))
        .unwrap();
    c.send(req).await
}

/// One login attempt by a fresh browser at `ip`: (status, the message shown).
async fn attempt(app: &TestApp, ip: &str, username: &str, password: &str) -> (u16, String) {
    let r = post_login(&mut app.client(), ip, username, password, "/").await;
    let msg = if r.status.is_redirection() {
        String::new()
    } else {
        r.html().text("#login-error")
    };
    (r.status.as_u16(), msg)
}

/// The audit log's entries of one action (read as the auditor).
async fn audit_rows(db: &TestDb, cast: &Cast, action: &str) -> Vec<liaison_store::audit::AuditRow> {
    let auditor = db.scope_of(cast.id("auditor")).await.unwrap();
    let f = AuditFilter {
        action: Some(action.to_owned()),
        ..Default::default()
    };
    db.audit_list(&auditor, &f, 10_000).await.unwrap()
}

/// How many wrong passwords of `username` were actually checked (each checked failure is audited).
async fn checked_failures(db: &TestDb, cast: &Cast, username: &str) -> usize {
    let target = format!("account:{}", cast.id(username));
    audit_rows(db, cast, "login.failure")
        .await
        .iter()
        .filter(|r| r.target == target)
        .count()
}

/// Runs one statement on the test database (to move a lock into the past).
async fn exec(db: &TestDb, sql: &str, at: chrono::DateTime<chrono::Utc>) -> bool {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match db.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            let ok = sqlx::query(sql).bind(at).execute(&pool).await.is_ok();
            pool.close().await;
            ok
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            let ok = sqlx::query(sql).bind(at).execute(&pool).await.is_ok();
            pool.close().await;
            ok
        }
    }
}

both_backends!(
    async fn wrong_passwords_lock_the_account_until_security_unlocks(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        for i in 1..=5 {
            let r = c.login("town_clerk", WRONG).await;
            assert_eq!(r.status.as_u16(), 422, "attempt {i}");
            let msg = r.html().text("#login-error");
            assert!(msg.contains("用户名或密码错误"), "{msg}");
            if i == 5 {
                assert!(msg.contains("15 分钟内不能再登录"), "{msg}");
            }
        }
        // the right password no longer helps from here, and the page says for how long
        let r = c.login("town_clerk", PASSWORD).await;
        assert_eq!(r.status.as_u16(), 429);
        assert_eq!(r.headers.get(header::RETRY_AFTER).map(|v| v.to_str().unwrap().parse::<u64>().unwrap() > 800), Some(true));
        assert!(r.html().text("#login-error").contains("请 15 分钟后再试"));
        // the security administrator's page shows the lock
        let id = app.db.login_record("town_clerk").await.unwrap().unwrap().id;
        let mut sec = app.client();
        assert_eq!(sec.login("secadmin", PASSWORD).await.status.as_u16(), 303);
        let r = sec.get(&format!("/admin/accounts/{id}")).await;
        assert!(r.body.contains("已锁定"), "{}", r.body);
        // and lifts it
        let r = sec.post_form(&format!("/admin/accounts/{id}/unlock"), &[]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(c.login("town_clerk", PASSWORD).await.status.as_u16(), 303);
        // all of it is in the audit log
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let r = aud.get_json("/api/v1/audit?action=account.").await;
        let actions: Vec<String> = r.json()["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect();
        assert!(actions.contains(&"account.locked".to_owned()), "{actions:?}");
        assert!(actions.contains(&"account.unlock".to_owned()), "{actions:?}");
        let fails = aud.get_json("/api/v1/audit?action=login.failure").await.json()["items"].as_array().unwrap().len();
        assert_eq!(fails, 5, "the refused attempt was not checked");
        let refused = aud.get_json("/api/v1/audit?action=login.throttled").await.json()["items"].as_array().unwrap().len();
        assert_eq!(refused, 1);
    }
);

both_backends!(
    async fn unknown_user_gets_the_same_answer(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let r = app.client().login("nobody_here", PASSWORD).await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.html().text("#login-error"), "用户名或密码错误");
    }
);

both_backends!(
    async fn a_new_account_must_change_its_password_first(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        // bad input: every problem named, nothing created
        let r = admin
            .post_form("/admin/accounts", &[("username", "1x"), ("display_name", ""), ("region", "520112")])
            .await;
        assert_eq!(r.status.as_u16(), 422);
        let errors = r.html().texts("ul.errors li");
        assert!(errors.iter().any(|e| e.contains("用户名")), "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("管辖范围")), "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("至少需要一个角色")), "{errors:?}");
        assert!(app.db.login_record("1x").await.unwrap().is_none());
        // good input
        let r = admin
            .post_form(
                "/admin/accounts",
                &[("username", "newclerk"), ("display_name", "新同志"), ("region", "632521100"), ("roles", "township_staff"), ("roles", "chair_meeting")],
            )
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let initial = r.html().text("#initial-password");
        // the township role reads citizens' contacts: it takes effect when the security administrator grants it
        let id = app.db.login_record("newclerk").await.unwrap().unwrap().id;
        liaison_testkit::fixtures::grant(&app.db, id).await;
        // the new person logs in and is sent to change the password
        let mut me = app.client();
        assert_eq!(me.login("newclerk", &initial).await.status.as_u16(), 303);
        let r = me.get("/").await;
        assert_eq!(r.location(), Some("/account/password"));
        assert_eq!(me.get_json("/api/v1/me").await.status.as_u16(), 403);
        // a weak new password is refused with reasons
        let r = me.post_form("/account/password", &[("current", &initial), ("new", "abc"), ("confirm", "abc")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().texts("ul.errors li").iter().any(|e| e.contains("长度至少")));
        let r = me.post_form("/account/password", &[("current", &initial), ("new", "Qz8!rTw5Kp"), ("confirm", "Qz8!rTw5Kp")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let r = me.get("/").await;
        assert_eq!(r.status.as_u16(), 200);
        assert!(r.html().text("#home-region").contains("恰卜恰镇"));
        let roles = me.get_json("/api/v1/me").await.json()["roles"].clone();
        assert_eq!(roles, serde_json::json!(["chair_meeting", "township_staff"]), "roles, by name");
    }
);

both_backends!(
    async fn logout_ends_the_session(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("county_clerk", PASSWORD).await;
        assert_eq!(c.get("/").await.status.as_u16(), 200);
        let r = c.post_form("/logout", &[]).await;
        assert_eq!(r.location(), Some("/login?done=logout"));
        // signed out: the public front door, and staff pages ask for a login again
        assert_eq!(c.get("/").await.html().count("#home-region"), 0);
        assert_eq!(c.get("/opinions").await.status.as_u16(), 303);
    }
);

both_backends!(
    async fn forms_without_the_right_token_are_refused(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("secadmin", PASSWORD).await;
        let form = [("min_length", "12"), ("min_classes", "3"), ("max_age_days", "90"), ("lockout_threshold", "5"), ("lockout_minutes", "15"), ("session_idle_minutes", "30")];
        let mut with_bad: Vec<(&str, &str)> = form.to_vec();
        with_bad.push(("_csrf", "0000000000000000000000000000000000000000000000000000000000000000"));
        let r = c.post_form("/admin/security", &with_bad).await;
        assert_eq!(r.status.as_u16(), 403);
        assert!(r.body.contains("页面已过期"), "{}", r.body);
        // a cross-site origin is refused even with the token
        let token = c.csrf().unwrap().to_owned();
        let req = axum::http::Request::post("/admin/security")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", "http://evil.example")
            .header("host", "localhost")
            .body(axum::body::Body::from(format!("_csrf={token}&min_length=12")))
            .unwrap();
        assert_eq!(c.send(req).await.status.as_u16(), 403);
        // the policy did not change
        assert_eq!(app.db.password_policy().await.unwrap().min_length, 10);
        // with the token it does
        let r = c.post_form("/admin/security", &form).await;
        assert_eq!(r.status.as_u16(), 303);
        assert_eq!(app.db.password_policy().await.unwrap().min_length, 12);
        // and the floor holds
        let mut weak = form.to_vec();
        weak[0] = ("min_length", "6");
        let r = c.post_form("/admin/security", &weak).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("最小长度应在 8"));
        // deputies' own accounts: how long their phone stays signed in, within its bounds
        let mut deputies = form.to_vec();
        deputies.push(("deputy_session_days", "31"));
        deputies.push(("deputy_max_age_days", "0"));
        let r = c.post_form("/admin/security", &deputies).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("代表手机登录保持天数应在 0～30"), "{}", r.body);
        deputies[6] = ("deputy_session_days", "14");
        assert_eq!(c.post_form("/admin/security", &deputies).await.status.as_u16(), 303);
        let p = app.db.password_policy().await.unwrap();
        assert_eq!((p.deputy_session_days, p.deputy_max_age_days), (14, 0));
    }
);
