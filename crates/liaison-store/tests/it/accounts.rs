//! Accounts and scope at the store: every read and write is held to the caller's subtree and role.

use liaison_domain::password::{PasswordPolicy, hash_password};
use liaison_domain::{RegionCode, Role};
use liaison_store::account::{AccountChange, Close, Done, NewAccount};
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
        assert!(matches!(db.update_account(&admin, &Actor::of(&admin, "-"), admin.account_id, ch).await, Err(StoreError::Refused(_))));
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
        assert!(db.session("d1", &PasswordPolicy::default()).await.unwrap().is_some());
        let ch = AccountChange { display_name: "调任".into(), region: RegionCode::parse(fixtures::OTHER_TOWNSHIP).unwrap(), roles: vec![Role::TownshipStaff], unit_id: None, station_id: None, person_id: None };
        // another township's citizens: the move waits for the security administrator's grant
        db.update_account(&admin, &Actor::of(&admin, "-"), rec.id, ch).await.unwrap();
        assert!(db.session("d1", &PasswordPolicy::default()).await.unwrap().is_some());
        fixtures::grant(&db, rec.id).await;
        assert!(db.session("d1", &PasswordPolicy::default()).await.unwrap().is_none());
        let s = db.scope_of(rec.id).await.unwrap();
        assert_eq!(s.region.short(), fixtures::OTHER_TOWNSHIP);
    }
);

// 三员分立: the administrators do not manage one another alone, nobody acts on their own account, and
// roles that read personal data wait for the security administrator's grant (docs/ADMINISTRATORS.md).

/// What a refused or pending action must leave as it was: password, state, roles, region.
async fn snapshot(db: &liaison_testkit::TestDb, id: i64) -> (String, bool, bool, Vec<Role>, String) {
    let root = db.scope_of(id).await.unwrap();
    let hash = db.password_hash_of(id).await.unwrap();
    let rec = db.login_record(&root.username).await.unwrap().unwrap();
    let must_change = {
        let sec = db.login_record("secadmin").await.unwrap().unwrap().id;
        let sec = db.scope_of(sec).await.unwrap();
        db.account(&sec, id).await.unwrap().must_change_password
    };
    (
        hash,
        rec.disabled,
        must_change,
        root.roles,
        root.region.short().to_owned(),
    )
}

both_backends!(
    async fn the_system_administrator_alone_cannot_touch_the_other_administrators(db) {
        let c = cast(&db).await;
        let admin = db.scope_of(c.id("sysadmin")).await.unwrap();
        let actor = Actor::of(&admin, "-");
        for who in ["secadmin", "auditor"] {
            let id = c.id(who);
            let before = snapshot(&db, id).await;
            let new_hash = hash_password("Tmp#pass2026x").unwrap();
            // asked, not done: another administrator confirms
            let r = db.reset_password(&admin, &actor, id, &new_hash).await;
            assert!(matches!(r, Ok(Done::Requested(_))), "{who}: {r:?}");
            let r = db.set_disabled(&admin, &actor, id, true).await;
            assert!(matches!(r, Ok(Done::Requested(_))), "{who}: {r:?}");
            let ch = AccountChange { display_name: "x".into(), region: RegionCode::parse(fixtures::TOWNSHIP).unwrap(), roles: vec![Role::TownshipStaff], unit_id: None, station_id: None, person_id: None };
            let r = db.update_account(&admin, &actor, id, ch).await;
            assert!(matches!(r, Err(StoreError::Refused(_))), "{who}: roles or region changed: {r:?}");
            assert_eq!(snapshot(&db, id).await, before, "{who}: password, state, roles and region unchanged");
        }
    }
);

