//! The demo county's meeting and a year of deputies' suggestions, walked through the real workflow
//! (entered by the office as paper items with their co-signatures, registered, assigned to county
//! departments, 会签, replied with a class, rated), so every stage and the public board have items.
//! The demo deputy has one to rate and one to co-sign.

use std::collections::HashMap;

use liaison_domain::opinion::Satisfaction;
use liaison_domain::suggestion::class::{Milestone, Reply};
use liaison_domain::suggestion::meeting::{MeetingFields, MeetingRules};
use liaison_domain::suggestion::{Action, Capacity, Draft, Kind, Period};
use liaison_domain::{Scope, time};
use liaison_store::suggestion::{NewSuggestion, StepInput};
use liaison_store::{Actor, Store};

use super::rng::Rng;
use crate::AnyResult;

/// (title, category, what the body says).
const TOPICS: &[(&str, &str, &str)] = &[
    (
        "关于改造县城老旧小区雨污管网的建议",
        "utilities",
        "县城多个老旧小区雨污合流，雨季污水倒灌，建议列入年度改造计划，分片实施。",
    ),
    (
        "关于加快农村牧区公路养护的建议",
        "roads",
        "部分乡村公路年久失修，坑槽较多，冬季结冰后存在安全隐患，建议落实养护资金和责任。",
    ),
    (
        "关于加强乡镇卫生院医护人员配备的建议",
        "health",
        "乡镇卫生院医护人员不足、流失较多，建议完善待遇和编制，开展县乡人员双向流动。",
    ),
    (
        "关于改善寄宿制学校冬季供暖条件的建议",
        "education",
        "部分寄宿制学校宿舍供暖不足，学生冬季住宿条件较差，建议更新供暖设施。",
    ),
    (
        "关于完善高龄老人补贴发放机制的建议",
        "welfare",
        "高龄补贴发放时间不固定，部分老人行动不便，建议实行按月直接发放到户。",
    ),
    (
        "关于扶持牧区合作社发展的建议",
        "farming",
        "牧民专业合作社规模小、销售渠道少，建议在冷链、品牌和贷款方面给予扶持。",
    ),
    (
        "关于增设县城公共停车位的建议",
        "roads",
        "县城中心区域停车难，占道停车严重，建议利用闲置地块建设公共停车场。",
    ),
    (
        "关于加强城乡环境卫生长效管理的建议",
        "sanitation",
        "部分村庄垃圾清运不及时，建议完善村级保洁员队伍和转运设施。",
    ),
    (
        "关于做好高校毕业生就业帮扶的建议",
        "jobs",
        "本县生源高校毕业生返乡就业渠道窄，建议开发公益岗位并开展技能培训。",
    ),
    (
        "关于加快农村危房改造进度的建议",
        "housing",
        "个别农户危房改造进度慢，建议简化审批程序，加强质量监管。",
    ),
    (
        "关于加强草原生态保护补奖政策落实的建议",
        "farming",
        "建议及时足额发放草原生态保护补助奖励资金，并加强禁牧区管护。",
    ),
    (
        "关于完善农村饮水安全工程运行管护的建议",
        "utilities",
        "部分村饮水工程缺少管护人员和经费，冬季管道冻裂，建议建立长效管护机制。",
    ),
];

const REPLIES: &[&str] = &[
    "已将该项目纳入本年度实施计划，资金已落实，正在开展前期工作，预计年内完成。",
    "经研究，已会同有关部门制定工作方案，分步实施，并将定期向代表反馈进展。",
    "该建议涉及事项较多，受财力所限，目前难以全面实施，已列入今后工作中统筹考虑。",
];

/// The county's meeting and the demo township's (whose deputy the demo deputy is), each with its
/// suggestions; returns how many.
pub async fn seed(
    store: &Store,
    county: &Scope,
    township: &Scope,
    deputy: &Scope,
    units: &HashMap<i64, Scope>,
    seed: u64,
) -> AnyResult<usize> {
    let n = meeting(
        store,
        county,
        "共和县第十八届人民代表大会第三次会议",
        30,
        deputy,
        units,
        seed,
    )
    .await?;
    let m = meeting(
        store,
        township,
        "恰卜恰镇第十八届人民代表大会第三次会议",
        6,
        deputy,
        units,
        seed + 1,
    )
    .await?;
    Ok(n + m)
}

