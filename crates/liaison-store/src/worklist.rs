//! Work queues: the caller's items (a deputy's inbox, a unit's, a region's) with filters — stage,
//! category, township, station, deputy, channel, dates, due state, 重点督办 — sorted newest first or
//! by deadline, keyset-paginated; counts by due state; the overdue summary per unit and township; and
//! the dates of each step for the Excel export.

use chrono::{DateTime, Utc};
use liaison_domain::opinion::{Channel, Stage};
use liaison_domain::{RegionCode, Scope, deadline};

use crate::opinions::{Opinion, Queue, is_opinion_staff, station_only};
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Due {
    #[default]
    Any,
    Overdue,
    Soon,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Newest,
    /// Soonest deadline first; items without one last.
    Due,
}

#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub stages: Vec<Stage>,
    pub category: Option<String>,
    /// Narrows to a subtree inside the caller's scope (a township).
    pub region: Option<RegionCode>,
    pub station: Option<i64>,
    pub person: Option<i64>,
    pub channel: Option<Channel>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub due: Due,
    pub key_only: bool,
    pub sort: Sort,
}

/// Where the next page starts: after this (due time, id) or before this id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    Before(i64),
    AfterDue(DateTime<Utc>, i64),
}

/// Open items by due state in a queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub open: i64,
    pub overdue: i64,
    pub soon: i64,
    pub key: i64,
}

/// The dates of an item's steps (first time each happened), for exports.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct StepDates {
    pub id: i64,
    pub accepted_at: Option<DateTime<Utc>>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub replied_at: Option<DateTime<Utc>>,
    pub rated_at: Option<DateTime<Utc>>,
}

/// A region queue over a province or a city (and not narrowed below it).
fn is_wide(scope: &Scope, queue: Queue, f: &QueueFilter) -> bool {
    let narrowest = f
        .region
        .as_ref()
        .map_or(scope.region.level(), |r| r.level().max(scope.region.level()));
    narrowest < liaison_domain::RegionLevel::County && matches!(queue, Queue::Region)
}

enum Arg {
    I(i64),
    S(String),
    T(DateTime<Utc>),
}

/// Overdue counts per lead unit and per township: (name, count), most first.
pub type OverdueSummary = (Vec<(String, i64)>, Vec<(String, i64)>);

/// Counts stop here.
pub const COUNT_CAP: i64 = 1000;

const OPEN: &str = "o.stage NOT IN ('closed', 'declined', 'published', 'merged')";

