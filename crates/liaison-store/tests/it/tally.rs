//! 计数 (tallies): whatever happens to the items — intake, workflow steps, 重点督办, the deadline sweep
//! with the clock moved on, backdating, compaction — the counters with their pending changes equal a
//! count of the items, key by key, and a recount finds nothing to correct.

use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use liaison_domain::opinion::submission::{Submission, SubmissionFields};
use liaison_domain::opinion::{Action, Capacity, Channel, Satisfaction, Stage};
use liaison_domain::registry::station::StationKind;
use liaison_domain::{RegionCode, Scope};
use liaison_store::account::AccountChange;
use liaison_store::opinion::ActInput;
use liaison_store::opinion::Queue;
use liaison_store::opinion::intake::{NewOpinion, Placement};
use liaison_store::opinion::queue::QueueFilter;
use liaison_store::opinion::tally::TallyRow;
use liaison_store::registry::station::StationInput;
use liaison_store::registry::unit::UnitInput;
use liaison_store::{Actor, Store};
use liaison_testkit::fixtures::{Cast, cast, grant};
use liaison_testkit::{Backend, TestDb, both_backends};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

fn rc(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

/// One thing that happens to the items. Item and unit numbers are taken modulo what exists.
#[derive(Debug, Clone)]
enum Op {
    /// A citizen scans station `station` (0: none, a phone call recorded by staff) about village `village`.
    Submit {
        station: usize,
        village: usize,
    },
    /// The item's next workflow step, one of those its stage allows (`alt` picks which).
    Step {
        item: usize,
        alt: usize,
    },
    Supervise {
        item: usize,
        on: bool,
    },
    /// The deadline sweep, run as if `hours` from now.
    Sweep {
        hours: i64,
    },
    /// The item's history moved `days` into the past (its deadline recomputed, its mark cleared).
    Backdate {
        item: usize,
        days: i64,
    },
    Compact,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize, 0..3usize).prop_map(|(station, village)| Op::Submit { station, village }),
        8 => (0..40usize, 0..12usize).prop_map(|(item, alt)| Op::Step { item, alt }),
        2 => (0..40usize, any::<bool>()).prop_map(|(item, on)| Op::Supervise { item, on }),
        2 => prop_oneof![Just(0i64), Just(20), Just(30), Just(24 * 15)].prop_map(|hours| Op::Sweep { hours }),
        1 => (0..40usize, 1..30i64).prop_map(|(item, days)| Op::Backdate { item, days }),
        2 => Just(Op::Compact),
    ]
}

/// Two stations in two villages of one township, a third village without one, two units (the first
/// bound to the `unit` account), the county clerk who acts as staff.
struct Place {
    county: Scope,
    unit: Scope,
    villages: Vec<RegionCode>,
    stations: Vec<i64>,
    units: Vec<i64>,
    items: Vec<i64>,
    submitted: usize,
}

async fn place(db: &Store, c: &Cast) -> Place {
    let county = db.scope_of(c.id("county_clerk")).await.unwrap();
    let a = Actor::of(&county, "-");
    let villages: Vec<RegionCode> = db
        .region_children(Some(&rc("632521100")))
        .await
        .unwrap()
        .iter()
        .take(3)
        .map(|r| rc(&r.code))
        .collect();
    assert_eq!(villages.len(), 3);
    let mut stations = Vec::new();
    for (i, v) in villages.iter().take(2).enumerate() {
        let st = StationInput {
            region: Some(v.clone()),
            kind: Some(StationKind::Room),
            name: format!("第{i}代表联络室"),
            ..Default::default()
        };
        stations.push(db.create_station(&county, &a, &st).await.unwrap());
    }
    let mut units = Vec::new();
    for name in ["恰卜恰镇人民政府", "共和县交通运输局"] {
        let u = UnitInput {
            region: rc("632521100"),
            name: name.into(),
            kind: "township_government".into(),
            phone: String::new(),
        };
        units.push(db.upsert_unit(&county, &a, &u).await.unwrap().0);
    }
    let admin = db.scope_of(c.id("sysadmin")).await.unwrap();
    let acc = db.account(&admin, c.id("unit")).await.unwrap();
    let ch = AccountChange {
        display_name: acc.display_name.clone(),
        region: rc(&acc.region_code),
        roles: acc.roles.clone(),
        unit_id: Some(units[0]),
        station_id: None,
        person_id: None,
    };
    db.update_account(&admin, &Actor::of(&admin, "-"), c.id("unit"), ch)
        .await
        .unwrap();
    grant(db, c.id("unit")).await;
    // the station manager answers for the first station
    let acc = db.account(&admin, c.id("station_mgr")).await.unwrap();
    let ch = AccountChange {
        display_name: acc.display_name.clone(),
        region: rc(&acc.region_code),
        roles: acc.roles.clone(),
        unit_id: None,
        station_id: Some(stations[0]),
        person_id: None,
    };
    db.update_account(&admin, &Actor::of(&admin, "-"), c.id("station_mgr"), ch)
        .await
        .unwrap();
    grant(db, c.id("station_mgr")).await;
    Place {
        unit: db.scope_of(c.id("unit")).await.unwrap(),
        county,
        villages,
        stations,
        units,
        items: vec![],
        submitted: 0,
    }
}

