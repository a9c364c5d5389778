//! The login protection: an attempt is counted before its password is checked, so a burst cannot
//! outrun the threshold; the failures of one address lock that address out of that account, not the
//! owner elsewhere; an account-wide throttle slows distributed guessing; a flood from one address is
//! refused before any hashing; unknown, wrong, locked and disabled answer alike.

use super::*;

/// Starts `n` wrong-password attempts at once from `ip`, each in its own browser; returns the tasks.
fn burst(
    app: &Arc<TestApp>,
    n: usize,
    ip: &'static str,
    username: &'static str,
) -> Vec<tokio::task::JoinHandle<u16>> {
    (0..n)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                post_login(&mut app.client(), ip, username, WRONG, "/")
                    .await
                    .status
                    .as_u16()
            })
        })
        .collect()
}

both_backends!(
    async fn parallel_wrong_passwords_never_exceed_the_threshold(db) {
        let c = cast(&db).await;
        let app = behind_proxy(db);
        let mut statuses = Vec::new();
        for t in burst(&app, 30, "10.0.0.1", "town_clerk") {
            statuses.push(t.await.unwrap());
        }
        assert!(statuses.iter().all(|s| *s != 303), "{statuses:?}");
        // the policy allows 5 in a row: exactly 5 passwords were checked, the rest refused unchecked
        assert_eq!(checked_failures(&app.db, &c, "town_clerk").await, 5, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 25, "{statuses:?}");
    }
);