both_backends!(
    async fn no_account_holds_an_administrator_role_with_another_role(db) {
        let c = cast(&db).await;
        let admin = db.scope_of(c.id("sysadmin")).await.unwrap();
        let actor = Actor::of(&admin, "-");
        for roles in [vec![Role::SystemAdmin, Role::TownshipStaff], vec![Role::Auditor, Role::ChairMeeting], vec![Role::SecurityAdmin, Role::Deputy]] {
            let r = db.create_account(&admin, &actor, new("mixed", fixtures::COUNTY, roles.clone())).await;
            assert!(r.is_err(), "{roles:?} created");
            assert!(db.login_record("mixed").await.unwrap().is_none());
        }
        // nor is an administrator role added to a business account
        let clerk = c.id("town_clerk");
        let before = snapshot(&db, clerk).await;
        let ch = AccountChange { display_name: "x".into(), region: RegionCode::parse(fixtures::TOWNSHIP).unwrap(), roles: vec![Role::TownshipStaff, Role::SecurityAdmin], unit_id: None, station_id: None, person_id: None };
        assert!(db.update_account(&admin, &actor, clerk, ch).await.is_err());
        let ch = AccountChange { display_name: "x".into(), region: RegionCode::parse(fixtures::TOWNSHIP).unwrap(), roles: vec![Role::Auditor], unit_id: None, station_id: None, person_id: None };
        assert!(db.update_account(&admin, &actor, clerk, ch).await.is_err());
        assert_eq!(snapshot(&db, clerk).await, before);
    }
);

both_backends!(
    async fn nobody_changes_their_own_account_in_account_management(db) {
        let c = cast(&db).await;
        let admin = db.scope_of(c.id("sysadmin")).await.unwrap();
        let actor = Actor::of(&admin, "-");
        let before = snapshot(&db, admin.account_id).await;
        // narrowing one's own region (it could not be undone), or any other change of one's own account
        let ch = AccountChange { display_name: "改名".into(), region: RegionCode::parse(fixtures::TOWNSHIP).unwrap(), roles: vec![Role::SystemAdmin], unit_id: None, station_id: None, person_id: None };
        let r = db.update_account(&admin, &actor, admin.account_id, ch).await;
        assert!(matches!(r, Err(StoreError::Refused(_))), "{r:?}");
        let _ = db.reset_password(&admin, &actor, admin.account_id, &hash_password("Tmp#pass2026x").unwrap()).await;
        assert_eq!(snapshot(&db, admin.account_id).await, before);
        let sec = db.scope_of(c.id("secadmin")).await.unwrap();
        let r = db.end_sessions(&sec, &Actor::of(&sec, "-"), sec.account_id).await;
        assert!(matches!(r, Err(StoreError::Refused(_))), "{r:?}");
    }
);

both_backends!(
    async fn a_role_reading_personal_data_waits_for_the_security_administrators_grant(db) {
        let c = cast(&db).await;
        let admin = db.scope_of(c.id("sysadmin")).await.unwrap();
        let actor = Actor::of(&admin, "-");
        let id = db.create_account(&admin, &actor, new("newclerk", fixtures::TOWNSHIP, vec![Role::TownshipStaff])).await.unwrap();
        let roles = db.scope_of(id).await.unwrap().roles;
        assert!(!roles.contains(&Role::TownshipStaff), "effective before the grant: {roles:?}");
        // a role that reads nobody's personal data takes effect at once
        let id = db.create_account(&admin, &actor, new("newchair", fixtures::COUNTY, vec![Role::ChairMeeting])).await.unwrap();
        assert_eq!(db.scope_of(id).await.unwrap().roles, [Role::ChairMeeting]);
        // and adding one to an existing account waits too
        let chair = c.id("chair");
        let ch = AccountChange { display_name: "主任".into(), region: RegionCode::parse(fixtures::COUNTY).unwrap(), roles: vec![Role::ChairMeeting, Role::CommitteeStaff], unit_id: None, station_id: None, person_id: None };
        let _ = db.update_account(&admin, &actor, chair, ch).await;
        assert_eq!(db.scope_of(chair).await.unwrap().roles, [Role::ChairMeeting]);
        // the security administrator grants the first, rejects the second
        let sec = db.scope_of(c.id("secadmin")).await.unwrap();
        let sec_actor = Actor::of(&sec, "-");
        let clerk = db.login_record("newclerk").await.unwrap().unwrap().id;
        let open = db.open_requests_of(&sec, clerk).await.unwrap();
        assert_eq!(open.len(), 1);
        // not by the one who proposed it
        let r = db.confirm_request(&admin, &actor, open[0].id, None).await;
        assert!(matches!(r, Err(StoreError::Refused(_))), "{r:?}");
        assert_eq!(db.scope_of(clerk).await.unwrap().roles, []);
        db.confirm_request(&sec, &sec_actor, open[0].id, None).await.unwrap();
        assert_eq!(db.scope_of(clerk).await.unwrap().roles, [Role::TownshipStaff]);
        // a request is decided once
        let again = db.confirm_request(&sec, &sec_actor, open[0].id, None).await;
        assert!(matches!(again, Err(StoreError::Conflict("request_closed"))), "{again:?}");
        let proposal = db.open_requests_of(&sec, chair).await.unwrap();
        db.close_request(&sec, &sec_actor, proposal[0].id, Close::Reject).await.unwrap();
        assert_eq!(db.scope_of(chair).await.unwrap().roles, [Role::ChairMeeting]);
        assert!(db.open_requests_of(&sec, chair).await.unwrap().is_empty());
        // all of it is in the log the auditor reads, with who asked
        let auditor = db.scope_of(c.id("auditor")).await.unwrap();
        let rows = db.audit_list(&auditor, &Default::default(), 200).await.unwrap();
        let find = |action: &str, target: i64| rows.iter().find(|r| r.action == action && r.target == format!("account:{target}"));
        let asked = find("account.request", clerk).expect("the proposal");
        assert_eq!(asked.actor, "sysadmin");
        let granted = find("account.grant", clerk).expect("the grant");
        assert_eq!((granted.actor.as_str(), granted.action_label().as_ref()), ("secadmin", "授权角色和范围"));
        assert!(granted.detail.contains("\"requested_by\":\"sysadmin\""), "{}", granted.detail);
        assert_eq!(find("account.request_reject", chair).expect("the rejection").actor, "secadmin");
    }
);

