//! `seed-demo --scale province`: a province-sized registry for benchmarks — every township of 河北省
//! (13) gets county and township deputies and about nine stations; cities and the province get
//! their own deputies. ≈150,000 mandates and ≈20,000 stations, deterministic from the seed.
//! Written one township per transaction through the same natural-key upserts an import uses.

use liaison_domain::registry::deputy::DeputyLevel;
use liaison_domain::registry::station::StationKind;
use liaison_domain::{RegionCode, Role};
use liaison_store::account::NewAccount;
use liaison_store::registry::import::DeputyRow;
use liaison_store::registry::station::StationInput;
use liaison_store::{Actor, Store};

use super::people;
use super::rng::Rng;
use crate::AnyResult;

pub const PROVINCE: &str = "13";

pub struct Counts {
    pub stations: usize,
    pub mandates: usize,
}

/// Accounts (the province's system and security administrators, province-level clerk `shengrenda`,
/// a township clerk `zhenrenda`, granted by the security administrator) plus the registry.
pub async fn seed(
    store: &Store,
    password_hash: &str,
    seed: u64,
    progress: impl Fn(usize, usize),
) -> AnyResult<Counts> {
    let actor = Actor::system("seed-demo");
    let province = RegionCode::parse(PROVINCE)?;
    let new = |u: &str, name: &str, region: &RegionCode, role: Role| NewAccount {
        username: u.into(),
        display_name: name.into(),
        region: region.clone(),
        roles: vec![role],
        unit_id: None,
        station_id: None,
        person_id: None,
        password_hash: password_hash.into(),
        must_change_password: false,
    };
    let admin = store
        .bootstrap(
            &actor,
            &province,
            new("sysadmin", "系统管理员", &province, Role::SystemAdmin),
        )
        .await?;
    let admin_scope = store.scope_of(admin).await?;
    // the first security administrator, created while there is none; it grants the clerks' roles
    store
        .create_account(
            &admin_scope,
            &actor,
            new("secadmin", "安全管理员", &province, Role::SecurityAdmin),
        )
        .await?;
    let clerk = store
        .create_account(
            &admin_scope,
            &actor,
            new(
                "shengrenda",
                "省人大常委会代表工委",
                &province,
                Role::CommitteeStaff,
            ),
        )
        .await?;
    super::grant_all(store, "secadmin").await?;
    let scope = store.scope_of(clerk).await?;
    let mut rng = Rng::new(seed);
    let mut counts = Counts {
        stations: 0,
        mandates: 0,
    };
    let cities = store.region_children(Some(&province)).await?;
    let mut townships = Vec::new();
    for city in &cities {
        for county in store
            .region_children(Some(&RegionCode::parse(&city.code)?))
            .await?
        {
            for t in store
                .region_children(Some(&RegionCode::parse(&county.code)?))
                .await?
            {
                if t.level == "township" {
                    townships.push((city.code.clone(), county.code.clone(), t));
                }
            }
        }
    }
    if let Some((_, _, t)) = townships.first() {
        let town = RegionCode::parse(&t.code)?;
        store
            .create_account(
                &admin_scope,
                &actor,
                new(
                    "zhenrenda",
                    &format!("{}人大", t.name),
                    &town,
                    Role::TownshipStaff,
                ),
            )
            .await?;
    }
    super::grant_all(store, "secadmin").await?;
    let total = townships.len();
    for (i, (city, county, t)) in townships.iter().enumerate() {
        let mut stations = Vec::new();
        for k in 0..9 {
            let (kind, name) = match k {
                0 => (StationKind::Home, format!("{}人大代表之家", t.name)),
                1..=3 => (StationKind::Station, format!("{}第{}代表联络站", t.name, k)),
                _ => (StationKind::Room, format!("{}第{}代表联络室", t.name, k - 3)),
            };
            stations.push(StationInput {
                region: Some(RegionCode::parse(&t.code)?),
                kind: Some(kind),
                name,
                reception_rule: format!("每月{}日", 1 + rng.below(28)),
                open_hours: "工作日 9:00-17:00".into(),
                phone: format!("0312-{:07}", rng.next() % 10_000_000),
                ..Default::default()
            });
        }
        // the same all-or-nothing writes an Excel import makes, a township at a time
        counts.stations += store
            .import_stations(&scope, &actor, &stations, &|| ())
            .await?
            .created;
        let plan = [
            (DeputyLevel::Township, t.code.as_str(), 55usize),
            (DeputyLevel::County, county.as_str(), 10),
            (DeputyLevel::City, city.as_str(), if i % 4 == 0 { 1 } else { 0 }),
            (DeputyLevel::Provincial, PROVINCE, if i % 3 == 0 { 1 } else { 0 }),
        ];
        let mut rows = Vec::new();
        for (level, congress, n) in plan {
            for j in 0..n {
                let term = if matches!(level, DeputyLevel::Provincial) {
                    14
                } else {
                    17
                };
                let constituency = format!("{}第{}选区", t.name, j / 3 + 1);
                let input = people::deputy_input(
                    &mut rng,
                    level,
                    congress,
                    &t.code,
                    term,
                    constituency,
                    String::new(),
                )?;
                rows.push(DeputyRow {
                    row: rows.len() + 1,
                    input,
                    stations: vec![stations[j % stations.len()].name.clone()],
                });
            }
        }
        // station names repeat across the province (every county has its 城关镇): look them up in
        // the township
        let township = liaison_domain::Scope {
            region: RegionCode::parse(&t.code)?,
            ..scope.clone()
        };
        let written = store
            .import_deputies(&township, &actor, &rows, &|| ())
            .await?
            .map_err(|p| format!("{} stations not found by name", p.len()))?;
        counts.mandates += written.created;
        if i % 100 == 0 || i + 1 == total {
            progress(i + 1, total);
        }
    }
    Ok(counts)
}
