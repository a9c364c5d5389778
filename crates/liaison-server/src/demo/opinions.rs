//! The demo county's opinions: about two hundred items over the last eight months, in every stage of
//! the handling loop. Each is planned first (its fate, township, channel and the time of each step,
//! from the demo seed), then walked through the real workflow in order of submission — intake, the
//! actions of the deputy, the clerks, the units and the citizen, 督办单 and 重点督办 — by the demo
//! accounts, and finally dated into the past (`Store::backdate_opinion`), so deadlines, overdue
//! items and reports read like a county at work.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use liaison_domain::opinion::submission::{Submission, SubmissionFields};
use liaison_domain::opinion::{Action, Capacity, Channel, Satisfaction};
use liaison_domain::{RegionCode, Scope};
use liaison_store::opinion::ActInput;
use liaison_store::opinion::intake::{NewOpinion, Placement};
use liaison_store::{Actor, Store};

use super::registry::Township;
use super::rng::Rng;
use super::texts;
use crate::AnyResult;

/// Where an item ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    New,
    NewLate,
    Referred,
    Accepted,
    AcceptedLate,
    Assigned,
    Overdue,
    Supervised,
    KeySupervised,
    Replied,
    FedBack,
    Reopened,
    Closed,
    ClosedAfterReopen,
    Published,
    Declined,
    Merged,
    DeputyAnswered,
    OnSpot,
}

/// How many items end in each fate.
const PLAN: &[(Fate, usize)] = &[
    (Fate::New, 12),
    (Fate::NewLate, 3),
    (Fate::Referred, 3),
    (Fate::Accepted, 6),
    (Fate::AcceptedLate, 2),
    (Fate::Assigned, 18),
    (Fate::Overdue, 6),
    (Fate::Supervised, 3),
    (Fate::KeySupervised, 4),
    (Fate::Replied, 10),
    (Fate::FedBack, 12),
    (Fate::Reopened, 8),
    (Fate::Closed, 45),
    (Fate::ClosedAfterReopen, 8),
    (Fate::Published, 45),
    (Fate::Declined, 8),
    (Fate::Merged, 8),
    (Fate::DeputyAnswered, 8),
    (Fate::OnSpot, 6),
];

/// Categories the township government handles (the rest go to county departments).
const TOWNSHIP_MATTERS: &[&str] = &["street_lights", "sanitation", "disputes", "other"];

/// One step of an item's walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    HandOver,
    DeputyAnswer,
    Accept,
    Decline,
    OnSpot,
    Escalate,
    Assign,
    Reply,
    Feedback,
    Rate(Satisfaction),
    Publish,
    Merge,
}

/// The accounts that act.
pub struct Cast {
    pub deputy: Scope,
    pub county: Scope,
    /// Township clerks by township code.
    pub clerks: HashMap<String, Scope>,
    /// Units' accounts by unit id.
    pub units: HashMap<i64, Scope>,
}

