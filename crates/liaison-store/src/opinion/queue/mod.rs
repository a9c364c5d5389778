//! Work queues: the caller's items (a deputy's inbox, a unit's, a region's) with filters — stage,
//! category, township, station, deputy, channel, dates, due state, 重点督办 — sorted newest first or
//! by deadline, keyset-paginated; counts by due state; the overdue summary per unit and township; and
//! the dates of each step for the Excel export.

pub mod choices;
mod list;

use chrono::{DateTime, Utc};
use liaison_domain::opinion::{Channel, Stage};
use liaison_domain::{RegionCode, RegionLevel, Scope, deadline};

use crate::opinion::{Opinion, Queue};
use crate::page::TimeCursor;
use crate::{Result, Store, StoreError};
use liaison_domain::opinion::access::{is_staff as is_opinion_staff, station_only};

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
    /// Only items the duplicate pass flagged (疑似重复) whose look-alike is open and visible.
    pub dup: bool,
    pub sort: Sort,
}

/// Where the next page of a queue starts: before this id (newest first) or after this (due time, id)
/// (by deadline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Before(i64),
    AfterDue(TimeCursor),
}

/// Open items by due state in a queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub open: i64,
    pub overdue: i64,
    pub soon: i64,
    pub key: i64,
    /// Flagged possible duplicates (region queues only).
    pub dup: i64,
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
    matches!(queue, Queue::Region)
        && scope
            .narrowed(f.region.as_ref())
            .is_some_and(|r| r.level() < RegionLevel::County)
}

/// A bound value of a built statement.
pub(crate) enum Arg {
    I(i64),
    S(String),
    T(DateTime<Utc>),
}

/// Binds a built statement's arguments in order.
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::I(v) => q.bind(*v),
                Arg::S(v) => q.bind(v.clone()),
                Arg::T(v) => q.bind(*v),
            };
        }
        q
    }};
}

/// Conditions and their arguments, numbered `$1…` in the order they are pushed.
#[derive(Default)]
struct Built {
    conds: Vec<String>,
    args: Vec<Arg>,
}

impl Built {
    /// Adds a condition whose `?` stands for `a`.
    fn push(&mut self, cond: &str, a: Arg) {
        self.args.push(a);
        self.conds
            .push(cond.replace('?', &format!("${}", self.args.len())));
    }

    /// Adds a condition without arguments.
    fn fixed(&mut self, cond: String) {
        self.conds.push(cond);
    }

    /// The conditions added since `from`, joined with AND.
    fn since(&self, from: usize) -> String {
        self.conds[from..].join(" AND ")
    }
}

/// `{alias}.stage NOT IN (…)`: the item is still open. Written from [`Stage`] in its order, so the text
/// is the same everywhere (the partial indexes on open items name it literally).
pub(crate) fn open_sql(alias: &str) -> String {
    let finals: Vec<String> = Stage::ALL
        .iter()
        .filter(|s| !s.is_open())
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!("{alias}.stage NOT IN ({})", finals.join(", "))
}

/// Overdue counts per lead unit and per township: (name, count), most first.
#[derive(Debug, Clone)]
pub struct OverdueSummary {
    pub by_unit: Vec<(String, i64)>,
    pub by_township: Vec<(String, i64)>,
    /// When it was counted (it is reused for [`SUMMARY_FOR`]).
    pub at: DateTime<Utc>,
}

/// Counts stop here.
pub const COUNT_CAP: i64 = 1000;

/// How long an overdue summary is reused: it groups every overdue item of a county (thousands of
/// index entries, ≈ 8 ms at 5 million items), and a half-minute-old tally serves a supervisor as well.
pub const SUMMARY_FOR: std::time::Duration = std::time::Duration::from_secs(30);

/// Overdue summaries by region code, with when they were computed.
#[derive(Debug, Default)]
pub(crate) struct SummaryCache {
    kept: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, OverdueSummary)>>,
}

impl SummaryCache {
    fn get(&self, region: &str) -> Option<OverdueSummary> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.get(region)
            .filter(|(at, _)| at.elapsed() < SUMMARY_FOR)
            .map(|(_, s)| s.clone())
    }

    fn put(&self, region: &str, summary: &OverdueSummary) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        // bounded: the stale ones go first, and a flood of regions empties it
        kept.retain(|_, (at, _)| at.elapsed() < SUMMARY_FOR);
        if kept.len() >= 10_000 {
            kept.clear();
        }
        kept.insert(region.to_owned(), (std::time::Instant::now(), summary.clone()));
    }
}