both_backends!(
    async fn resetting_the_auditors_password_needs_a_second_administrator(db) {
        let c = cast(&db).await;
        let (sys, sec, aud) = (db.scope_of(c.id("sysadmin")).await.unwrap(), db.scope_of(c.id("secadmin")).await.unwrap(), db.scope_of(c.id("auditor")).await.unwrap());
        let auditor = aud.account_id;
        let before = snapshot(&db, auditor).await;
        let asked = db.reset_password(&sys, &Actor::of(&sys, "-"), auditor, &hash_password("Ignored#2026x").unwrap()).await.unwrap();
        let Done::Requested(request) = asked else { panic!("{asked:?}") };
        assert_eq!(snapshot(&db, auditor).await, before, "nothing changes on asking");
        // neither the one who asked nor the auditor concerned confirms it
        let fresh = hash_password("Fresh#pass2026").unwrap();
        let r = db.confirm_request(&sys, &Actor::of(&sys, "-"), request, Some(&fresh)).await;
        assert!(matches!(r, Err(StoreError::Refused(_))), "{r:?}");
        let r = db.confirm_request(&aud, &Actor::of(&aud, "-"), request, Some(&fresh)).await;
        assert!(matches!(r, Err(StoreError::Refused(_))), "{r:?}");
        assert_eq!(snapshot(&db, auditor).await, before);
        // the security administrator does, and is the one who receives the password
        let done = db.confirm_request(&sec, &Actor::of(&sec, "-"), request, Some(&fresh)).await.unwrap();
        assert!(done.password_set);
        assert_eq!(db.password_hash_of(auditor).await.unwrap(), fresh);
        assert!(db.account(&sec, auditor).await.unwrap().must_change_password);
        let rows = db.audit_list(&aud, &Default::default(), 200).await.unwrap();
        let reset = rows.iter().find(|r| r.action == "account.reset_password" && r.target == format!("account:{auditor}")).expect("reset row");
        assert_eq!(reset.actor, "secadmin");
        assert!(reset.detail.contains(&format!("\"request\":{request}")), "{}", reset.detail);
        assert!(rows.iter().any(|r| r.action == "account.request" && r.actor == "sysadmin" && r.target == format!("account:{auditor}")));
    }
);

