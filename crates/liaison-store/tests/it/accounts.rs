//! Accounts and scope at the store: every read and write is held to the caller's subtree and role.

use liaison_domain::password::hash_password;
use liaison_domain::{RegionCode, Role};
use liaison_store::account::{AccountChange, NewAccount};
use liaison_store::{Actor, StoreError};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{self, cast};

fn new(username: &str, region: &str, roles: Vec<Role>) -> NewAccount {
    NewAccount {
        username: username.into(),
        display_name: "新账号".into(),
        region: RegionCode::parse(region).unwrap(),
        roles,
        unit_id: None,
        station_id: None,
        person_id: None,
        password_hash: hash_password(fixtures::PASSWORD).unwrap(),
        must_change_password: true,
    }
}

both_backends!(
    async fn system_admin_is_held_to_own_subtree(db) {
        let c = cast(&db).await;
        let admin = db.scope_of(c.id("sysadmin")).await.unwrap();
        let actor = Actor::of(&admin, "127.0.0.1");
        // inside the county: fine
        db.create_account(&admin, &actor, new("newbie", fixtures::TOWNSHIP, vec![Role::TownshipStaff])).await.unwrap();
        // another county: refused, and nothing written
        let err = db.create_account(&admin, &actor, new("intruder", fixtures::OTHER_COUNTY, vec![Role::Deputy])).await;
        assert!(matches!(err, Err(StoreError::OutOfScope)), "{err:?}");
        assert!(db.login_record("intruder").await.unwrap().is_none());
        // reading an account in another county by guessing its id
        assert!(matches!(db.account(&admin, c.id("far_clerk")).await, Err(StoreError::OutOfScope)));
        // the list never shows it
        let all = db.accounts(&admin, None, None, 1000).await.unwrap();
        assert!(all.iter().all(|a| a.region_code.starts_with("632521")));
        assert!(all.iter().any(|a| a.username == "town_clerk"));
        // and changing it is refused too
        let far = c.id("far_clerk");
        let ch = AccountChange { display_name: "x".into(), region: RegionCode::parse(fixtures::COUNTY).unwrap(), roles: vec![Role::Deputy], unit_id: None, station_id: None, person_id: None };
        assert!(matches!(db.update_account(&admin, &actor, far, ch).await, Err(StoreError::OutOfScope)));
        assert!(matches!(db.set_disabled(&admin, &actor, far, true).await, Err(StoreError::OutOfScope)));
    }
);

both_backends!(
    async fn roles_are_checked_not_just_regions(db) {
        let c = cast(&db).await;
        for who in ["county_clerk", "town_clerk", "auditor", "secadmin", "deputy"] {
            let s = db.scope_of(c.id(who)).await.unwrap();
            let r = db.create_account(&s, &Actor::of(&s, "-"), new(&format!("x_{who}"), fixtures::TOWNSHIP, vec![Role::Deputy])).await;
            assert!(matches!(r, Err(StoreError::Forbidden)), "{who}: {r:?}");
        }
        // only the auditor reads the audit log
        for who in ["sysadmin", "secadmin", "county_clerk"] {
            let s = db.scope_of(c.id(who)).await.unwrap();
            assert!(matches!(db.audit_list(&s, &Default::default(), 10).await, Err(StoreError::Forbidden)), "{who}");
        }
        let auditor = db.scope_of(c.id("auditor")).await.unwrap();
        assert!(!db.audit_list(&auditor, &Default::default(), 10).await.unwrap().is_empty());
    }
);

both_backends!(
    async fn three_admin_roles_cannot_be_combined(db) {
        let c = cast(&db).await;
        let admin = db.scope_of(c.id("sysadmin")).await.unwrap();
        let r = db.create_account(&admin, &Actor::of(&admin, "-"), new("both", fixtures::COUNTY, vec![Role::SecurityAdmin, Role::Auditor])).await;
        assert!(matches!(r, Err(StoreError::Domain(_))), "{r:?}");
        // nor can the system administrator change their own roles
        let ch = AccountChange { display_name: "x".into(), region: RegionCode::parse(fixtures::COUNTY).unwrap(), roles: vec![Role::Auditor], unit_id: None, station_id: None, person_id: None };
        assert!(matches!(db.update_account(&admin, &Actor::of(&admin, "-"), admin.account_id, ch).await, Err(StoreError::Conflict("self_roles"))));
    }
);

both_backends!(
    async fn usernames_are_unique(db) {
        let c = cast(&db).await;
        let admin = db.scope_of(c.id("sysadmin")).await.unwrap();
        let r = db.create_account(&admin, &Actor::of(&admin, "-"), new("town_clerk", fixtures::TOWNSHIP, vec![Role::Deputy])).await;
        assert!(matches!(r, Err(StoreError::Conflict("username"))), "{r:?}");
    }
);

