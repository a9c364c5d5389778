//! An account for every handling unit of the demo county but the one `chengban` speaks for, so that
//! each unit can answer what is assigned to it. Proposed by the system administrator and granted by the
//! security administrator like any account that reads citizens' data.

use std::collections::HashMap;

use liaison_domain::{RegionCode, Role, Scope};
use liaison_store::account::NewAccount;
use liaison_store::{Actor, Store};

use crate::AnyResult;

/// County departments' usernames.
const COUNTY: &[(&str, &str)] = &[
    ("共和县交通运输局", "jiaotong"),
    ("共和县住房和城乡建设局", "zhujian"),
    ("共和县农业农村和科技局", "nongnong"),
    ("共和县教育局", "jiaoyu"),
    ("共和县卫生健康局", "weijian"),
    ("共和县民政局", "minzheng"),
    ("共和县人力资源和社会保障局", "renshe"),
    ("共和县自然资源局", "ziran"),
    ("共和县水利局", "shuili"),
    ("共和县市场监督管理局", "shijian"),
    ("共和县公安局", "gongan"),
    ("共和县文体旅游广电局", "wenlv"),
    ("共和县应急管理局", "yingji"),
    ("共和县财政局", "caizheng"),
    ("共和县林业和草原局", "linye"),
    ("共和县人民法院", "fayuan"),
    ("共和县人民检察院", "jianchayuan"),
    ("国网共和县供电公司", "gongdian"),
];

/// Township governments' usernames (恰卜恰镇's is `chengban`).
const TOWNSHIPS: &[(&str, &str, &str)] = &[
    ("倒淌河镇", "daotanghezf", "632521101"),
    ("龙羊峡镇", "longyangxiazf", "632521102"),
    ("塘格木镇", "tanggemuzf", "632521103"),
    ("黑马河镇", "heimahezf", "632521104"),
    ("石乃亥镇", "shinaihaizf", "632521105"),
    ("江西沟镇", "jiangxigouzf", "632521106"),
    ("沙珠玉乡", "shazhuyuzf", "632521202"),
    ("铁盖乡", "tiegaizf", "632521203"),
    ("廿地乡", "niandizf", "632521204"),
    ("切吉乡", "qiejizf", "632521205"),
];

/// Creates the units' accounts (roles still to be granted); returns (username, unit name) of each.
pub async fn create(
    store: &Store,
    admin: &Scope,
    county: &str,
    hash: &str,
) -> AnyResult<Vec<(String, String)>> {
    let actor = Actor::system("seed-demo");
    let (units, _) = store.binding_choices(admin).await?;
    let mut made = Vec::new();
    for (id, label) in units {
        let name = label.split('（').next().unwrap_or(&label).to_owned();
        let found = COUNTY
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, u)| (*u, county))
            .or_else(|| {
                TOWNSHIPS
                    .iter()
                    .find(|(t, _, _)| name == format!("{t}人民政府"))
                    .map(|(_, u, code)| (*u, *code))
            });
        let Some((username, region)) = found else {
            continue;
        };
        store
            .create_account(
                admin,
                &actor,
                NewAccount {
                    username: username.into(),
                    display_name: name.clone(),
                    region: RegionCode::parse(region)?,
                    roles: vec![Role::HandlingUnit],
                    unit_id: Some(id),
                    station_id: None,
                    person_id: None,
                    password_hash: hash.to_owned(),
                    must_change_password: false,
                },
            )
            .await?;
        made.push((username.to_owned(), name));
    }
    Ok(made)
}

/// Each unit's scope, by unit id (the accounts bound to a unit).
pub async fn scopes(store: &Store, usernames: &[&str]) -> AnyResult<HashMap<i64, Scope>> {
    let mut out = HashMap::new();
    for u in usernames {
        if let Some(rec) = store.login_record(u).await? {
            let scope = store.scope_of(rec.id).await?;
            if let Some(unit) = scope.unit_id {
                out.insert(unit, scope);
            }
        }
    }
    Ok(out)
}