/// Applies one operation; refusals (a step the item's stage does not allow) change nothing and are
/// part of the game.
async fn apply(db: &TestDb, p: &mut Place, op: &Op) {
    let pick = |i: usize| p.items.get(i % p.items.len().max(1)).copied();
    match *op {
        Op::Submit { station, village } => {
            p.submitted += 1;
            let n = p.submitted;
            let sub = Submission::parse(
                SubmissionFields {
                    category: "street_lights",
                    description: &format!("第{n}件：村口的路灯坏了，晚上出行很不方便"),
                    ..Default::default()
                },
                |_| true,
            )
            .unwrap();
            let (channel, station_id, actor) = match station {
                0 => (Channel::Phone, None, Actor::of(&p.county, "-")),
                s => (
                    Channel::StationCode,
                    Some(p.stations[s - 1]),
                    Actor {
                        account_id: None,
                        username: "public".into(),
                        ip: "-".into(),
                    },
                ),
            };
            let place = Placement {
                channel,
                person_id: None,
                station_id,
                region: p.villages[village].clone(),
            };
            let new = NewOpinion::new(sub, false, format!("tally-{n}"), place, actor, vec![]);
            p.items.push(db.submit_opinion(new).await.unwrap().id);
        }
        Op::Step { item, alt } => {
            let Some(id) = pick(item) else { return };
            let o = db.opinion(&p.county, id).await.unwrap().into_inner();
            let mut unit = p.unit.clone();
            // the lead unit's account (the fixtures have one unit account; its scope names either unit)
            unit.unit_id = o.lead_unit_id;
            let staff = |a: Action| (Capacity::Staff, &p.county, a);
            let choices: Vec<(Capacity, &Scope, Action)> = match o.stage() {
                Stage::Submitted => vec![
                    staff(Action::Accept),
                    staff(Action::Accept),
                    staff(Action::Decline),
                    staff(Action::Merge {
                        into: pick(alt).unwrap_or(id),
                    }),
                ],
                Stage::Referred => vec![staff(Action::Accept)],
                Stage::Accepted => vec![
                    staff(Action::Assign { unit: p.units[0] }),
                    staff(Action::Assign { unit: p.units[1] }),
                    staff(Action::Escalate),
                ],
                Stage::Assigned => vec![
                    (Capacity::Unit, &unit, Action::Reply),
                    (Capacity::Unit, &unit, Action::Reply),
                    (Capacity::Unit, &unit, Action::Return),
                ],
                Stage::Replied => vec![staff(Action::Feedback)],
                Stage::Answered => vec![
                    staff(Action::Rate {
                        satisfaction: Satisfaction::Satisfied,
                    }),
                    staff(Action::Rate {
                        satisfaction: Satisfaction::Unsatisfied,
                    }),
                ],
                Stage::Closed => vec![staff(Action::Publish)],
                _ => vec![],
            };
            let Some((who, scope, action)) = choices.get(alt % choices.len().max(1)).cloned() else {
                return;
            };
            let input = ActInput {
                note: "已处理，特此说明".into(),
                reason: matches!(action, Action::Decline | Action::Return).then(|| "other".to_owned()),
                public_text: Some("路灯已修复".into()),
                ..Default::default()
            };
            let actor = Actor::of(scope, "-");
            // a step may still be refused (a merge into a closed item, a late return): nothing changes
            let r = db.act_on_opinion(scope, &actor, id, who, action, &input).await;
            if let Err(e) = &r {
                assert!(
                    matches!(e, liaison_store::StoreError::Refused(_)),
                    "{action:?}: {e:?}"
                );
            }
        }
        Op::Supervise { item, on } => {
            let Some(id) = pick(item) else { return };
            let actor = Actor::of(&p.county, "-");
            db.set_key_supervision(&p.county, &actor, id, on, "主任")
                .await
                .unwrap();
        }
        Op::Sweep { hours } => {
            db.sweep_deadlines(Utc::now() + Duration::hours(hours))
                .await
                .unwrap();
        }
        Op::Backdate { item, days } => {
            let Some(id) = pick(item) else { return };
            let events = events_of(db, id).await;
            let start = Utc::now() - Duration::days(days);
            let times: Vec<_> = (0..events).map(|i| start + Duration::minutes(i)).collect();
            db.backdate_opinion(id, &times, &[]).await.unwrap();
        }
        Op::Compact => {
            db.compact_tally().await.unwrap();
        }
    }
}

