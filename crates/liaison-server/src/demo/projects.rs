//! The demo county's livelihood projects of the year, walked through the real workflow: candidates
//! voted at the congress (one not chosen), assigned to county departments, progress reported, one
//! inspected and tested twice (the first test failed), one waiting for its test.

use std::collections::HashMap;

use liaison_domain::Scope;
use liaison_domain::project::{Action, Ballots, Capacity, Origin, ProjectDraft, VoteCount};
use liaison_store::project::ProjectInput;
use liaison_store::{Actor, Store};

use crate::AnyResult;

/// (title, what, origin, budget in 万元, votes for, how far: 0 voted only, 1 underway, 2 completed,
/// 3 closed after a failed test).
const PROJECTS: &[(&str, &str, Origin, f64, u32, u8)] = &[
    (
        "县城老旧小区供暖管网改造",
        "改造县城12个老旧小区供暖管网8.6公里，年底前全部通暖。",
        Origin::Suggestion,
        1250.0,
        128,
        3,
    ),
    (
        "农村牧区饮水安全巩固提升",
        "新建和改造集中供水工程15处，解决3200名群众季节性缺水问题。",
        Origin::Government,
        860.0,
        131,
        2,
    ),
    (
        "寄宿制学校冬季供暖设施更新",
        "为8所寄宿制学校更换供暖锅炉和宿舍散热设施。",
        Origin::Suggestion,
        420.0,
        125,
        1,
    ),
    (
        "县城公共停车场建设",
        "利用闲置地块新建公共停车场2处、车位400个。",
        Origin::Opinion,
        600.0,
        96,
        1,
    ),
    (
        "城东全民健身游泳馆",
        "新建室内游泳馆1座。",
        Origin::Government,
        3200.0,
        51,
        0,
    ),
];

/// Creates the projects; returns how many.
pub async fn seed(store: &Store, county: &Scope, units: &HashMap<i64, Scope>) -> AnyResult<usize> {
    let actor = Actor::system("seed-demo");
    let year = chrono::Datelike::year(&liaison_domain::time::today());
    let mut departments: Vec<(i64, &Scope)> = units
        .iter()
        .filter(|(_, s)| s.region.as_str() == county.region.as_str())
        .map(|(id, s)| (*id, s))
        .collect();
    departments.sort_by_key(|d| d.0);
    if departments.is_empty() {
        return Ok(0);
    }
    let note = |s: &str| ProjectInput { note: s.to_owned() };
    for (k, (title, body, origin, budget, yes, far)) in PROJECTS.iter().enumerate() {
        let d = ProjectDraft {
            title: (*title).to_owned(),
            body: (*body).to_owned(),
            year,
            origin: *origin,
            budget: Some(*budget),
        };
        let id = store.create_project(county, &actor, &d).await?;
        let count = VoteCount {
            present: 142,
            yes: *yes,
            no: 142 - yes - 6,
            abstain: 6,
        };
        store
            .act_on_project(
                county,
                &actor,
                id,
                Capacity::Staff,
                &Action::Vote { count },
                &ProjectInput::default(),
            )
            .await?;
        if !count.chosen() {
            continue;
        }
        let (unit, unit_scope) = departments[k % departments.len()];
        store
            .act_on_project(
                county,
                &actor,
                id,
                Capacity::Staff,
                &Action::Assign { unit },
                &ProjectInput::default(),
            )
            .await?;
        if *far == 0 {
            continue;
        }
        store
            .act_on_project(
                unit_scope,
                &actor,
                id,
                Capacity::Unit,
                &Action::Report { percent: 45 },
                &note("主体工程已开工，完成投资约四成。"),
            )
            .await?;
        if *far < 2 {
            continue;
        }
        store
            .act_on_project(
                county,
                &actor,
                id,
                Capacity::Staff,
                &Action::Inspect,
                &note("县人大常委会组织12名代表现场视察，要求加快进度、确保质量。"),
            )
            .await?;
        store
            .act_on_project(
                unit_scope,
                &actor,
                id,
                Capacity::Unit,
                &Action::Complete,
                &note("工程已全部完工并投入使用。"),
            )
            .await?;
        if *far < 3 {
            continue;
        }
        let failed = Ballots {
            satisfied: 30,
            basic: 25,
            unsatisfied: 45,
        };
        store
            .act_on_project(
                county,
                &actor,
                id,
                Capacity::Staff,
                &Action::Test { ballots: failed },
                &ProjectInput::default(),
            )
            .await?;
        store
            .act_on_project(
                unit_scope,
                &actor,
                id,
                Capacity::Unit,
                &Action::Complete,
                &note("针对测评意见完成整改，室温全部达标。"),
            )
            .await?;
        let passed = Ballots {
            satisfied: 70,
            basic: 22,
            unsatisfied: 8,
        };
        store
            .act_on_project(
                county,
                &actor,
                id,
                Capacity::Staff,
                &Action::Test { ballots: passed },
                &ProjectInput::default(),
            )
            .await?;
    }
    Ok(PROJECTS.len())
}
