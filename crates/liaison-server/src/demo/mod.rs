//! Demo data: a county (共和县, 632521, Qinghai) with an account for every role and every handling
//! unit, its registry, and about two hundred citizens' opinions of the last eight months in every
//! stage of the handling loop (`opinions`), so no queue, board or report is empty. The password is
//! random per data folder, printed and kept in `demo-accounts.txt` there; nothing secret is in the
//! repository.
//! The accounts come into being as in a real deployment (docs/ADMINISTRATORS.md): bootstrap makes the
//! system administrator, who creates the first security administrator and auditor and proposes the
//! business accounts; the security administrator grants the roles that read personal data.

use liaison_domain::password::hash_password;
use liaison_domain::token::random_password;
use liaison_domain::{RegionCode, Role};
use liaison_store::account::NewAccount;
use liaison_store::{Actor, Store};

use crate::AnyResult;
use crate::config::Config;

mod opinions;
mod people;
mod projects;
#[cfg(feature = "bench-data")]
mod province;
mod registry;
mod reviews;
mod rng;
mod suggestions;
mod texts;
mod units;

/// The seed of the demo data: the same value always builds the same county.
pub const DEMO_SEED: u64 = 632_521;

pub const DEMO_COUNTY: &str = "632521";

/// (username, display name, region, role): one account per role, each administrator with its one role.
pub const DEMO_ACCOUNTS: &[(&str, &str, &str, Role)] = &[
    ("sysadmin", "系统管理员", DEMO_COUNTY, Role::SystemAdmin),
    ("secadmin", "安全管理员", DEMO_COUNTY, Role::SecurityAdmin),
    ("auditor", "审计管理员", DEMO_COUNTY, Role::Auditor),
    (
        "xianlian",
        "李明（县人大常委会代表联络工作委员会）",
        DEMO_COUNTY,
        Role::CommitteeStaff,
    ),
    (
        "qiabuqia",
        "马文（恰卜恰镇人大）",
        "632521100",
        Role::TownshipStaff,
    ),
    (
        "daotanghe",
        "才让（倒淌河镇人大）",
        "632521101",
        Role::TownshipStaff,
    ),
    (
        "zhanzhang",
        "张秀兰（恰卜恰镇代表之家室长）",
        "632521100",
        Role::StationManager,
    ),
    ("daibiao", "人大代表", "632521100", Role::Deputy),
    (
        "chengban",
        "王强（恰卜恰镇人民政府）",
        DEMO_COUNTY,
        Role::HandlingUnit,
    ),
    ("zhuren", "赵国华（主任会议）", DEMO_COUNTY, Role::ChairMeeting),
];

fn accounts_file(config: &Config) -> std::path::PathBuf {
    config.data_dir.join("demo-accounts.txt")
}