both_backends!(
    async fn role_or_region_change_ends_sessions(db) {
        let c = cast(&db).await;
        let admin = db.scope_of(c.id("sysadmin")).await.unwrap();
        let rec = db.login_record("town_clerk").await.unwrap().unwrap();
        db.login(&rec, liaison_store::account::session::NewSession { token_digest: "d1", csrf_token: "c", ip: "-", user_agent: "t" }).await.unwrap();
        assert!(db.session("d1", chrono::Duration::minutes(30)).await.unwrap().is_some());
        let ch = AccountChange { display_name: "调任".into(), region: RegionCode::parse(fixtures::OTHER_TOWNSHIP).unwrap(), roles: vec![Role::TownshipStaff], unit_id: None, station_id: None, person_id: None };
        db.update_account(&admin, &Actor::of(&admin, "-"), rec.id, ch).await.unwrap();
        assert!(db.session("d1", chrono::Duration::minutes(30)).await.unwrap().is_none());
        let s = db.scope_of(rec.id).await.unwrap();
        assert_eq!(s.region.short(), fixtures::OTHER_TOWNSHIP);
    }
);

mod login_protection {
    //! The login counters at the store: claimed before a password is checked, one statement each.

    use super::*;
    use chrono::{Duration, Utc};
    use liaison_domain::password::PasswordPolicy;
    use liaison_store::account::LoginClaim;
    use liaison_store::account::session::NewSession;

    fn granted(c: &LoginClaim) -> bool {
        matches!(c, LoginClaim::Granted { .. })
    }

    both_backends!(
        async fn parallel_claims_never_exceed_the_threshold(db) {
            cast(&db).await;
            let policy = PasswordPolicy::default();
            let now = Utc::now();
            let tasks: Vec<_> = (0..30)
                .map(|_| {
                    let store = db.store.clone();
                    let policy = policy.clone();
                    tokio::spawn(async move { store.claim_login("town_clerk", "10.0.0.1", &policy, now).await.unwrap() })
                })
                .collect();
            let mut claims = Vec::new();
            for t in tasks {
                claims.push(t.await.unwrap());
            }
            assert_eq!(claims.iter().filter(|c| granted(c)).count(), 5, "{claims:?}");
            // exactly one of them took the lock
            let locks = claims.iter().filter(|c| matches!(c, LoginClaim::Granted { locked_until: Some(_), .. })).count();
            assert_eq!(locks, 1, "{claims:?}");
            // the administrators' pages see it
            let rec = db.login_record("town_clerk").await.unwrap().unwrap();
            assert_eq!(rec.failed_logins, 5);
            assert!(rec.locked_until.is_some_and(|t| t > now));
        }
    );

    both_backends!(
        async fn an_expired_lock_restarts_the_count_and_a_success_resets_it(db) {
            cast(&db).await;
            let p = PasswordPolicy::default();
            let t0 = Utc::now();
            for i in 1..=5 {
                let c = db.claim_login("town_clerk", "10.0.0.1", &p, t0).await.unwrap();
                assert!(matches!(c, LoginClaim::Granted { failures, .. } if failures == i), "{c:?}");
            }
            let c = db.claim_login("town_clerk", "10.0.0.1", &p, t0 + Duration::minutes(14)).await.unwrap();
            let LoginClaim::Refused { until, account_wide: false } = c else { panic!("{c:?}") };
            assert!((until - (t0 + Duration::minutes(15))).num_seconds().abs() < 1, "{until}");
            // sixteen minutes on, the count starts again from zero
            let c = db.claim_login("town_clerk", "10.0.0.1", &p, t0 + Duration::minutes(16)).await.unwrap();
            assert_eq!(c, LoginClaim::Granted { failures: 1, locked_until: None });
            // a success resets the address's count
            db.claim_login("town_clerk", "10.0.0.1", &p, t0 + Duration::minutes(16)).await.unwrap();
            let rec = db.login_record("town_clerk").await.unwrap().unwrap();
            db.login(&rec, NewSession { token_digest: "d1", csrf_token: "c", ip: "10.0.0.1", user_agent: "t" }).await.unwrap();
            let c = db.claim_login("town_clerk", "10.0.0.1", &p, t0 + Duration::minutes(17)).await.unwrap();
            assert!(matches!(c, LoginClaim::Granted { failures: 1, .. }), "{c:?}");
        }
    );

