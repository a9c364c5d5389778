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