both_backends!(
    async fn each_administrators_account_needs_the_two_other_administrators(db) {
        let c = cast(&db).await;
        let (sys, sec, aud) = (db.scope_of(c.id("sysadmin")).await.unwrap(), db.scope_of(c.id("secadmin")).await.unwrap(), db.scope_of(c.id("auditor")).await.unwrap());
        // the security administrator's account: asked by the system administrator, confirmed by the auditor
        let Done::Requested(r) = db.set_disabled(&sys, &Actor::of(&sys, "-"), sec.account_id, true).await.unwrap() else { panic!() };
        assert!(!db.login_record("secadmin").await.unwrap().unwrap().disabled);
        db.confirm_request(&aud, &Actor::of(&aud, "-"), r, None).await.unwrap();
        assert!(db.login_record("secadmin").await.unwrap().unwrap().disabled);
        // the system administrator's: asked by the auditor? never — the auditor only confirms
        let r = db.reset_password(&aud, &Actor::of(&aud, "-"), sys.account_id, "x").await;
        assert!(matches!(r, Err(StoreError::Forbidden)), "{r:?}");
        // two administrators of one duty never manage each other: the far county's system administrator
        // is out of reach anyway; a security administrator cannot reset a business account's password
        let clerk = c.id("town_clerk");
        let before = snapshot(&db, clerk).await;
        let r = db.reset_password(&sec, &Actor::of(&sec, "-"), clerk, "x").await;
        assert!(matches!(r, Err(StoreError::Refused(_))), "{r:?}");
        assert_eq!(snapshot(&db, clerk).await, before);
        // the one who asked may withdraw; then nothing is left to confirm
        let Done::Requested(r) = db.set_disabled(&sys, &Actor::of(&sys, "-"), sec.account_id, false).await.unwrap() else { panic!() };
        let r2 = db.close_request(&aud, &Actor::of(&aud, "-"), r, Close::Withdraw).await;
        assert!(matches!(r2, Err(StoreError::Refused(_))), "only the asker withdraws: {r2:?}");
        db.close_request(&sys, &Actor::of(&sys, "-"), r, Close::Withdraw).await.unwrap();
        assert!(matches!(db.confirm_request(&aud, &Actor::of(&aud, "-"), r, None).await, Err(StoreError::Conflict("request_closed"))));
        assert!(db.login_record("secadmin").await.unwrap().unwrap().disabled);
    }
);

both_backends!(
    async fn only_the_first_security_and_audit_administrators_are_created_directly(db) {
        let c = cast(&db).await;
        let sys = db.scope_of(c.id("sysadmin")).await.unwrap();
        let actor = Actor::of(&sys, "-");
        // the fixtures hold both already: a second one waits for the grant, with no role until then
        for (name, role) in [("sec2", Role::SecurityAdmin), ("aud2", Role::Auditor), ("sys2", Role::SystemAdmin)] {
            let id = db.create_account(&sys, &actor, new(name, fixtures::COUNTY, vec![role])).await.unwrap();
            assert_eq!(db.scope_of(id).await.unwrap().roles, [], "{name}");
            let sec = db.scope_of(c.id("secadmin")).await.unwrap();
            let open = db.open_requests_of(&sec, id).await.unwrap();
            assert_eq!(open[0].proposed_roles(), [role]);
            assert!(open[0].sets_password(), "the granter hands out its first password");
            // a grant of an administrator's role needs that password
            let r = db.confirm_request(&sec, &Actor::of(&sec, "-"), open[0].id, None).await;
            assert!(r.is_err(), "{r:?}");
            let fresh = hash_password("Fresh#pass2026").unwrap();
            db.confirm_request(&sec, &Actor::of(&sec, "-"), open[0].id, Some(&fresh)).await.unwrap();
            assert_eq!(db.scope_of(id).await.unwrap().roles, [role]);
            assert_eq!(db.password_hash_of(id).await.unwrap(), fresh, "{name}: the proposer's password no longer opens it");
        }
    }
);

both_backends!(
    async fn in_a_fresh_deployment_the_system_administrator_creates_the_first_security_and_audit_administrators(db) {
        let boot = new("admin", fixtures::COUNTY, vec![Role::SystemAdmin]);
        let id = db.bootstrap(&Actor::system("test"), &RegionCode::parse(fixtures::COUNTY).unwrap(), boot).await.unwrap();
        let sys = db.scope_of(id).await.unwrap();
        let actor = Actor::of(&sys, "-");
        let sec = db.create_account(&sys, &actor, new("sec", fixtures::COUNTY, vec![Role::SecurityAdmin])).await.unwrap();
        let aud = db.create_account(&sys, &actor, new("aud", fixtures::COUNTY, vec![Role::Auditor])).await.unwrap();
        assert_eq!(db.scope_of(sec).await.unwrap().roles, [Role::SecurityAdmin]);
        assert_eq!(db.scope_of(aud).await.unwrap().roles, [Role::Auditor]);
        // from then on a business account that reads personal data waits for `sec`
        let clerk = db.create_account(&sys, &actor, new("clerk", fixtures::TOWNSHIP, vec![Role::TownshipStaff])).await.unwrap();
        assert_eq!(db.scope_of(clerk).await.unwrap().roles, []);
        let sec = db.scope_of(sec).await.unwrap();
        let open = db.open_requests(&sec).await.unwrap();
        assert_eq!(open.len(), 1);
        db.confirm_request(&sec, &Actor::of(&sec, "-"), open[0].id, None).await.unwrap();
        assert_eq!(db.scope_of(clerk).await.unwrap().roles, [Role::TownshipStaff]);
    }
);
mod login_protection {
    //! The login counters at the store: claimed before a password is checked, one statement each.