pub async fn seed(store: &Store, config: &Config) -> AnyResult {
    if store.account_count().await? > 0 {
        println!("数据库中已有账号，跳过演示数据。");
        return Ok(());
    }
    let password = random_password();
    let hash = hash_password(&password)?;
    let county = RegionCode::parse(DEMO_COUNTY)?;
    let actor = Actor::system("seed-demo");
    let mut admin_id = None;
    for (username, name, region, role) in DEMO_ACCOUNTS {
        let account = NewAccount {
            username: (*username).into(),
            display_name: (*name).into(),
            region: RegionCode::parse(region)?,
            roles: vec![*role],
            unit_id: None,
            station_id: None,
            person_id: None,
            password_hash: hash.clone(),
            must_change_password: false,
        };
        match admin_id {
            None => admin_id = Some(store.bootstrap(&actor, &county, account).await?),
            Some(id) => {
                let scope = store.scope_of(id).await?;
                store.create_account(&scope, &actor, account).await?;
            }
        }
    }
    grant_all(store, "secadmin").await?;
    let clerk = store
        .login_record("xianlian")
        .await?
        .ok_or("demo county clerk missing")?;
    let scope = store.scope_of(clerk.id).await?;
    let counts = registry::seed(store, &scope, DEMO_COUNTY, DEMO_SEED).await?;
    let admin_id = admin_id.ok_or("no demo admin")?;
    bind_demo_accounts(store, admin_id, &scope).await?;
    let unit_accounts = units::create(store, &store.scope_of(admin_id).await?, DEMO_COUNTY, &hash).await?;
    grant_all(store, "secadmin").await?;
    let started = std::time::Instant::now();
    let opinions = seed_opinions(store, &scope, &counts.townships, &unit_accounts).await?;
    let seconds = started.elapsed().as_secs_f64();
    store.analyze().await?;
    let mut text = String::from("# 演示账号（仅供演示，请勿用于正式部署）\n");
    text.push_str(&format!("password = {password}\n"));
    for (u, n, _, r) in DEMO_ACCOUNTS {
        text.push_str(&format!("{u}\t{}\t{n}\n", r.label()));
    }
    text.push_str(UNIT_ACCOUNTS_HEADER);
    for (u, n) in &unit_accounts {
        text.push_str(&format!("{u}\t{}\t{n}\n", Role::HandlingUnit.label()));
    }
    std::fs::write(accounts_file(config), text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(accounts_file(config), std::fs::Permissions::from_mode(0o600));
    }
    println!(
        "已载入演示数据：青海省海南藏族自治州共和县，{} 个站点、{} 名代表（按届次任职计）、{} 个承办单位，{} 个演示账号。",
        counts.stations,
        counts.mandates,
        counts.units,
        DEMO_ACCOUNTS.len()
    );
    println!(
        "已载入 {opinions} 件群众意见（近八个月，各办理环节都有），用时 {seconds:.1} 秒；另有 {} 个承办单位账号（见 {}）。",
        unit_accounts.len(),
        accounts_file(config).display()
    );
    Ok(())
}

/// The line in `demo-accounts.txt` after which the handling units' accounts are listed.
const UNIT_ACCOUNTS_HEADER: &str = "# 承办单位账号（密码同上）\n";

/// The opinions, acted on by the demo accounts and the units' accounts.
async fn seed_opinions(
    store: &Store,
    county: &liaison_domain::Scope,
    townships: &[registry::Township],
    unit_accounts: &[(String, String)],
) -> AnyResult<usize> {
    let scope_of = async |username: &str| -> AnyResult<liaison_domain::Scope> {
        let rec = store
            .login_record(username)
            .await?
            .ok_or_else(|| format!("demo account {username} missing"))?;
        Ok(store.scope_of(rec.id).await?)
    };
    let mut clerks = std::collections::HashMap::new();
    for username in ["qiabuqia", "daotanghe"] {
        let s = scope_of(username).await?;
        clerks.insert(s.region.as_str().to_owned(), s);
    }
    let mut names: Vec<&str> = unit_accounts.iter().map(|(u, _)| u.as_str()).collect();
    names.push("chengban");
    let cast = opinions::Cast {
        deputy: scope_of("daibiao").await?,
        county: county.clone(),
        clerks,
        units: units::scopes(store, &names).await?,
    };
    let n = opinions::seed(store, &cast, townships, DEMO_SEED).await?;
    let township = scope_of("qiabuqia").await?;
    let s = suggestions::seed(store, county, &township, &cast.deputy, &cast.units, DEMO_SEED).await?;
    println!("已载入 {s} 件代表建议（县、恰卜恰镇人民代表大会各一次会议，各办理环节都有）。");
    let p = projects::seed(store, county, &cast.units).await?;
    println!("已载入 {p} 个民生实事项目（票决、实施、测评各环节都有）。");
    let r = reviews::seed(store, county, &cast.units).await?;
    println!("已载入 {r} 件审议意见（已办结、待测评、办理中各一件）。");
    // what the server does every minute: deadline alerts for what is overdue, the duplicate pass
    store.sweep_deadlines(chrono::Utc::now()).await?;
    store.flag_duplicates().await?;
    Ok(n)
}

/// The security administrator `security` grants everything the system administrator proposed.
async fn grant_all(store: &Store, security: &str) -> AnyResult {
    let sec = store
        .login_record(security)
        .await?
        .ok_or("demo security administrator missing")?;
    let scope = store.scope_of(sec.id).await?;
    let actor = Actor::system("seed-demo");
    for r in store.open_requests(&scope).await? {
        store.confirm_request(&scope, &actor, r.id, None).await?;
    }
    Ok(())
}