/// One meeting of the office's region with `count` items; its own region's units answer them.
async fn meeting(
    store: &Store,
    county: &Scope,
    name: &str,
    count: usize,
    deputy: &Scope,
    units: &HashMap<i64, Scope>,
    seed: u64,
) -> AnyResult<usize> {
    let actor = Actor::system("seed-demo");
    let year = chrono::Datelike::year(&time::today());
    let rules = MeetingRules::parse(MeetingFields {
        name,
        year: &year.to_string(),
        min_cosigners: "10",
        answer_months: "3",
        return_days: "5",
    })
    .map_err(|p| format!("demo meeting: {:?}", p.first().map(|p| p.message.clone())))?;
    let meeting_id = store.save_meeting(county, &actor, None, &rules, true).await?;
    let meeting = store.meeting(county, meeting_id).await?;
    let deputies: Vec<i64> = store
        .meeting_deputies(&meeting)
        .await?
        .into_iter()
        .map(|d| d.0)
        .collect();
    if deputies.len() < 4 {
        return Ok(0);
    }
    // the meeting's own region's units answer (county departments, a township's government)
    let mut departments: Vec<i64> = store
        .units(county, None, None, 500)
        .await?
        .into_iter()
        .filter(|u| u.active && u.region_code == county.region.as_str() && units.contains_key(&u.id))
        .map(|u| u.id)
        .collect();
    departments.sort_unstable();
    if departments.is_empty() {
        return Ok(0);
    }
    let mine = deputy.person_id.filter(|p| deputies.contains(p));
    let mut rng = Rng::new(seed ^ 0x5u64);
    let mut made = 0;
    for k in 0..count {
        let (title, category, body) = TOPICS[k % TOPICS.len()];
        let mut proposer = *rng.pick(&deputies);
        // the demo deputy raised the first item (to rate) and co-signs the second (to confirm)
        if k == 0
            && let Some(p) = mine
        {
            proposer = p;
        }
        let mut cosigners: Vec<i64> = (0..rng.below(3))
            .map(|_| *rng.pick(&deputies))
            .filter(|p| *p != proposer)
            .collect();
        cosigners.sort_unstable();
        cosigners.dedup();
        let paper = !(k == 1 && mine.is_some());
        if k == 1
            && let Some(p) = mine
        {
            cosigners.retain(|c| *c != p);
            cosigners.push(p);
            proposer = *deputies.iter().find(|d| **d != p).unwrap_or(&proposer);
        }
        let draft = Draft {
            title: if k < TOPICS.len() {
                title.to_owned()
            } else {
                format!("{}（{}）", title, k / TOPICS.len() + 1)
            },
            body: format!("{body}建议有关部门高度重视，认真研究，切实解决群众反映的问题。"),
            category: category.to_owned(),
            kind: Kind::Suggestion,
            period: if k % 4 == 0 {
                Period::Recess
            } else {
                Period::Meeting
            },
            meeting: meeting_id,
            cosigners,
            opinions: vec![],
        };
        let id = store
            .propose_suggestion(
                county,
                &actor,
                &NewSuggestion {
                    draft,
                    proposer: Some(proposer),
                    paper_signatures: paper,
                },
            )
            .await?;
        made += 1;
        if k == 1 {
            continue;
        }
        // how far it gets: a few wait for the office, most are handled
        let target = if k == 0 {
            4
        } else {
            [1, 2, 3, 3, 4, 5, 5, 6][rng.below(8)]
        };
        let staff = |a: Action| (Capacity::Staff, a);
        if target < 2 {
            continue;
        }
        act(
            store,
            county,
            &actor,
            id,
            staff(Action::Register),
            StepInput::default(),
        )
        .await?;
        if target < 3 {
            continue;
        }
        let lead = *rng.pick(&departments);
        let co: Vec<i64> = if rng.chance(40) {
            departments
                .iter()
                .copied()
                .filter(|d| *d != lead)
                .take(1)
                .collect()
        } else {
            vec![]
        };
        act(
            store,
            county,
            &actor,
            id,
            staff(Action::Assign { lead, co: co.clone() }),
            StepInput::default(),
        )
        .await?;
        if target < 4 {
            continue;
        }
        let Some(unit) = units.get(&lead) else { continue };
        for round in 0..(if target == 6 { 2 } else { 1 }) {
            for u in &co {
                act(
                    store,
                    county,
                    &actor,
                    id,
                    staff(Action::SignOff { unit: *u }),
                    StepInput::default(),
                )
                .await?;
            }
            let class = if round == 1 {
                "A"
            } else {
                ["A", "B", "C"][rng.below(3)]
            };
            let reply = Reply {
                class: class.to_owned(),
                text: REPLIES[rng.below(REPLIES.len())].to_owned(),
                explanation: if class == "C" {
                    "受财力所限，留作今后工作参考。".into()
                } else {
                    String::new()
                },
                planned: (class == "B").then(|| time::today() + chrono::Days::new(120)),
                milestones: if class == "B" {
                    vec![Milestone {
                        due_on: time::today() + chrono::Days::new(60),
                        what: "完成方案设计和资金落实".into(),
                    }]
                } else {
                    vec![]
                },
            };
            act(
                store,
                unit,
                &actor,
                id,
                (
                    Capacity::LeadUnit,
                    Action::Reply {
                        class: class.to_owned(),
                    },
                ),
                StepInput {
                    note: String::new(),
                    reply: Some(reply),
                },
            )
            .await?;
            if target < 5 || (k == 0 && mine.is_some()) {
                break;
            }
            let satisfaction = if target == 6 && round == 0 {
                Satisfaction::Unsatisfied
            } else {
                Satisfaction::Satisfied
            };
            act(
                store,
                county,
                &actor,
                id,
                staff(Action::Rate {
                    person: proposer,
                    satisfaction,
                }),
                StepInput {
                    note: String::new(),
                    reply: None,
                },
            )
            .await?;
        }
    }
    Ok(made)
}

async fn act(
    store: &Store,
    scope: &Scope,
    actor: &Actor,
    id: i64,
    (who, action): (Capacity, Action),
    input: StepInput,
) -> AnyResult {
    store
        .act_on_suggestion(scope, actor, id, who, &action, &input)
        .await?;
    Ok(())
}
