//! One demo item walked through the real workflow: intake as the citizen's code or the staff's record
//! takes it, each step by the account that would take it, the 督办单 and 重点督办, then its dates.

use chrono::Duration;
use liaison_domain::RegionCode;
use liaison_domain::opinion::submission::{Submission, SubmissionFields};
use liaison_domain::opinion::{Action, Capacity, Channel, Satisfaction};
use liaison_store::opinion::ActInput;
use liaison_store::opinion::intake::{NewOpinion, Placement};
use liaison_store::{Actor, Store};

use super::plan::{Fate, Planned, Step};
use super::{Cast, Done};
use crate::AnyResult;
use crate::demo::registry::Township;
use crate::demo::rng::Rng;
use crate::demo::texts;

pub(super) async fn walk(
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
    // the demo deputy's items come from their constituency, and name it
    let reach = match p.deputy {
        true => Some(deputy_reach(store, cast.deputy.person_id.unwrap_or(0)).await?),
        false => None,
    };
    let village = match &reach {
        Some((code, _)) => store.region(code).await?.map_or(village, |r| r.short_name()),
        None => village,
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
    let (channel, person, station, region) = if let Some((region, station)) = reach {
        let ch = if rng.chance(75) {
            Channel::DeputyCode
        } else {
            Channel::DeputyVisit
        };
        (ch, cast.deputy.person_id, station, region)
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
        crate::demo::people::phone(&mut rng)
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