impl Store {
    /// Inside a county on SQLite, the region's own index: SQLite's planner otherwise walks the
    /// province-wide due-time index in order and filters it down to one township (seconds under load).
    /// PostgreSQL plans each statement with its values and needs no hint.
    fn region_hint(&self, scope: &Scope, queue: Queue, f: &QueueFilter) -> &'static str {
        if self.backend() == crate::Backend::Sqlite
            && matches!(queue, Queue::Region)
            && !is_wide(scope, queue, f)
        {
            "INDEXED BY opinion_region_due"
        } else {
            ""
        }
    }

    /// The WHERE clause and its arguments for a queue and filter (`$n` numbered from 1).
    fn queue_where(
        &self,
        scope: &Scope,
        queue: Queue,
        f: &QueueFilter,
        now: DateTime<Utc>,
    ) -> Result<(String, Vec<Arg>)> {
        // Over a province or a city the region range is most of the table: an index on it would read
        // millions of entries, so the range (and the stage list) is written so no index serves it, and
        // the planner walks the order index (id, or due time) and stops after one page. Inside a
        // county the range is selective and written plainly.
        let wide = is_wide(scope, queue, f);
        let col = |c: &str| {
            if wide {
                format!("({c} || '')")
            } else {
                c.to_owned()
            }
        };
        let mut w: Vec<String> = Vec::new();
        let mut args: Vec<Arg> = Vec::new();
        let mut push = |cond: &str, a: Arg, w: &mut Vec<String>| {
            args.push(a);
            w.push(cond.replace('?', &format!("${}", args.len())));
        };
        match queue {
            Queue::Deputy(person) => {
                if scope.person_id != Some(person) {
                    return Err(StoreError::Forbidden);
                }
                push("o.person_id = ?", Arg::I(person), &mut w);
            }
            Queue::Unit(unit) => {
                if scope.unit_id != Some(unit) {
                    return Err(StoreError::Forbidden);
                }
                push(
                    "o.id IN (SELECT opinion_id FROM opinion_unit WHERE unit_id = ?)",
                    Arg::I(unit),
                    &mut w,
                );
            }
            Queue::Region => {
                if !is_opinion_staff(scope) {
                    return Err(StoreError::Forbidden);
                }
                // one range: the scope's, narrowed by the filter's (two ranges on one column leave
                // the planner guessing which bounds the index scan)
                let (mut lo, mut hi) = scope.range();
                if let Some(r) = &f.region {
                    let (flo, fhi) = r.subtree_range();
                    lo = lo.max(flo);
                    hi = hi.min(fhi);
                }
                if lo > hi {
                    // a filter outside the caller's region: nothing, without reading anything
                    w.push("1 = 0".into());
                }
                push(&format!("{} >= ?", col("o.region_code")), Arg::S(lo), &mut w);
                push(&format!("{} <= ?", col("o.region_code")), Arg::S(hi), &mut w);
                if station_only(scope) {
                    let s = scope.station_id.ok_or(StoreError::Forbidden)?;
                    push("o.station_id = ?", Arg::I(s), &mut w);
                }
            }
        }
        if let Some(r) = f.region.as_ref().filter(|_| !matches!(queue, Queue::Region)) {
            let (lo, hi) = r.subtree_range();
            push(&format!("{} >= ?", col("o.region_code")), Arg::S(lo), &mut w);
            push(&format!("{} <= ?", col("o.region_code")), Arg::S(hi), &mut w);
        }
        // sorted by deadline, only open items have one: the open-stage list adds nothing there
        let all_open = f.sort == Sort::Due
            && Stage::ALL
                .iter()
                .filter(|s| s.is_open())
                .all(|s| f.stages.contains(s));
        if !f.stages.is_empty() && !all_open {
            // stage names come from the fixed enum, never from input
            let list: Vec<String> = f.stages.iter().map(|s| format!("'{}'", s.as_str())).collect();
            w.push(format!("{} IN ({})", col("o.stage"), list.join(", ")));
        }
        if let Some(c) = &f.category {
            push(&format!("{} = ?", col("o.category")), Arg::S(c.clone()), &mut w);
        }
        if let Some(s) = f.station {
            push("o.station_id = ?", Arg::I(s), &mut w);
        }
        if let Some(p) = f.person {
            push("o.person_id = ?", Arg::I(p), &mut w);
        }
        if let Some(c) = f.channel {
            push("o.channel = ?", Arg::S(c.as_str().to_owned()), &mut w);
        }
        if let Some(t) = f.from {
            push("o.submitted_at >= ?", Arg::T(t), &mut w);
        }
        if let Some(t) = f.to {
            push("o.submitted_at < ?", Arg::T(t), &mut w);
        }
        match f.due {
            Due::Any => {}
            Due::Overdue => push("o.due_at < ?", Arg::T(now), &mut w),
            Due::Soon => {
                push("o.due_at >= ?", Arg::T(now), &mut w);
                push("o.due_at <= ?", Arg::T(now + deadline::soon_window()), &mut w);
            }
        }
        if f.key_only {
            w.push("o.key_supervision = TRUE".into());
        }
        Ok((w.join(" AND "), args))
    }

    /// One page of a queue.
    pub async fn worklist(
        &self,
        scope: &Scope,
        queue: Queue,
        f: &QueueFilter,
        cursor: Option<Cursor>,
        limit: i64,
    ) -> Result<Vec<Opinion>> {
        let (mut cond, mut args) = self.queue_where(scope, queue, f, Utc::now())?;
        let order = match (f.sort, cursor) {
            (Sort::Newest, c) => {
                if let Some(Cursor::Before(id)) = c {
                    args.push(Arg::I(id));
                    cond.push_str(&format!(" AND o.id < ${}", args.len()));
                }
                "o.id DESC"
            }
            (Sort::Due, c) => {
                // items without a deadline sort last: in this order they come after every dated one
                cond.push_str(" AND o.due_at IS NOT NULL");
                if let Some(Cursor::AfterDue(at, id)) = c {
                    args.push(Arg::T(at));
                    let n = args.len();
                    args.push(Arg::I(id));
                    cond.push_str(&format!(
                        " AND (o.due_at > ${n} OR (o.due_at = ${n} AND o.id > ${}))",
                        n + 1
                    ));
                }
                "o.due_at, o.id"
            }
        };
        args.push(Arg::I(limit));
        // the page's ids first (an index walk), then the rows with their names: sorting the joined rows
        // would build every matching row, names and all, before keeping one page
        let sql = format!(
            "{} WHERE o.id IN (SELECT o.id FROM opinion o {} WHERE {cond} ORDER BY {order} LIMIT ${}) ORDER BY {order}",
            crate::opinions::opinion_select_sql(),
            self.region_hint(scope, queue, f),
            args.len()
        );
        let rows = with_pool!(&self.read, p => {
            let mut q = sqlx::query_as::<_, Opinion>(sqlx::AssertSqlSafe(sql));
            for a in &args {
                q = match a { Arg::I(v) => q.bind(*v), Arg::S(v) => q.bind(v.clone()), Arg::T(v) => q.bind(*v) };
            }
            q.fetch_all(p).await?
        });
        Ok(rows)
    }

    /// Open items of a queue by due state (the filter's own due state and stages are ignored). Each
    /// count stops at [`COUNT_CAP`] (shown as "1000+"), so a province-wide queue counts as fast as a
    /// township's.
    pub async fn worklist_counts(&self, scope: &Scope, queue: Queue, f: &QueueFilter) -> Result<Counts> {
        let now = Utc::now();
        let mut out = [0i64; 4];
        for (slot, due, key) in [
            (0, Due::Any, false),
            (1, Due::Overdue, false),
            (2, Due::Soon, false),
            (3, Due::Any, true),
        ] {
            let part = QueueFilter {
                stages: vec![],
                due,
                key_only: key,
                ..f.clone()
            };
            let (cond, mut args) = self.queue_where(scope, queue, &part, now)?;
            args.push(Arg::I(COUNT_CAP));
            let sql = format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM opinion o {} WHERE {cond} AND {OPEN} LIMIT ${}) t",
                self.region_hint(scope, queue, &part),
                args.len()
            );
            let (n,): (i64,) = with_pool!(&self.read, p => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for a in &args {
                    q = match a { Arg::I(v) => q.bind(*v), Arg::S(v) => q.bind(v.clone()), Arg::T(v) => q.bind(*v) };
                }
                q.fetch_one(p).await?
            });
            out[slot] = n;
        }
        Ok(Counts {
            open: out[0],
            overdue: out[1],
            soon: out[2],
            key: out[3],
        })
    }

    /// Overdue open items in a county (or finer) within the caller's region, per lead unit and per
    /// township: (name, count), most first. None above county level, where exact counts over millions
    /// of rows would cost seconds: the caller narrows to a county first.
    pub async fn overdue_summary(
        &self,
        scope: &Scope,
        region: Option<&RegionCode>,
    ) -> Result<Option<OverdueSummary>> {
        if !is_opinion_staff(scope) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = match region {
            Some(r) => r.subtree_range(),
            None => scope.range(),
        };
        // the narrower of the scope and the filter decides the level
        let level_ok = match region {
            Some(r) => r.level() >= liaison_domain::RegionLevel::County,
            None => scope.region.level() >= liaison_domain::RegionLevel::County,
        };
        if !level_ok {
            return Ok(None);
        }
        let (slo, shi) = scope.range();
        let (lo, hi) = (lo.max(slo), hi.min(shi));
        if lo > hi {
            return Ok(None);
        }
        let now = Utc::now();
        let by_unit: Vec<(String, i64)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT COALESCE(u.name, '（未交办）'), COUNT(*) FROM opinion o LEFT JOIN handling_unit u ON u.id = o.lead_unit_id \
                 WHERE o.due_at < $1 AND o.region_code BETWEEN $2 AND $3 \
                 GROUP BY u.name ORDER BY COUNT(*) DESC LIMIT 50",
            )
            .bind(now).bind(&lo).bind(&hi).fetch_all(p).await?
        });
        let by_township: Vec<(String, i64)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT COALESCE(r.name, t.code), t.n FROM (SELECT substr(o.region_code, 1, 9) || '000' AS code, COUNT(*) AS n \
                 FROM opinion o WHERE o.due_at < $1 AND o.region_code BETWEEN $2 AND $3 GROUP BY substr(o.region_code, 1, 9)) t \
                 LEFT JOIN region r ON r.code = t.code ORDER BY t.n DESC LIMIT 50",
            )
            .bind(now).bind(&lo).bind(&hi).fetch_all(p).await?
        });
        Ok(Some((by_unit, by_township)))
    }

    /// When each item's steps first happened.
    pub async fn step_dates(&self, ids: &[i64]) -> Result<Vec<StepDates>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        // ids are integers from the caller's own query
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT opinion_id AS id, \
             MIN(CASE WHEN action = 'accept' THEN at END) AS accepted_at, \
             MIN(CASE WHEN action = 'assign' THEN at END) AS assigned_at, \
             MIN(CASE WHEN action IN ('reply', 'deputy_answer', 'answer_on_spot') THEN at END) AS replied_at, \
             MAX(CASE WHEN action = 'rate' THEN at END) AS rated_at \
             FROM opinion_event WHERE opinion_id IN ({}) GROUP BY opinion_id",
            list.join(",")
        );
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, StepDates>(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?
        }))
    }
}
