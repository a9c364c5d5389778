//! The demo county's registry: handling units, ~100 stations, ~950 deputy mandates with residence.

use liaison_domain::registry::deputy::DeputyLevel;
use liaison_domain::registry::station::StationKind;
use liaison_domain::{RegionCode, Scope};
use liaison_store::registry::deputy::DeputyInput;
use liaison_store::registry::station::StationInput;
use liaison_store::registry::unit::UnitInput;
use liaison_store::{Actor, Store};

use super::people;
use super::rng::Rng;
use crate::AnyResult;

const COUNTY_UNITS: &[(&str, &str)] = &[
    ("共和县交通运输局", "department"),
    ("共和县住房和城乡建设局", "department"),
    ("共和县农业农村和科技局", "department"),
    ("共和县教育局", "department"),
    ("共和县卫生健康局", "department"),
    ("共和县民政局", "department"),
    ("共和县人力资源和社会保障局", "department"),
    ("共和县自然资源局", "department"),
    ("共和县水利局", "department"),
    ("共和县市场监督管理局", "department"),
    ("共和县公安局", "department"),
    ("共和县文体旅游广电局", "department"),
    ("共和县应急管理局", "department"),
    ("共和县财政局", "department"),
    ("共和县林业和草原局", "department"),
    ("共和县人民法院", "court"),
    ("共和县人民检察院", "procuratorate"),
    ("国网共和县供电公司", "other"),
];

/// County-wide default routes: category -> unit name.
const ROUTES: &[(&str, &str)] = &[
    ("roads", "共和县交通运输局"),
    ("utilities", "国网共和县供电公司"),
    ("housing", "共和县住房和城乡建设局"),
    ("education", "共和县教育局"),
    ("health", "共和县卫生健康局"),
    ("welfare", "共和县民政局"),
    ("farming", "共和县农业农村和科技局"),
    ("jobs", "共和县人力资源和社会保障局"),
    ("safety", "共和县公安局"),
];

const RULES: &[&str] = &[
    "每月10日",
    "每月15日",
    "每周三上午",
    "每月5日、20日",
    "每月第一个星期一",
];
const HOURS: &[&str] = &[
    "工作日 9:00-12:00，14:30-17:30",
    "每周一至周五 9:00-17:00",
    "接待日全天开放",
];
const FACILITIES: &str = "接待室\n代表履职档案柜\n意见箱\n公示栏\n电脑及网络";

pub struct Counts {
    pub units: usize,
    pub stations: usize,
    pub mandates: usize,
    /// Each township's stations, where the demo opinions come in.
    pub townships: Vec<Township>,
}

/// A township as the demo opinions need it: its home, its village stations, its villages' names.
pub struct Township {
    pub code: String,
    pub home: i64,
    /// (station, village code, village name)
    pub rooms: Vec<(i64, String, String)>,
    pub villages: Vec<String>,
}

fn rc(s: &str) -> AnyResult<RegionCode> {
    Ok(RegionCode::parse(s)?)
}

fn station_input(region: &str, kind: StationKind, name: String, rng: &mut Rng) -> AnyResult<StationInput> {
    let manager = people::person(rng);
    let liaison = people::person(rng);
    Ok(StationInput {
        region: Some(rc(region)?),
        kind: Some(kind),
        name,
        address: String::new(),
        phone: format!("0974-85{:05}", rng.next() % 100_000),
        manager_name: manager.name,
        manager_phone: people::phone(rng),
        liaison_name: liaison.name,
        liaison_phone: people::phone(rng),
        open_hours: (*rng.pick(HOURS)).into(),
        reception_rule: (*rng.pick(RULES)).into(),
        facilities: FACILITIES.into(),
        rules: "代表进站接待选民制度\n选民意见建议办理反馈制度\n代表履职登记制度".into(),
        funding: "纳入县人大常委会年度预算".into(),
        ..Default::default()
    })
}

fn deputy_input(
    level: DeputyLevel,
    congress: &str,
    region: &str,
    constituency: String,
    group: String,
    rng: &mut Rng,
) -> AnyResult<DeputyInput> {
    let term = if matches!(level, DeputyLevel::National | DeputyLevel::Provincial) {
        14
    } else {
        18
    };
    Ok(people::deputy_input(
        rng,
        level,
        congress,
        region,
        term,
        constituency,
        group,
    )?)
}

