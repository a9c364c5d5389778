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

/// Creates the cast. The deployment region is the province (63), so the far county's system
/// administrator can be created by a province-level bootstrap admin who is not part of the cast.
pub async fn cast(store: &Store) -> Cast {
    let hash = hash_password(PASSWORD).expect("hash");
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
    let mut root_scope = store.scope_of(root).await.expect("scope");
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
        ids.insert(*username, id);
    }
    Cast { ids }
}