impl Store {
    /// Adds the conditions of a queue and filter to `b` (arguments numbered after those already in it).
    fn queue_where(
        &self,
        b: &mut Built,
        scope: &Scope,
        queue: Queue,
        f: &QueueFilter,
        now: DateTime<Utc>,
    ) -> Result<()> {
        // Over a province or a city the region range is most of the table: an index on it would read
        // millions of entries, so the range (and the stage list) is written so no index serves it, and
        // the planner walks the order index (id, or due time) and stops after one page. Inside a
        // county the region is named by its prefix, which the level indexes serve in order.
        let wide = is_wide(scope, queue, f);
        // SQLite's planner would take the region range's index anyway; PostgreSQL weighs the range by its
        // statistics (the whole table) and walks the order index by itself, where hiding the columns
        // would make it guess a few rows and sort them all
        let hide = wide && self.backend() == crate::Backend::Sqlite;
        let col = |c: &str| {
            if hide {
                format!("({c} || '')")
            } else {
                c.to_owned()
            }
        };
        match queue {
            Queue::Deputy(person) => {
                if scope.person_id != Some(person) {
                    return Err(StoreError::Forbidden);
                }
                b.push("o.person_id = ?", Arg::I(person));
            }
            Queue::Unit(unit) => {
                if scope.unit_id != Some(unit) {
                    return Err(StoreError::Forbidden);
                }
                b.push(
                    "o.id IN (SELECT opinion_id FROM opinion_unit WHERE unit_id = ?)",
                    Arg::I(unit),
                );
            }
            Queue::Region => {
                if !is_opinion_staff(scope) {
                    return Err(StoreError::Forbidden);
                }
                match scope.narrowed(f.region.as_ref()) {
                    // a filter outside the caller's region: nothing, without reading anything
                    None => b.fixed("1 = 0".into()),
                    // 重点督办 and 疑似重复 read their few flagged items by the region range
                    Some(r) if wide || f.key_only || f.dup => {
                        let (lo, hi) = r.subtree_range();
                        b.push(&format!("{} >= ?", col("o.region_code")), Arg::S(lo));
                        b.push(&format!("{} <= ?", col("o.region_code")), Arg::S(hi));
                    }
                    // inside a county: the region's prefix as an equality (the level indexes)
                    Some(r) => {
                        let digits = if r.level() == RegionLevel::County { 6 } else { 9 };
                        b.push(
                            &format!("substr(o.region_code, 1, {digits}) = ?"),
                            Arg::S(r.as_str()[..digits].to_owned()),
                        );
                        if r.level() == RegionLevel::Village {
                            b.push("o.region_code = ?", Arg::S(r.as_str().to_owned()));
                        }
                    }
                }
                if station_only(scope) {
                    let s = scope.station_id.ok_or(StoreError::Forbidden)?;
                    b.push("o.station_id = ?", Arg::I(s));
                }
            }
        }
        if let Some(r) = f.region.as_ref().filter(|_| !matches!(queue, Queue::Region)) {
            let (lo, hi) = r.subtree_range();
            b.push(&format!("{} >= ?", col("o.region_code")), Arg::S(lo));
            b.push(&format!("{} <= ?", col("o.region_code")), Arg::S(hi));
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
            b.fixed(format!("{} IN ({})", col("o.stage"), list.join(", ")));
        }
        if let Some(c) = &f.category {
            b.push(&format!("{} = ?", col("o.category")), Arg::S(c.clone()));
        }
        if let Some(s) = f.station {
            b.push("o.station_id = ?", Arg::I(s));
        }
        if let Some(p) = f.person {
            b.push("o.person_id = ?", Arg::I(p));
        }
        if let Some(c) = f.channel {
            b.push("o.channel = ?", Arg::S(c.as_str().to_owned()));
        }
        if let Some(t) = f.from {
            b.push("o.submitted_at >= ?", Arg::T(t));
        }
        if let Some(t) = f.to {
            b.push("o.submitted_at < ?", Arg::T(t));
        }
        match f.due {
            Due::Any => {}
            Due::Overdue => b.push("o.due_at < ?", Arg::T(now)),
            Due::Soon => {
                b.push("o.due_at >= ?", Arg::T(now));
                b.push("o.due_at <= ?", Arg::T(now + deadline::soon_window()));
            }
        }
        if f.key_only {
            b.fixed("o.key_supervision = TRUE".into());
        }
        if f.dup {
            self.dup_where(b, scope)?;
        }
        Ok(())
    }