/// The handling-unit and station-manager demo accounts answer for a real unit and station.
async fn bind_demo_accounts(store: &Store, admin: i64, clerk: &liaison_domain::Scope) -> AnyResult {
    let admin = store.scope_of(admin).await?;
    let actor = Actor::system("seed-demo");
    let (units, stations) = store.binding_choices(&admin).await?;
    let find = |list: &[(i64, String)], prefix: &str| {
        list.iter()
            .find(|(_, l)| l.starts_with(prefix))
            .map(|(id, _)| *id)
    };
    // the deputy account speaks for a real deputy of 恰卜恰镇, and takes their name
    let mut township = admin.clone();
    township.region = RegionCode::parse("632521100")?;
    // a county deputy elected in 恰卜恰镇 when there is one: they raise suggestions to the county's
    // meeting (whose departments have accounts) and receive the township's citizens' opinions
    let mut in_township = clerk.clone();
    in_township.region = RegionCode::parse("632521100")?;
    let county_deputy = store
        .deputies(
            &in_township,
            &liaison_store::registry::deputy::DeputyFilter {
                level: Some(liaison_domain::registry::deputy::DeputyLevel::County),
                in_office: Some(true),
                ..Default::default()
            },
            None,
            1,
        )
        .await?
        .into_iter()
        .next()
        .map(|d| (d.person_id, d.name));
    let deputy = match county_deputy {
        Some(d) => Some(d),
        None => store.person_choices(&township).await?.into_iter().next(),
    };
    for (username, unit, station, person) in [
        ("chengban", find(&units, "恰卜恰镇人民政府"), None, None),
        ("zhanzhang", None, find(&stations, "恰卜恰镇人大代表之家"), None),
        ("daibiao", None, None, deputy.clone()),
    ] {
        let Some(rec) = store.login_record(username).await? else {
            continue;
        };
        let a = store.account(&admin, rec.id).await?;
        let display_name = match &person {
            Some((_, label)) => format!("{}（人大代表）", label.split('（').next().unwrap_or(label)),
            None => a.display_name.clone(),
        };
        let change = liaison_store::account::AccountChange {
            display_name,
            region: RegionCode::parse(&a.region_code)?,
            roles: a.roles.clone(),
            unit_id: unit,
            station_id: station,
            person_id: person.map(|(id, _)| id),
        };
        store.update_account(&admin, &actor, rec.id, change).await?;
    }
    Ok(())
}

/// The province-sized data set for benchmarks (into an empty database).
#[cfg(feature = "bench-data")]
pub async fn seed_province(store: &Store, config: &Config) -> AnyResult {
    if store.account_count().await? > 0 {
        return Err("省级规模数据须载入空数据库（请换一个 --data-dir 或数据库）".into());
    }
    let password = random_password();
    let started = std::time::Instant::now();
    let counts = province::seed(store, &hash_password(&password)?, DEMO_SEED, |done, total| {
        eprintln!("  乡镇 {done}/{total}");
    })
    .await?;
    store.analyze().await?;
    let text = format!(
        "# 省级规模演示数据（基准测试用）\npassword = {password}\nshengrenda\t省人大常委会代表工委\nzhenrenda\t乡镇人大\nsysadmin\t系统管理员\nsecadmin\t安全管理员\n"
    );
    std::fs::create_dir_all(&config.data_dir)?;
    std::fs::write(accounts_file(config), text)?;
    println!(
        "已载入省级规模数据（河北省）：{} 个站点、{} 名代表，用时 {:.0} 秒。",
        counts.stations,
        counts.mandates,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn print_accounts(config: &Config) {
    match std::fs::read_to_string(accounts_file(config)) {
        Ok(text) => {
            println!("演示账号（{}）：", accounts_file(config).display());
            let header = UNIT_ACCOUNTS_HEADER.trim_end();
            let (accounts, units) = text.split_once(header).unwrap_or((&text, ""));
            for line in accounts.lines().filter(|l| !l.starts_with('#')) {
                println!("  {}", line.replace('\t', "  "));
            }
            let n = units.lines().filter(|l| !l.trim().is_empty()).count();
            if n > 0 {
                println!("  另有 {n} 个承办单位账号（如 jiaotong 县交通运输局），密码相同，见上述文件。");
            }
        }
        Err(_) => println!("演示账号文件不存在（数据库不是由 seed-demo 创建的）。"),
    }
}