/// A plain SQL read of the items, on either backend.
async fn items_sql<T>(db: &TestDb, sql: &'static str, bind: Option<i64>) -> Vec<T>
where
    T: Send + Unpin,
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    match db.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            let q = sqlx::query_as(sql);
            let q = if let Some(b) = bind { q.bind(b) } else { q };
            let rows = q.fetch_all(&pool).await.unwrap();
            pool.close().await;
            rows
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            let q = sqlx::query_as(sql);
            let q = if let Some(b) = bind { q.bind(b) } else { q };
            let rows = q.fetch_all(&pool).await.unwrap();
            pool.close().await;
            rows
        }
    }
}

async fn events_of(db: &TestDb, id: i64) -> i64 {
    let n: Vec<(i64,)> = items_sql(
        db,
        "SELECT COUNT(*) FROM opinion_event WHERE opinion_id = $1",
        Some(id),
    )
    .await;
    n[0].0
}

/// An item's counted columns: region, station, lead unit, stage, 重点督办, alerted.
type ItemRow = (String, Option<i64>, Option<i64>, String, bool, i32);

/// The counters as the items say they should be, counted here in Rust from the item rows.
async fn expected(db: &TestDb) -> Vec<TallyRow> {
    let rows: Vec<ItemRow> = items_sql(
        db,
        "SELECT region_code, station_id, lead_unit_id, stage, key_supervision, alerted FROM opinion",
        None,
    )
    .await;
    let mut keys: BTreeMap<(String, i64, i64), TallyRow> = BTreeMap::new();
    for (region, station, unit, stage, key, alerted) in rows {
        let (station, unit) = (station.unwrap_or(0), unit.unwrap_or(0));
        let r = keys
            .entry((region.clone(), station, unit))
            .or_insert_with(|| TallyRow {
                region_code: region,
                station_id: station,
                lead_unit_id: unit,
                ..Default::default()
            });
        let open = Stage::parse(&stage).unwrap().is_open();
        r.all_n += 1;
        r.open_n += i64::from(open);
        r.key_n += i64::from(open && key);
        r.overdue_n += i64::from(open && alerted == 2);
        r.soon_n += i64::from(open && alerted == 1);
    }
    keys.into_values().collect()
}

/// The sums of `rows` over a region range and, optionally, one station.
fn sum(rows: &[TallyRow], prefix: &str, station: Option<i64>) -> (i64, i64, i64, i64) {
    rows.iter()
        .filter(|r| r.region_code.starts_with(prefix) && station.is_none_or(|s| r.station_id == s))
        .fold((0, 0, 0, 0), |(o, d, s, k), r| {
            (o + r.open_n, d + r.overdue_n, s + r.soon_n, k + r.key_n)
        })
}

