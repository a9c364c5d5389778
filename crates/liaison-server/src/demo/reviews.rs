//! The demo county's review opinions (审议意见), walked through the real workflow by the office and
//! the bodies' accounts: one closed after a test that did not pass and a second round, one waiting for
//! its test, one with the body.

use std::collections::HashMap;

use chrono::Days;
use liaison_domain::review::{Action, Capacity, Draft};
use liaison_domain::{Scope, time};
use liaison_store::review::StepInput;
use liaison_store::{Actor, Store};

use crate::AnyResult;

/// (report reviewed, meeting, days since the meeting, the opinion, the body's demo account).
const ITEMS: &[(&str, &str, u64, &str, &str)] = &[
    (
        "关于全县义务教育均衡发展情况的报告",
        "共和县第十八届人大常委会第十二次会议",
        150,
        "常委会组成人员认为，县人民政府推进义务教育均衡发展成效明显，但城乡师资配置仍不均衡，寄宿制学校生活设施短板突出。建议完善教师交流轮岗机制，加大寄宿制学校改造投入。",
        "jiaoyu",
    ),
    (
        "关于全县农村牧区人居环境整治工作情况的报告",
        "共和县第十八届人大常委会第十四次会议",
        75,
        "常委会组成人员认为，农村牧区人居环境整治取得阶段性成效，但垃圾收运体系不健全，厕所改造后续管护不到位。建议健全村收集、乡转运、县处理体系，落实管护责任和经费。",
        "zhujian",
    ),
    (
        "关于全县安全生产工作情况的报告",
        "共和县第十八届人大常委会第十五次会议",
        20,
        "常委会组成人员认为，全县安全生产形势总体平稳，但道路交通和建筑施工领域隐患仍然较多，基层监管力量薄弱。建议开展专项整治，充实乡镇安全监管人员。",
        "yingji",
    ),
];

/// The office's review opinions, each sent to a county body with an account. Returns how many.
pub async fn seed(store: &Store, county: &Scope, units: &HashMap<i64, Scope>) -> AnyResult<usize> {
    let mut bodies: Vec<(&i64, &Scope)> = units.iter().filter(|(_, s)| s.region == county.region).collect();
    bodies.sort_by_key(|(id, _)| **id);
    if bodies.is_empty() {
        return Ok(0);
    }
    let office = Actor::of(county, "-");
    let today = time::today();
    let mut n = 0;
    for (i, (title, meeting, ago, body, account)) in ITEMS.iter().enumerate() {
        let (unit, unit_scope) = bodies
            .iter()
            .find(|(_, s)| s.username == *account)
            .copied()
            .unwrap_or(bodies[i % bodies.len()]);
        let met_on = today - Days::new(*ago);
        let draft = Draft {
            title: (*title).into(),
            meeting: (*meeting).into(),
            met_on,
            body: (*body).into(),
            unit: *unit,
            due_on: today + Days::new(30 + 10 * i as u64),
        };
        let id = store.create_review(county, &office, &draft).await?;
        n += 1;
        let as_unit = Actor::of(unit_scope, "-");
        let note = |s: &str| StepInput { note: s.into() };
        let steps: Vec<(Capacity, Action, &str)> = match i {
            0 => vec![
                (
                    Capacity::Unit,
                    Action::Report,
                    "一、制定城乡教师交流轮岗实施办法；二、本年度交流教师 80 名。",
                ),
                (
                    Capacity::Staff,
                    Action::Examine,
                    "报告回应了审议意见，提请常委会会议测评。",
                ),
                (
                    Capacity::Staff,
                    Action::Test {
                        satisfied: 6,
                        basic: 5,
                        unsatisfied: 14,
                    },
                    "",
                ),
                (
                    Capacity::Unit,
                    Action::Report,
                    "按测评意见进一步整改：交流教师增至 160 名，新建寄宿制学校宿舍两处，已投入使用。",
                ),
                (
                    Capacity::Staff,
                    Action::Examine,
                    "整改措施具体、成效明显，同意提请测评。",
                ),
                (
                    Capacity::Staff,
                    Action::Test {
                        satisfied: 17,
                        basic: 6,
                        unsatisfied: 2,
                    },
                    "",
                ),
            ],
            1 => vec![
                (Capacity::Unit, Action::Report, "已建成乡镇垃圾转运站 4 座。"),
                (
                    Capacity::Staff,
                    Action::ReturnReport,
                    "报告未回应厕所改造后续管护问题，请补充。",
                ),
                (
                    Capacity::Unit,
                    Action::Report,
                    "已建成乡镇垃圾转运站 4 座；厕所管护由村级保洁员负责，县财政每年安排管护经费。",
                ),
                (
                    Capacity::Staff,
                    Action::Examine,
                    "报告逐条回应了审议意见，提请常委会会议测评。",
                ),
            ],
            _ => vec![],
        };
        for (who, action, text) in steps {
            let (scope, actor) = match who {
                Capacity::Unit => (unit_scope, &as_unit),
                Capacity::Staff => (county, &office),
            };
            store
                .act_on_review(scope, actor, id, who, &action, &note(text))
                .await?;
        }
    }
    Ok(n)
}