both_backends!(
    async fn a_correct_password_inside_a_burst_after_the_lock_does_not_log_in(db) {
        let c = cast(&db).await;
        let app = behind_proxy(db);
        let wrong = burst(&app, 10, "10.0.0.1", "town_clerk");
        // the right password follows once five wrong ones are under way: counted (failed_logins) or,
        // where attempts are only counted after their hash, as soon as the first one is done
        loop {
            let rec = app.db.login_record("town_clerk").await.unwrap().unwrap();
            if rec.failed_logins >= 5 || wrong.iter().any(|t| t.is_finished()) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        let (status, msg) = attempt(&app, "10.0.0.1", "town_clerk", PASSWORD).await;
        assert_ne!(status, 303, "logged in inside a burst of failures: {msg}");
        for t in wrong {
            assert_ne!(t.await.unwrap(), 303);
        }
        assert_eq!(app.db.session_count(c.id("town_clerk")).await.unwrap(), 0);
    }
);

both_backends!(
    async fn a_locked_address_does_not_lock_the_owner_from_another_address(db) {
        cast(&db).await;
        let app = behind_proxy(db);
        for i in 1..=5 {
            let (status, _) = attempt(&app, "10.0.0.1", "town_clerk", WRONG).await;
            assert_eq!(status, 422, "attempt {i}");
        }
        // that address is out, even with the right password
        let (status, msg) = attempt(&app, "10.0.0.1", "town_clerk", PASSWORD).await;
        assert_eq!(status, 429, "{msg}");
        assert!(msg.contains("分钟后再试"), "{msg}");
        // the owner at their own desk is not
        let (status, msg) = attempt(&app, "10.0.0.2", "town_clerk", PASSWORD).await;
        assert_eq!(status, 303, "{msg}");
    }
);

both_backends!(
    async fn an_expired_lock_restarts_the_count(db) {
        cast(&db).await;
        let app = behind_proxy(db);
        for _ in 1..=5 {
            attempt(&app, "10.0.0.1", "town_clerk", WRONG).await;
        }
        assert_eq!(attempt(&app, "10.0.0.1", "town_clerk", PASSWORD).await.0, 429);
        // fifteen minutes later: every lock has run out (moved into the past here)
        let past = chrono::Utc::now() - chrono::Duration::minutes(1);
        exec(&app.db, "UPDATE account SET locked_until = $1 WHERE locked_until IS NOT NULL", past).await;
        let moved = exec(&app.db, "UPDATE login_throttle SET locked_until = $1 WHERE locked_until IS NOT NULL", past).await;
        assert!(moved, "the throttle's locks are in login_throttle");
        // one more mistake is the first of a new count, not a new lock
        let (status, msg) = attempt(&app, "10.0.0.1", "town_clerk", WRONG).await;
        assert_eq!((status, msg.as_str()), (422, "用户名或密码错误"));
        assert_eq!(attempt(&app, "10.0.0.1", "town_clerk", PASSWORD).await.0, 303);
    }
);

both_backends!(
    async fn anonymous_traffic_cannot_lock_the_last_security_administrator(db) {
        cast(&db).await;
        let app = behind_proxy(db);
        // the fixtures' province-wide security administrator is the one nobody above covers (the
        // county's `secadmin` has `rootsec` above it, who could unlock it)
        let last = app.db.login_record("rootsec").await.unwrap().unwrap().id;
        // one address hammers, and forty others guess once each (more than the account-wide limit)
        for _ in 0..8 {
            attempt(&app, "10.0.0.1", "rootsec", WRONG).await;
        }
        for i in 1..=40 {
            attempt(&app, &format!("10.1.0.{i}"), "rootsec", WRONG).await;
        }
        // the last security administrator still gets in, from an address never seen before
        let (status, msg) = attempt(&app, "10.9.9.9", "rootsec", PASSWORD).await;
        assert_eq!(status, 303, "{msg}");
        assert!(app.db.session_count(last).await.unwrap() > 0);
        // one who has someone above is held like any account: that one can unlock it
        for i in 1..=40 {
            attempt(&app, &format!("10.2.0.{i}"), "secadmin", WRONG).await;
        }
        assert_eq!(attempt(&app, "10.9.9.8", "secadmin", PASSWORD).await.0, 429);
    }
);

both_backends!(
    async fn distributed_guessing_is_throttled_account_wide_but_not_from_known_addresses(db) {
        cast(&db).await;
        let app = behind_proxy(db);
        // the clerk logs in from the office as usual
        assert_eq!(attempt(&app, "10.0.0.2", "town_clerk", PASSWORD).await.0, 303);
        // forty addresses guess once each
        for i in 1..=40 {
            attempt(&app, &format!("10.1.0.{i}"), "town_clerk", WRONG).await;
        }
        // a new address is held off, right password or not, and told how long to wait
        let (status, msg) = attempt(&app, "10.9.9.9", "town_clerk", PASSWORD).await;
        assert_eq!(status, 429, "{msg}");
        assert!(msg.contains("分钟后再试"), "{msg}");
        // the office is not
        assert_eq!(attempt(&app, "10.0.0.2", "town_clerk", PASSWORD).await.0, 303);
    }
);

both_backends!(
    async fn locked_disabled_unknown_and_wrong_answer_alike_without_the_password(db) {
        let c = cast(&db).await;
        let admin = db.scope_of(c.id("sysadmin")).await.unwrap();
        db.set_disabled(&admin, &liaison_store::Actor::of(&admin, "-"), c.id("deputy"), true).await.unwrap();
        let app = behind_proxy(db);
        let mut answers = Vec::new();
        for (ip, username) in [("10.0.0.1", "town_clerk"), ("10.0.0.2", "nobody_here"), ("10.0.0.3", "deputy")] {
            let mut seq = Vec::new();
            for _ in 0..7 {
                seq.push(attempt(&app, ip, username, WRONG).await);
            }
            answers.push((username, seq));
        }
        assert_eq!(answers[0].1, answers[1].1, "existing vs unknown user");
        assert_eq!(answers[0].1, answers[2].1, "enabled vs disabled account");
        assert!(answers[0].1.iter().all(|(_, m)| !m.contains("停用")));
        // only the right password learns that the account is disabled
        let (status, msg) = attempt(&app, "10.0.0.4", "deputy", PASSWORD).await;
        assert_eq!(status, 422);
        assert!(msg.contains("停用"), "{msg}");
    }
);

both_backends!(
    async fn a_flood_from_one_address_is_refused_before_hashing_and_says_how_long_to_wait(db) {
        let c = cast(&db).await;
        let app = behind_proxy(db);
        let mut refused = Vec::new();
        for i in 0..40 {
            let (status, msg) = attempt(&app, "10.0.0.7", &format!("guess{i}"), WRONG).await;
            if status == 429 {
                refused.push(msg);
            }
        }
        assert_eq!(refused.len(), 10, "30 failures per address, then refused");
        assert!(refused.iter().all(|m| m.contains("分钟后再试")), "{refused:?}");
        // the audit log got one row per checked failure and at most one for the refused ones
        assert_eq!(audit_rows(&app.db, &c, "login.failure").await.len(), 30);
        assert!(audit_rows(&app.db, &c, "login.throttled").await.len() <= 1);
        // another address is not affected
        assert_eq!(attempt(&app, "10.0.0.8", "town_clerk", PASSWORD).await.0, 303);
    }
);

both_backends!(
    async fn anonymous_failures_are_audited_as_bounded_json(db) {
        let c = cast(&db).await;
        let app = behind_proxy(db);
        let evil = format!("x\u{7}\u{1b}[31m\r\nFAKE ENTRY {}", "A".repeat(500));
        attempt(&app, "10.0.0.1", &evil, WRONG).await;
        let rows = audit_rows(&app.db, &c, "login.failure").await;
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!(row.actor, "anonymous", "the actor is never text the caller chose");
        let detail: serde_json::Value = serde_json::from_str(&row.detail).expect("detail is JSON");
        let name = detail["username"].as_str().expect("the name tried is data");
        assert!(name.chars().count() <= 32, "{name}");
        assert!(!name.chars().any(char::is_control), "{name:?}");
        assert!(name.starts_with("x[31m"), "{name}");
    }
);