both_backends!(
    async fn the_counters_equal_a_count_of_the_items_whatever_happens(db) {
        let c = cast(&db).await;
        let mut p = place(&db, &c).await;
        let mgr = db.scope_of(c.id("station_mgr")).await.unwrap();
        let mut runner = TestRunner::new(Config { cases: 24, ..Config::default() });
        let ops = proptest::collection::vec(op(), 1..16);
        // an opening that reaches every counter, then random sequences
        let mut history: Vec<Op> = vec![
            Op::Submit { station: 1, village: 0 },
            Op::Submit { station: 0, village: 1 },
            Op::Supervise { item: 0, on: true },
            Op::Sweep { hours: 30 },
        ];
        for o in &history {
            apply(&db, &mut p, o).await;
        }
        let (mut seen_key, mut seen_overdue) = (false, false);
        for case in 0..24 {
            let seq = ops.new_tree(&mut runner).unwrap().current();
            for o in &seq {
                apply(&db, &mut p, o).await;
            }
            history.extend(seq);
            let want = expected(&db).await;
            let got = db.tally_rows().await.unwrap();
            assert_eq!(got, want, "case {case}, after {history:#?}");
            seen_key |= want.iter().any(|r| r.key_n > 0);
            seen_overdue |= want.iter().any(|r| r.overdue_n > 0);
            // what the pages read: the county clerk's counts and the station manager's
            let county = db.queue_counts(&p.county, Queue::Region, &QueueFilter::default()).await.unwrap();
            assert!(county.exact && county.total_exact);
            let (o, d, s, k) = sum(&want, "632521", None);
            assert_eq!((county.open, county.overdue, county.soon, county.key), (o, d, s, k), "case {case}");
            assert_eq!(county.total, want.iter().map(|r| r.all_n).sum::<i64>());
            let own = db.queue_counts(&mgr, Queue::Region, &QueueFilter::default()).await.unwrap();
            let (o, d, s, k) = sum(&want, "632521100", Some(p.stations[0]));
            assert_eq!((own.open, own.overdue, own.soon, own.key), (o, d, s, k), "case {case}");
        }
        // folded or recounted, the counters say the same and nothing needed correcting
        db.compact_tally().await.unwrap();
        let want = expected(&db).await;
        assert_eq!(db.tally_rows().await.unwrap(), want);
        let r = db.recount_tally().await.unwrap();
        assert_eq!((r.keys, r.corrected), (want.len(), 0));
        assert_eq!(db.tally_rows().await.unwrap(), want);
        assert!(p.items.len() > 10, "the sequences made items: {}", p.items.len());
        let moved = want.iter().map(|r| r.open_n).sum::<i64>() < want.iter().map(|r| r.all_n).sum::<i64>();
        assert!(moved, "some items were closed, declined, merged or published");
        assert!(seen_overdue && seen_key, "the sweep marked items and some were 重点督办");
    }
);

both_backends!(
    async fn a_recount_repairs_counters_that_drifted(db) {
        let c = cast(&db).await;
        let mut p = place(&db, &c).await;
        for village in 0..3 {
            apply(&db, &mut p, &Op::Submit { station: village % 3, village }).await;
        }
        db.compact_tally().await.unwrap();
        let want = expected(&db).await;
        assert_eq!(db.tally_rows().await.unwrap(), want);
        // a counter set wrong behind the store's back (a restore from before the migration, a bug)
        let _: Vec<(i64,)> = items_sql(&db, "UPDATE opinion_tally SET open_n = open_n + 5 WHERE station_id = $1 RETURNING station_id", Some(p.stations[0])).await;
        assert_ne!(db.tally_rows().await.unwrap(), want);
        let r = db.recount_tally().await.unwrap();
        assert_eq!((r.keys, r.corrected), (want.len(), 1));
        assert_eq!(db.tally_rows().await.unwrap(), want);
    }
);