    both_backends!(
        async fn unknown_usernames_are_counted_like_real_ones(db) {
            cast(&db).await;
            let p = PasswordPolicy::default();
            let now = Utc::now();
            for who in ["town_clerk", "nobody_here"] {
                let mut seq = Vec::new();
                for _ in 0..7 {
                    seq.push(db.claim_login(who, "10.0.0.1", &p, now).await.unwrap());
                }
                assert_eq!(seq.iter().filter(|c| granted(c)).count(), 5, "{who}: {seq:?}");
            }
        }
    );

    both_backends!(
        async fn the_account_wide_count_spares_known_addresses_and_the_last_security_administrator(db) {
            let cast = cast(&db).await;
            let p = PasswordPolicy::default();
            let now = Utc::now();
            // the clerk logged in from the office before
            db.claim_login("town_clerk", "10.0.0.2", &p, now).await.unwrap();
            let rec = db.login_record("town_clerk").await.unwrap().unwrap();
            db.login(&rec, NewSession { token_digest: "d1", csrf_token: "c", ip: "10.0.0.2", user_agent: "t" }).await.unwrap();
            for who in ["town_clerk", "secadmin"] {
                for i in 0..p.account_wide().threshold {
                    let c = db.claim_login(who, &format!("10.1.0.{i}"), &p, now).await.unwrap();
                    assert!(granted(&c), "{who} {i}: {c:?}");
                }
            }
            // a new address: the clerk is held off account-wide, the only security administrator is not
            let c = db.claim_login("town_clerk", "10.9.9.9", &p, now).await.unwrap();
            assert!(matches!(c, LoginClaim::Refused { account_wide: true, .. }), "{c:?}");
            assert!(granted(&db.claim_login("secadmin", "10.9.9.9", &p, now).await.unwrap()));
            // the office is a known address
            assert!(granted(&db.claim_login("town_clerk", "10.0.0.2", &p, now).await.unwrap()));
            // once there is a second security administrator over the county, the first is held like anyone
            let admin = db.scope_of(cast.id("sysadmin")).await.unwrap();
            db.create_account(&admin, &Actor::of(&admin, "-"), new("secadmin2", fixtures::COUNTY, vec![Role::SecurityAdmin])).await.unwrap();
            let c = db.claim_login("secadmin", "10.9.9.8", &p, now).await.unwrap();
            assert!(matches!(c, LoginClaim::Refused { account_wide: true, .. }), "{c:?}");
        }
    );

    both_backends!(
        async fn unlocking_lifts_the_locks_of_every_address(db) {
            let c = cast(&db).await;
            let p = PasswordPolicy::default();
            let now = Utc::now();
            for ip in ["10.0.0.1", "10.0.0.2"] {
                for _ in 0..6 {
                    db.claim_login("town_clerk", ip, &p, now).await.unwrap();
                }
            }
            let sec = db.scope_of(c.id("secadmin")).await.unwrap();
            db.unlock_account(&sec, &Actor::of(&sec, "-"), c.id("town_clerk")).await.unwrap();
            for ip in ["10.0.0.1", "10.0.0.2"] {
                let c = db.claim_login("town_clerk", ip, &p, now).await.unwrap();
                assert_eq!(c, LoginClaim::Granted { failures: 1, locked_until: None }, "{ip}");
            }
            let rec = db.login_record("town_clerk").await.unwrap().unwrap();
            assert!(rec.locked_until.is_none());
            // and from the command line, by name
            for _ in 0..6 {
                db.claim_login("secadmin", "10.0.0.1", &p, now).await.unwrap();
            }
            db.unlock_username(&Actor::system("cli"), "secadmin").await.unwrap();
            assert!(granted(&db.claim_login("secadmin", "10.0.0.1", &p, now).await.unwrap()));
            assert!(matches!(db.unlock_username(&Actor::system("cli"), "nobody_here").await, Err(StoreError::NotFound)));
        }
    );

    both_backends!(
        async fn a_password_change_ends_the_other_sessions(db) {
            cast(&db).await;
            let rec = db.login_record("town_clerk").await.unwrap().unwrap();
            for d in ["here", "there"] {
                db.login(&rec, NewSession { token_digest: d, csrf_token: "c", ip: "-", user_agent: "t" }).await.unwrap();
            }
            let scope = db.scope_of(rec.id).await.unwrap();
            let hash = hash_password("Qz8!rTw5Kp").unwrap();
            db.change_own_password(&scope, &Actor::of(&scope, "-"), &hash, "here").await.unwrap();
            let idle = Duration::minutes(30);
            assert!(db.session("here", idle).await.unwrap().is_some());
            assert!(db.session("there", idle).await.unwrap().is_none());
        }
    );
}