/// Builds the registry of the county `county` (6-digit code) as `scope` (a county clerk).
pub async fn seed(store: &Store, scope: &Scope, county: &str, seed: u64) -> AnyResult<Counts> {
    let actor = Actor::system("seed-demo");
    let mut rng = Rng::new(seed);
    let county_code = rc(county)?;
    let county_name = store
        .region(&county_code)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let townships: Vec<_> = store
        .region_children(Some(&county_code))
        .await?
        .into_iter()
        .filter(|t| t.kind == "regular")
        .collect();
    let mut units = 0;
    let mut unit_ids = std::collections::HashMap::new();
    for (name, kind) in COUNTY_UNITS {
        let u = UnitInput {
            region: county_code.clone(),
            name: (*name).into(),
            kind: (*kind).into(),
            phone: format!("0974-85{:05}", rng.next() % 100_000),
        };
        let (id, _) = store.upsert_unit(scope, &actor, &u).await?;
        unit_ids.insert(*name, id);
        units += 1;
    }
    // county-wide routing: each category to its department
    for (category, unit) in ROUTES {
        if let Some(id) = unit_ids.get(unit) {
            store
                .set_route(scope, &actor, &county_code, category, Some(*id))
                .await?;
        }
    }
    let mut stations = 0;
    let mut mandates = 0;
    let mut township_places = Vec::new();
    let seat = townships
        .first()
        .map(|t| t.code.clone())
        .unwrap_or_else(|| county_code.as_str().to_owned());
    let county_home = station_input(
        &seat,
        StationKind::Home,
        format!("{county_name}人大代表之家"),
        &mut rng,
    )?;
    let county_home = store.create_station(scope, &actor, &county_home).await?;
    stations += 1;
    let mut lcp = station_input(
        &seat,
        StationKind::LegislativeContactPoint,
        format!("{county_name}基层立法联系点"),
        &mut rng,
    )?;
    lcp.reception_rule = "征求意见期间每周二".into();
    store.create_station(scope, &actor, &lcp).await?;
    let mut industry = station_input(
        &seat,
        StationKind::Station,
        format!("{county_name}畜牧业行业代表联络站"),
        &mut rng,
    )?;
    industry.industry = "畜牧业".into();
    store.create_station(scope, &actor, &industry).await?;
    stations += 2;
    // provincial, city and national deputies elected in this county, resident at the county home
    for (level, congress, n) in [
        (DeputyLevel::National, "", 1),
        (DeputyLevel::Provincial, "63", 6),
        (DeputyLevel::City, &county[..4], 36),
    ] {
        let congress = if congress.is_empty() { "63" } else { congress };
        for i in 0..n {
            let t = rng.pick(&townships);
            let d = deputy_input(
                level,
                congress,
                &t.code,
                format!("{county_name}第{}选区", i + 1),
                format!("{county_name}代表团"),
                &mut rng,
            )?;
            let (m, _) = store.upsert_deputy(scope, &actor, &d).await?;
            store.add_resident(scope, &actor, county_home, m).await?;
            mandates += 1;
        }
    }
    for t in &townships {
        let home = station_input(
            &t.code,
            StationKind::Home,
            format!("{}人大代表之家", t.name),
            &mut rng,
        )?;
        let home = store.create_station(scope, &actor, &home).await?;
        stations += 1;
        let villages = store.region_children(Some(&rc(&t.code)?)).await?;
        // about half the villages have a room; a few more have a point
        let mut rooms = Vec::new();
        let mut places = Vec::new();
        for (i, v) in villages.iter().enumerate() {
            let kind = if i % 2 == 0 {
                StationKind::Room
            } else if i % 5 == 1 {
                StationKind::Point
            } else {
                continue;
            };
            let name = format!(
                "{}{}",
                v.short_name(),
                if kind == StationKind::Room {
                    "代表联络室"
                } else {
                    "代表联络点"
                }
            );
            let st = station_input(&v.code, kind, name, &mut rng)?;
            let id = store.create_station(scope, &actor, &st).await?;
            rooms.push((v.code.clone(), id));
            places.push((id, v.code.clone(), v.short_name()));
            stations += 1;
        }
        // county deputies of this township (about 16) and township deputies (about 70)
        for (level, congress, n) in [
            (DeputyLevel::County, county, 16),
            (DeputyLevel::Township, t.code.as_str(), 70),
        ] {
            for i in 0..n {
                let (vcode, station) = match rooms.get(rng.below(rooms.len().max(1))) {
                    Some((v, s)) if rng.chance(70) => (v.clone(), *s),
                    _ => (t.code.clone(), home),
                };
                let group = format!("{}代表小组", t.name);
                let d = deputy_input(
                    level,
                    congress,
                    &vcode,
                    format!("{}第{}选区", t.name, i / 3 + 1),
                    group,
                    &mut rng,
                )?;
                let (m, created) = store.upsert_deputy(scope, &actor, &d).await?;
                if created {
                    mandates += 1;
                }
                store.add_resident(scope, &actor, station, m).await?;
                if level == DeputyLevel::County {
                    store.add_resident(scope, &actor, home, m).await?;
                }
            }
        }
        township_places.push(Township {
            code: t.code.clone(),
            home,
            rooms: places,
            villages: villages.iter().map(|v| v.short_name()).collect(),
        });
        let gov = UnitInput {
            region: rc(&t.code)?,
            name: format!("{}人民政府", t.name),
            kind: "township_government".into(),
            phone: String::new(),
        };
        let (gov_id, _) = store.upsert_unit(scope, &actor, &gov).await?;
        units += 1;
        // township matters stay with the township government
        for category in ["street_lights", "sanitation", "disputes", "other"] {
            store
                .set_route(scope, &actor, &rc(&t.code)?, category, Some(gov_id))
                .await?;
        }
    }
    Ok(Counts {
        units,
        stations,
        mandates,
        townships: township_places,
    })
}