    /// 疑似重复: flagged by the duplicate pass, both items open (the partial index's terms), and the
    /// look-alike inside the caller's region (and, for a station manager, at their station).
    fn dup_where(&self, b: &mut Built, scope: &Scope) -> Result<()> {
        if !is_opinion_staff(scope) {
            return Err(StoreError::Forbidden);
        }
        b.fixed("o.similar_to IS NOT NULL".into());
        b.fixed(open_sql("o"));
        let (lo, hi) = scope.range();
        b.args.push(Arg::S(lo));
        b.args.push(Arg::S(hi));
        let n = b.args.len();
        let mut target = format!(
            "EXISTS (SELECT 1 FROM opinion t WHERE t.id = o.similar_to AND {} AND t.region_code BETWEEN ${} AND ${n}",
            open_sql("t"),
            n - 1
        );
        if station_only(scope) {
            b.args
                .push(Arg::I(scope.station_id.ok_or(StoreError::Forbidden)?));
            target.push_str(&format!(" AND t.station_id = ${}", b.args.len()));
        }
        target.push(')');
        b.fixed(target);
        Ok(())
    }

    /// One page of a queue.
    pub async fn worklist(
        &self,
        scope: &Scope,
        queue: Queue,
        f: &QueueFilter,
        cursor: Option<Position>,
        limit: i64,
    ) -> Result<Vec<Opinion>> {
        let mut b = Built::default();
        self.queue_where(&mut b, scope, queue, f, Utc::now())?;
        let order = match (f.sort, cursor) {
            (Sort::Newest, c) => {
                if let Some(Position::Before(id)) = c {
                    b.push("o.id < ?", Arg::I(id));
                }
                "o.id DESC"
            }
            (Sort::Due, c) => {
                // items without a deadline sort last: in this order they come after every dated one
                b.fixed("o.due_at IS NOT NULL".into());
                if let Some(Position::AfterDue(c)) = c {
                    b.args.push(Arg::T(c.at));
                    let n = b.args.len();
                    b.args.push(Arg::I(c.id));
                    b.fixed(format!(
                        "(o.due_at > ${n} OR (o.due_at = ${n} AND o.id > ${}))",
                        n + 1
                    ));
                }
                "o.due_at, o.id"
            }
        };
        b.args.push(Arg::I(limit));
        // the page's ids first (an index walk), then the rows with their names: sorting the joined rows
        // would build every matching row, names and all, before keeping one page
        let sql = format!(
            "{} WHERE o.id IN (SELECT o.id FROM opinion o WHERE {} ORDER BY {order} LIMIT ${}) ORDER BY {order}",
            crate::opinion::opinion_select_sql(),
            b.since(0),
            b.args.len()
        );
        let rows = with_pool!(&self.read, p => {
            bind_args!(sqlx::query_as::<_, Opinion>(sqlx::AssertSqlSafe(sql)), &b.args).fetch_all(p).await?
        });
        Ok(rows)
    }

    /// Open items of a queue by due state, 重点督办 and (region queues) 疑似重复; the filter's own due
    /// state and stages are ignored. One statement; each count stops at [`COUNT_CAP`] (shown as
    /// "1000+"), so a province-wide queue counts as fast as a township's.
    pub async fn worklist_counts(&self, scope: &Scope, queue: Queue, f: &QueueFilter) -> Result<Counts> {
        let now = Utc::now();
        let mut b = Built::default();
        let mut parts = Vec::new();
        let mut kinds = vec![
            (Due::Any, false, false),
            (Due::Overdue, false, false),
            (Due::Soon, false, false),
            (Due::Any, true, false),
        ];
        if matches!(queue, Queue::Region) {
            kinds.push((Due::Any, false, true));
        }
        for (due, key_only, dup) in kinds {
            let part = QueueFilter {
                stages: vec![],
                due,
                key_only,
                dup,
                ..f.clone()
            };
            let from = b.conds.len();
            self.queue_where(&mut b, scope, queue, &part, now)?;
            b.fixed(open_sql("o"));
            b.args.push(Arg::I(COUNT_CAP));
            parts.push(format!(
                "(SELECT COUNT(*) FROM (SELECT 1 FROM opinion o WHERE {} LIMIT ${}) t)",
                b.since(from),
                b.args.len()
            ));
        }
        let sql = format!("SELECT {}", parts.join(", "));
        let counts: Vec<i64> = with_pool!(&self.read, p => {
            let row = bind_args!(sqlx::query(sqlx::AssertSqlSafe(sql)), &b.args).fetch_one(p).await?;
            (0..parts.len()).map(|i| sqlx::Row::try_get::<i64, _>(&row, i)).collect::<std::result::Result<_, _>>()?
        });
        let at = |i: usize| counts.get(i).copied().unwrap_or(0);
        Ok(Counts {
            open: at(0),
            overdue: at(1),
            soon: at(2),
            key: at(3),
            dup: at(4),
        })
    }

