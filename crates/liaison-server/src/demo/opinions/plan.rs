//! What happens to each demo item and when: its fate (the stage it ends in), its township, whether it
//! reached the demo deputy first, its words, its steps and the time of each, all from the demo seed.

use chrono::{DateTime, Duration, Utc};
use liaison_domain::opinion::Satisfaction;

use crate::demo::registry::Township;
use crate::demo::rng::Rng;
use crate::demo::texts;

/// Where an item ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fate {
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
pub(super) enum Step {
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

pub(super) struct Planned {
    pub(super) fate: Fate,
    pub(super) township: usize,
    /// Reached the demo deputy first (their code or their visit).
    pub(super) deputy: bool,
    /// (category, description, reply); declined and merged items fill theirs in later.
    pub(super) text: (&'static str, &'static str, &'static str),
    pub(super) steps: Vec<Step>,
    /// The submission, then one time per step.
    pub(super) times: Vec<DateTime<Utc>>,
    pub(super) seed: u64,
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
pub(super) fn plan(
    seed: u64,
    townships: &[Township],
    has_clerk: impl Fn(&str) -> bool,
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
            let steps = steps(*fate, deputy, county_matter, has_clerk(code));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn townships() -> Vec<Township> {
        (0..11)
            .map(|i| Township {
                code: format!("632521{:03}", 100 + i),
                home: i,
                rooms: vec![(100 + i, format!("632521{:03}200", 100 + i), "加拉村".into())],
                villages: vec!["加拉村".into(), "城西社区".into()],
            })
            .collect()
    }

    #[test]
    fn every_fate_is_planned_in_the_past_with_its_steps_in_order() {
        let now = Utc::now();
        let ts = townships();
        let planned = plan(crate::demo::DEMO_SEED, &ts, |c| c == "632521100", now);
        assert_eq!(planned.len(), PLAN.iter().map(|(_, n)| n).sum::<usize>());
        for (fate, _) in PLAN {
            assert!(planned.iter().any(|p| p.fate == *fate), "{fate:?}");
        }
        for w in planned.windows(2) {
            assert!(w[0].times[0] <= w[1].times[0], "submitted in order");
        }
        for p in &planned {
            assert_eq!(p.times.len(), p.steps.len() + 1);
            assert!(p.times.windows(2).all(|w| w[0] <= w[1]));
            assert!(*p.times.last().unwrap() < now, "{:?} ends in the future", p.fate);
            assert!(now - p.times[0] < Duration::days(245), "{:?} too old", p.fate);
            if p.deputy {
                assert_eq!(p.township, 0, "the demo deputy is of the county seat");
            }
            let overdue = matches!(p.fate, Fate::Overdue | Fate::Supervised | Fate::KeySupervised);
            if overdue {
                assert!(now - *p.times.last().unwrap() > Duration::days(15));
                assert_eq!(p.steps.last(), Some(&Step::Assign));
            }
        }
        assert!(planned.iter().any(|p| p.steps.contains(&Step::Escalate)));
        assert!(planned.iter().filter(|p| p.deputy).count() >= 10);
    }
}