struct Planned {
    fate: Fate,
    township: usize,
    /// Reached the demo deputy first (their code or their visit).
    deputy: bool,
    /// (category, description, reply); declined and merged items fill theirs in later.
    text: (&'static str, &'static str, &'static str),
    steps: Vec<Step>,
    /// The submission, then one time per step.
    times: Vec<DateTime<Utc>>,
    seed: u64,
}

fn hours(rng: &mut Rng, lo: i64, hi: i64) -> Duration {
    Duration::minutes(lo * 60 + rng.below(((hi - lo) * 60).max(1) as usize) as i64)
}

fn gap(step: Step, rng: &mut Rng) -> Duration {
    match step {
        Step::HandOver | Step::Accept | Step::Escalate => hours(rng, 1, 20),
        Step::DeputyAnswer | Step::Decline | Step::Merge => hours(rng, 3, 30),
        Step::OnSpot => Duration::minutes(10 + rng.below(60) as i64),
        Step::Assign | Step::Feedback => hours(rng, 4, 40),
        Step::Reply => hours(rng, 48, 220),
        Step::Rate(_) => hours(rng, 20, 96),
        Step::Publish => hours(rng, 48, 200),
    }
}

/// How long an open item has waited in its stage (terminal items: `None`).
fn dwell(fate: Fate, rng: &mut Rng) -> Option<Duration> {
    Some(match fate {
        Fate::New | Fate::Referred | Fate::Accepted | Fate::Replied => hours(rng, 1, 18),
        Fate::NewLate | Fate::AcceptedLate => hours(rng, 24 * 6, 24 * 12),
        Fate::Assigned | Fate::Reopened => hours(rng, 6, 72),
        Fate::FedBack => hours(rng, 12, 72),
        Fate::Overdue | Fate::Supervised | Fate::KeySupervised => hours(rng, 24 * 16, 24 * 50),
        _ => return None,
    })
}

fn steps(fate: Fate, deputy: bool, county_matter: bool, has_clerk: bool) -> Vec<Step> {
    use Satisfaction as S;
    let mut v = Vec::new();
    if matches!(fate, Fate::DeputyAnswered) {
        return vec![Step::DeputyAnswer, Step::Rate(S::Satisfied)];
    }
    if matches!(fate, Fate::New | Fate::NewLate) {
        return v;
    }
    if deputy {
        v.push(Step::HandOver);
    }
    match fate {
        Fate::Referred => return v,
        Fate::Declined => return [v, vec![Step::Decline]].concat(),
        Fate::Merged => return [v, vec![Step::Merge]].concat(),
        Fate::OnSpot => return [v, vec![Step::OnSpot, Step::Rate(S::Satisfied)]].concat(),
        _ => {}
    }
    v.push(Step::Accept);
    if matches!(fate, Fate::Accepted | Fate::AcceptedLate) {
        return v;
    }
    if county_matter && has_clerk {
        v.push(Step::Escalate);
    }
    v.push(Step::Assign);
    let rest: &[Step] = match fate {
        Fate::Replied => &[Step::Reply],
        Fate::FedBack => &[Step::Reply, Step::Feedback],
        Fate::Reopened => &[Step::Reply, Step::Feedback, Step::Rate(S::Unsatisfied)],
        Fate::Closed => &[Step::Reply, Step::Feedback, Step::Rate(S::Satisfied)],
        Fate::ClosedAfterReopen => &[
            Step::Reply,
            Step::Rate(S::Unsatisfied),
            Step::Reply,
            Step::Rate(S::Basic),
        ],
        Fate::Published => &[
            Step::Reply,
            Step::Feedback,
            Step::Rate(S::Satisfied),
            Step::Publish,
        ],
        _ => &[],
    };
    v.extend_from_slice(rest);
    v
}

/// Plans every item: what happens to it and when.
fn plan(
    seed: u64,
    townships: &[Township],
    clerks: &HashMap<String, Scope>,
    now: DateTime<Utc>,
) -> Vec<Planned> {
    let mut out = Vec::new();
    let mut n = 0u64;
    for (fate, count) in PLAN {
        for k in 0..*count {
            n += 1;
            let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(n));
            let deputy_only = matches!(fate, Fate::Referred | Fate::DeputyAnswered);
            // the county seat has most items; every demo desk gets some of each kind
            let township = if deputy_only || k % 3 == 0 {
                0
            } else if k % 3 == 1 && rng.chance(50) {
                1
            } else {
                rng.below(townships.len())
            };
            let deputy = township == 0
                && !matches!(fate, Fate::Merged | Fate::OnSpot)
                && (deputy_only || (k % 6 == 3) || rng.chance(15));
            let text = if *fate == Fate::DeputyAnswered {
                *rng.pick(texts::DEPUTY_ANSWERS)
            } else if township == 0 && k % 3 == 0 && matches!(fate, Fate::Assigned | Fate::Reopened) {
                // the demo unit account (恰卜恰镇人民政府) has work of its own
                let local: Vec<_> = texts::ITEMS
                    .iter()
                    .filter(|t| TOWNSHIP_MATTERS.contains(&t.0))
                    .collect();
                **rng.pick(&local)
            } else {
                *rng.pick(texts::ITEMS)
            };
            let code = &townships[township].code;
            let county_matter = !TOWNSHIP_MATTERS.contains(&text.0);
            let steps = steps(*fate, deputy, county_matter, clerks.contains_key(code));
            let gaps: Vec<Duration> = steps.iter().map(|s| gap(*s, &mut rng)).collect();
            let total = gaps.iter().fold(Duration::zero(), |a, b| a + *b);
            let start = match dwell(*fate, &mut rng) {
                Some(d) => now - d - total,
                None => {
                    let span = (Duration::days(240) - total - Duration::days(2))
                        .num_minutes()
                        .max(60);
                    now - Duration::days(240) + Duration::minutes(rng.below(span as usize) as i64)
                }
            };
            let mut times = vec![start];
            for g in gaps {
                let t = *times.last().unwrap_or(&start) + g;
                times.push(t);
            }
            out.push(Planned {
                fate: *fate,
                township,
                deputy,
                text,
                steps,
                times,
                seed: rng.next(),
            });
        }
    }
    // submitted in this order, so the newest have the highest numbers as in a real county
    out.sort_by_key(|p| p.times[0]);
    out
}