    /// Overdue open items in a county (or finer) within the caller's region, per lead unit and per
    /// township: (name, count), most first. None above county level, where exact counts over millions
    /// of rows would cost seconds: the caller narrows to a county first. One pass over the region's
    /// deadline index (it carries the township and the lead unit), folded here, reused for
    /// [`SUMMARY_FOR`].
    pub async fn overdue_summary(
        &self,
        scope: &Scope,
        region: Option<&RegionCode>,
    ) -> Result<Option<OverdueSummary>> {
        if !is_opinion_staff(scope) {
            return Err(StoreError::Forbidden);
        }
        let Some(r) = scope
            .narrowed(region)
            .filter(|r| r.level() >= RegionLevel::County)
        else {
            return Ok(None);
        };
        if let Some(kept) = self.summaries.get(r.as_str()) {
            return Ok(Some(kept));
        }
        let now = Utc::now();
        let digits = if r.level() == RegionLevel::County { 6 } else { 9 };
        let village = r.level() == RegionLevel::Village;
        let sql = format!(
            "SELECT substr(o.region_code, 1, 9), o.lead_unit_id, COUNT(*) FROM opinion o \
             WHERE substr(o.region_code, 1, {digits}) = $1 AND o.due_at < $2{} \
             GROUP BY substr(o.region_code, 1, 9), o.lead_unit_id",
            if village { " AND o.region_code = $3" } else { "" }
        );
        let rows: Vec<(String, Option<i64>, i64)> = with_pool!(&self.read, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(r.as_str()[..digits].to_owned())
                .bind(now);
            if village {
                q = q.bind(r.as_str().to_owned());
            }
            q.fetch_all(p).await?
        });
        let mut units: std::collections::BTreeMap<Option<i64>, i64> = Default::default();
        let mut towns: std::collections::BTreeMap<String, i64> = Default::default();
        for (town, unit, n) in rows {
            *units.entry(unit).or_default() += n;
            *towns.entry(format!("{town}000")).or_default() += n;
        }
        let unit_ids: Vec<i64> = units.keys().flatten().copied().collect();
        let town_codes: Vec<String> = towns.keys().cloned().collect();
        let unit_names = self.names_by_id("handling_unit", &unit_ids).await?;
        let town_names = self.region_names(&town_codes).await?;
        let ranked = |mut v: Vec<(String, i64)>| {
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v.truncate(50);
            v
        };
        let by_unit = units
            .into_iter()
            .map(|(id, n)| {
                let name = id.and_then(|id| unit_names.get(&id).cloned());
                (name.unwrap_or_else(|| "（未交办）".to_owned()), n)
            })
            .collect();
        let by_township = towns
            .into_iter()
            .map(|(code, n)| (town_names.get(&code).cloned().unwrap_or(code), n))
            .collect();
        let summary = OverdueSummary {
            by_unit: ranked(by_unit),
            by_township: ranked(by_township),
            at: now,
        };
        self.summaries.put(r.as_str(), &summary);
        Ok(Some(summary))
    }

    /// `id -> name` of a few rows of a table that has both (ids from the caller's own query).
    async fn names_by_id(
        &self,
        table: &'static str,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let sql = format!("SELECT id, name FROM {table} WHERE id IN ({})", list.join(","));
        let rows: Vec<(i64, String)> = with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?
        });
        Ok(rows.into_iter().collect())
    }

    /// `code -> name` of a few regions (codes read from the database; anything but digits is skipped).
    async fn region_names(&self, codes: &[String]) -> Result<std::collections::HashMap<String, String>> {
        let list: Vec<String> = codes
            .iter()
            .filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
            .map(|c| format!("'{c}'"))
            .collect();
        if list.is_empty() {
            return Ok(Default::default());
        }
        let sql = format!("SELECT code, name FROM region WHERE code IN ({})", list.join(","));
        let rows: Vec<(String, String)> = with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?
        });
        Ok(rows.into_iter().collect())
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

#[cfg(test)]
mod tests {
    use super::open_sql;

    #[test]
    fn the_open_stage_text_is_the_one_the_partial_indexes_name() {
        let text = "stage NOT IN ('closed', 'declined', 'published', 'merged')";
        assert_eq!(open_sql("o"), format!("o.{text}"));
        for m in [
            include_str!("../../../migrations/sqlite/0013_duplicate_flags.sql"),
            include_str!("../../../migrations/postgres/0013_duplicate_flags.sql"),
        ] {
            assert!(
                m.contains(text),
                "the partial index and the queries must say the same"
            );
        }
    }
}
