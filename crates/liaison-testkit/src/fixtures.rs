//! A standard cast of accounts across two counties, for authorisation tests.

use std::collections::HashMap;

use liaison_domain::password::hash_password;
use liaison_domain::{RegionCode, Role};
use liaison_store::account::NewAccount;
use liaison_store::{Actor, Store};

/// Every fixture account has this password (test data only).
pub const PASSWORD: &str = "Hb7#kq2Lm9v";

pub const COUNTY: &str = "632521"; // 共和县
pub const TOWNSHIP: &str = "632521100"; // 恰卜恰镇
pub const OTHER_TOWNSHIP: &str = "632521101"; // 倒淌河镇
pub const VILLAGE: &str = "632521100201"; // 东香卡村
pub const OTHER_COUNTY: &str = "520112"; // 乌当区
pub const OTHER_COUNTY_TOWNSHIP: &str = "520112004"; // 观溪路街道

/// (username, region, role). `sysadmin` is created first, by bootstrap, at the county.
pub const CAST: &[(&str, &str, Role)] = &[
    ("sysadmin", COUNTY, Role::SystemAdmin),
    ("secadmin", COUNTY, Role::SecurityAdmin),
    ("auditor", COUNTY, Role::Auditor),
    ("county_clerk", COUNTY, Role::CommitteeStaff),
    ("town_clerk", TOWNSHIP, Role::TownshipStaff),
    ("other_town_clerk", OTHER_TOWNSHIP, Role::TownshipStaff),
    ("station_mgr", TOWNSHIP, Role::StationManager),
    ("deputy", VILLAGE, Role::Deputy),
    ("unit", COUNTY, Role::HandlingUnit),
    ("chair", COUNTY, Role::ChairMeeting),
    // a whole other county, with its own administrators, reached by nobody above
    ("far_sysadmin", OTHER_COUNTY, Role::SystemAdmin),
    ("far_clerk", OTHER_COUNTY_TOWNSHIP, Role::TownshipStaff),
];

pub struct Cast {
    pub ids: HashMap<&'static str, i64>,
}

impl Cast {
    pub fn id(&self, name: &str) -> i64 {
        *self
            .ids
            .get(name)
            .unwrap_or_else(|| panic!("no fixture account {name}"))
    }
}

fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).expect("fixture region")
}

/// The fixture password's hash, computed once.
pub fn password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(PASSWORD).expect("hash"))
}

/// Confirms every open request on `account` as the fixtures' province-wide security administrator
/// (`rootsec`, reaching the far county too in memory: test-only construction). What a system
/// administrator proposes (roles that read personal data, administrators' accounts) takes effect only
/// so; an administrator's account granted so keeps the fixture password.
pub async fn grant(store: &Store, account: i64) {
    let sec = store
        .login_record("rootsec")
        .await
        .expect("rootsec")
        .expect("the fixtures' security administrator");
    let mut scope = store.scope_of(sec.id).await.expect("scope");
    let target = store.scope_of(account).await.expect("account");
    if !scope.covers(&target.region) {
        scope.region = target.region.clone();
    }
    let actor = Actor::system("fixtures");
    let mut password_set = false;
    for r in store.open_requests_of(&scope, account).await.expect("requests") {
        let done = store
            .confirm_request(&scope, &actor, r.id, Some(password_hash()))
            .await
            .expect("grant");
        password_set |= done.password_set;
    }
    if password_set {
        let own = store.scope_of(account).await.expect("scope");
        store
            .change_own_password(&own, &actor, password_hash(), "")
            .await
            .expect("password");
    }
}

/// Creates the cast. The deployment region is the province (63), so the far county's system
/// administrator can be created by a province-level bootstrap admin who is not part of the cast; the
/// province's first security administrator (`rootsec`, created while there is none) grants what waits
/// for a grant.
pub async fn cast(store: &Store) -> Cast {
    let hash = password_hash().to_owned();
    let actor = Actor::system("fixtures");
    let new = |username: &str, code: &str, role: Role| NewAccount {
        username: username.into(),
        display_name: format!("测试{username}"),
        region: region(code),
        roles: vec![role],
        unit_id: None,
        station_id: None,
        person_id: None,
        password_hash: hash.clone(),
        must_change_password: false,
    };
    // a country-wide root administrator creates everyone (test-only construction)
    let root = store
        .bootstrap(&actor, &region("63"), new("rootadmin", "63", Role::SystemAdmin))
        .await
        .expect("bootstrap");
    let province = store.scope_of(root).await.expect("scope");
    store
        .create_account(&province, &actor, new("rootsec", "63", Role::SecurityAdmin))
        .await
        .expect("the first security administrator");
    let mut root_scope = province.clone();
    // widen the root's reach in memory only, to place the far county's accounts too
    root_scope.region = RegionCode::parse("52").expect("52");
    let mut ids = HashMap::new();
    for (username, code, role) in CAST {
        let mut scope = store.scope_of(root).await.expect("scope");
        if code.starts_with("52") {
            scope = root_scope.clone();
        }
        let id = store
            .create_account(&scope, &actor, new(username, code, *role))
            .await
            .expect("create");
        grant(store, id).await;
        ids.insert(*username, id);
    }
    Cast { ids }
}