/// An item walked so far, for choosing what a duplicate merges into.
struct Done {
    id: i64,
    township: usize,
    category: &'static str,
    text: String,
    fate: Fate,
}

/// Seeds the opinions; returns how many.
pub async fn seed(store: &Store, cast: &Cast, townships: &[Township], seed: u64) -> AnyResult<usize> {
    let now = Utc::now();
    let planned = plan(seed, townships, &cast.clerks, now);
    let mut done: Vec<Done> = Vec::new();
    for (i, p) in planned.iter().enumerate() {
        let d = walk(store, cast, townships, p, i, &done).await?;
        done.push(d);
    }
    Ok(done.len())
}

async fn walk(
    store: &Store,
    cast: &Cast,
    townships: &[Township],
    p: &Planned,
    i: usize,
    done: &[Done],
) -> AnyResult<Done> {
    let mut rng = Rng::new(p.seed);
    let t = &townships[p.township];
    let (mut category, mut description, reply) = p.text;
    let mut decline = None;
    let mut survivor = None;
    if p.fate == Fate::Declined {
        let (reason, text, note) = *rng.pick(texts::DECLINED);
        (category, description, decline) = ("other", text, Some((reason, note)));
    }
    if p.fate == Fate::Merged {
        // another resident raises what a neighbour raised before
        survivor = done
            .iter()
            .rev()
            .find(|d| d.township == p.township && !matches!(d.fate, Fate::Declined | Fate::Merged))
            .map(|d| (d.id, d.category, d.text.clone()));
    }
    // where it came in: a village station's code or reception, the township home, a call
    let (station, village_code, village) = match t.rooms.get(rng.below(t.rooms.len().max(1))) {
        Some((s, code, name)) if rng.chance(65) => (Some(*s), code.clone(), name.clone()),
        _ => (
            Some(t.home),
            t.code.clone(),
            t.villages
                .get(rng.below(t.villages.len().max(1)))
                .cloned()
                .unwrap_or_default(),
        ),
    };
    let description = match &survivor {
        Some((_, c, text)) => {
            category = *c;
            text.clone()
        }
        None => description.replace("{村}", &village),
    };
    let reply = reply.replace("{村}", &village);
    let clerk = cast.clerks.get(&t.code).unwrap_or(&cast.county);
    let (channel, person, station, region) = if p.deputy {
        let ch = if rng.chance(75) {
            Channel::DeputyCode
        } else {
            Channel::DeputyVisit
        };
        let reach = deputy_reach(store, cast.deputy.person_id.unwrap_or(0)).await?;
        (ch, cast.deputy.person_id, reach.1, reach.0)
    } else {
        match rng.below(10) {
            0..=4 => (
                Channel::StationCode,
                None,
                station,
                RegionCode::parse(&village_code)?,
            ),
            5..=6 => (Channel::WalkIn, None, station, RegionCode::parse(&village_code)?),
            7..=8 => (Channel::Phone, None, None, RegionCode::parse(&t.code)?),
            _ => (Channel::HomeVisit, None, None, RegionCode::parse(&village_code)?),
        }
    };
    let name = *rng.pick(texts::CITIZENS);
    let phone = if name.is_empty() && rng.chance(50) {
        String::new()
    } else {
        super::people::phone(&mut rng)
    };
    let sub = Submission::parse(
        SubmissionFields {
            category,
            description: &description,
            name,
            phone: &phone,
            callback: !phone.is_empty() && rng.chance(40),
        },
        |_| true,
    )
    .map_err(|e| format!("demo opinion {i}: {e:?}"))?;
    let share = !phone.is_empty() && rng.chance(50);
    let actor = match channel {
        Channel::DeputyVisit => Actor::of(&cast.deputy, "-"),
        c if c.recorded_by_staff() => Actor::of(clerk, "-"),
        _ => Actor {
            account_id: None,
            username: "public".into(),
            ip: "-".into(),
        },
    };
    let place = Placement {
        channel,
        person_id: person,
        station_id: station,
        region,
    };
    let new = NewOpinion::new(sub, share, format!("demo-{i}"), place, actor, vec![]);
    let id = store.submit_opinion(new).await?.id;
    let mut escalated = false;
    let mut notices = Vec::new();
    for step in &p.steps {
        let staff = if escalated { &cast.county } else { clerk };
        let mut input = ActInput::default();
        let (who, scope, action) = match *step {
            Step::HandOver => {
                input.note = "请站点登记交办".into();
                (Capacity::Deputy, &cast.deputy, Action::HandOver)
            }
            Step::DeputyAnswer => {
                input.note = reply.clone();
                (Capacity::Deputy, &cast.deputy, Action::DeputyAnswer)
            }
            Step::Accept => (Capacity::Staff, staff, Action::Accept),
            Step::Decline => {
                let (reason, note) = decline.unwrap_or(("other", ""));
                input.reason = Some(reason.into());
                input.note = note.into();
                (Capacity::Staff, staff, Action::Decline)
            }
            Step::OnSpot => {
                input.note = reply.clone();
                (Capacity::Staff, staff, Action::AnswerOnSpot)
            }
            Step::Escalate => {
                escalated = true;
                (Capacity::Staff, staff, Action::Escalate)
            }
            Step::Assign => {
                let route = store.default_unit(&RegionCode::parse(&t.code)?, category).await?;
                let unit = route.ok_or("demo: no route")?.unit_id;
                input.note = "请按期办理并答复".into();
                let staff = if escalated { &cast.county } else { staff };
                (Capacity::Staff, staff, Action::Assign { unit })
            }
            Step::Reply => {
                let o = store.opinion(&cast.county, id).await?;
                input.note = if o.reopen_count > 0 {
                    (*rng.pick(texts::SECOND_REPLY)).into()
                } else {
                    reply.clone()
                };
                let unit = o.lead_unit_id.and_then(|u| cast.units.get(&u));
                (
                    Capacity::Unit,
                    unit.ok_or("demo: unit without account")?,
                    Action::Reply,
                )
            }
            Step::Feedback => {
                input.note = (*rng.pick(texts::FEEDBACK)).into();
                if p.deputy {
                    (Capacity::Deputy, &cast.deputy, Action::Feedback)
                } else {
                    (Capacity::Staff, staff, Action::Feedback)
                }
            }
            Step::Rate(satisfaction) => {
                // the citizen rates on the tracking page, or staff record a call
                if satisfaction == Satisfaction::Unsatisfied || rng.chance(50) {
                    let note = if satisfaction == Satisfaction::Unsatisfied {
                        *rng.pick(texts::UNSATISFIED)
                    } else {
                        ""
                    };
                    store.rate_by_citizen(id, satisfaction, note, "-").await?;
                    continue;
                }
                input.note = (*rng.pick(texts::RATE_NOTES)).into();
                (Capacity::Staff, staff, Action::Rate { satisfaction })
            }
            Step::Publish => {
                let o = store.opinion(staff, id).await?;
                let r = store.public_redactor(&o).await?;
                input.public_text = Some(o.proposed_public_text(&r));
                (Capacity::Staff, staff, Action::Publish)
            }
            Step::Merge => match &survivor {
                Some((into, _, _)) => (Capacity::Staff, staff, Action::Merge { into: *into }),
                None => (Capacity::Staff, staff, Action::Accept),
            },
        };
        store
            .act_on_opinion(scope, &Actor::of(scope, "-"), id, who, action, &input)
            .await?;
    }
    if matches!(p.fate, Fate::Supervised | Fate::KeySupervised) {
        let county = &cast.county;
        let actor = Actor::of(county, "-");
        let assigned = p.times[p.times.len() - 1];
        let issued = assigned + Duration::days(10 + rng.below(4) as i64);
        let demand = texts::SUPERVISION[usize::from(p.fate == Fate::KeySupervised)];
        let notice = store
            .issue_supervision(county, &actor, id, demand, Some(issued + Duration::days(7)))
            .await?;
        let o = store.opinion(county, id).await?;
        let signed = o
            .lead_unit_id
            .and_then(|u| cast.units.get(&u))
            .filter(|_| rng.chance(60));
        if let Some(unit) = signed {
            store
                .acknowledge_supervision(unit, &Actor::of(unit, "-"), notice, "已收到，正在抓紧办理")
                .await?;
        }
        notices.push((issued, issued + Duration::hours(20)));
        if p.fate == Fate::KeySupervised {
            let leader = *rng.pick(texts::SUPERVISORS);
            store
                .set_key_supervision(county, &actor, id, true, leader)
                .await?;
        }
    }
    store.backdate_opinion(id, &p.times, &notices).await?;
    Ok(Done {
        id,
        township: p.township,
        category,
        text: description,
        fate: p.fate,
    })
}

/// Where the demo deputy's opinions belong (as their code places them): their finest constituency
/// region in office and their first station.
async fn deputy_reach(store: &Store, person: i64) -> AnyResult<(RegionCode, Option<i64>)> {
    let mandates = store.mandates_of_person(person).await?;
    let m = mandates
        .iter()
        .filter(|m| m.in_office())
        .max_by_key(|m| m.constituency_region.trim_end_matches('0').len())
        .ok_or("demo deputy holds no mandate")?;
    let station = store.stations_of_person(person).await?.first().map(|s| s.id);
    Ok((RegionCode::parse(&m.constituency_region)?, station))
}