    use super::*;
    use chrono::{Duration, Utc};
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
            cast(&db).await;
            let p = PasswordPolicy::default();
            let now = Utc::now();
            // the clerk logged in from the office before
            db.claim_login("town_clerk", "10.0.0.2", &p, now).await.unwrap();
            let rec = db.login_record("town_clerk").await.unwrap().unwrap();
            db.login(&rec, NewSession { token_digest: "d1", csrf_token: "c", ip: "10.0.0.2", user_agent: "t" }).await.unwrap();
            // `rootsec` (the province's) is the security administrator nobody above covers; the
            // county's `secadmin` has `rootsec` above it
            for who in ["town_clerk", "rootsec", "secadmin"] {
                for i in 0..p.account_wide().threshold {
                    let c = db.claim_login(who, &format!("10.1.0.{i}"), &p, now).await.unwrap();
                    assert!(granted(&c), "{who} {i}: {c:?}");
                }
            }
            // a new address: the clerk and the covered security administrator are held off
            // account-wide, the last security administrator is not
            for who in ["town_clerk", "secadmin"] {
                let c = db.claim_login(who, "10.9.9.9", &p, now).await.unwrap();
                assert!(matches!(c, LoginClaim::Refused { account_wide: true, .. }), "{who}: {c:?}");
            }
            assert!(granted(&db.claim_login("rootsec", "10.9.9.9", &p, now).await.unwrap()));
            // the office is a known address
            assert!(granted(&db.claim_login("town_clerk", "10.0.0.2", &p, now).await.unwrap()));
            // once there is a second security administrator over the province, the first is held like anyone
            let root = db.login_record("rootadmin").await.unwrap().unwrap();
            let admin = db.scope_of(root.id).await.unwrap();
            let second = db.create_account(&admin, &Actor::of(&admin, "-"), new("rootsec2", "63", vec![Role::SecurityAdmin])).await.unwrap();
            // an administrator's account takes effect when another administrator confirms it
            fixtures::grant(&db, second).await;
            let c = db.claim_login("rootsec", "10.9.9.8", &p, now).await.unwrap();
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
            let policy = PasswordPolicy::default();
            assert!(db.session("here", &policy).await.unwrap().is_some());
            assert!(db.session("there", &policy).await.unwrap().is_none());
        }
    );
}

/// Moves a session's creation and last request `days` into the past.
async fn age_session(db: &liaison_testkit::TestDb, token: &str, days: i64) {
    let t = chrono::Utc::now() - chrono::Duration::days(days);
    let sql = "UPDATE session SET created_at = $1, last_seen_at = $1 WHERE token_hash = $2";
    match db.backend {
        liaison_testkit::Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            sqlx::query(sql).bind(t).bind(token).execute(&pool).await.unwrap();
            pool.close().await;
        }
        liaison_testkit::Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            sqlx::query(sql).bind(t).bind(token).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

both_backends!(
    async fn a_deputy_s_phone_session_outlasts_the_staff_idle_timeout_within_the_policy(db) {
        cast(&db).await;
        let policy = PasswordPolicy::default();
        for (user, token) in [("deputy", "dep"), ("town_clerk", "clerk")] {
            let rec = db.login_record(user).await.unwrap().unwrap();
            let s = liaison_store::account::session::NewSession { token_digest: token, csrf_token: "c", ip: "-", user_agent: "t" };
            db.login(&rec, s).await.unwrap();
        }
        // two days without a request: the deputy's phone is still signed in, the clerk's browser is not
        age_session(&db, "dep", 2).await;
        age_session(&db, "clerk", 2).await;
        assert!(db.session("dep", &policy).await.unwrap().is_some());
        assert!(db.session("clerk", &policy).await.unwrap().is_none());
        // past the policy's days, the deputy signs in again
        age_session(&db, "dep", 8).await;
        assert!(db.session("dep", &policy).await.unwrap().is_none());
    }
);
