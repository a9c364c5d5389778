//! Work queues: the caller's items (a deputy's inbox, a unit's, a region's) with filters — stage,
//! category, township, station, deputy, channel, dates, due state, 重点督办 — sorted newest first or
//! by deadline, keyset-paginated; counts by due state; the overdue summary per unit and township; and
//! the dates of each step for the Excel export.

pub mod choices;
#[macro_use]
mod filter;
mod list;
pub mod search;
mod summary;
mod tallied;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use liaison_domain::Scope;

use crate::opinion::tally::{TALLY_SUMS, TallyScope, tally_from};
use crate::opinion::{Opinion, Queue};
use crate::page::TimeCursor;
use crate::{Result, Store};
use filter::{Arg, Built};
use tallied::{tally_args, tally_counts};

pub(crate) use filter::open_sql;
pub use filter::{Due, QueueFilter, Sort};
pub use summary::OverdueSummary;

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
    /// Items matching the filter as given, whatever their stage ([`Store::queue_counts`] only).
    pub total: i64,
    /// `open`, `overdue`, `soon` and `key` come from the counters (`opinion::tally`): exact, never
    /// capped at [`COUNT_CAP`]. `dup` is always counted (capped).
    pub exact: bool,
    /// `total` is exact (the counters answer for the view), not capped.
    pub total_exact: bool,
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

/// The counts of a queue from the columns of [`Store::run_counts`], in [`Store::count_parts`]' order.
fn counts_of(counts: &[i64]) -> Counts {
    let at = |i: usize| counts.get(i).copied().unwrap_or(0);
    Counts {
        open: at(0),
        overdue: at(1),
        soon: at(2),
        key: at(3),
        dup: at(4),
        ..Counts::default()
    }
}

/// Counts stop here.
pub const COUNT_CAP: i64 = 1000;

impl Store {
    /// One page of a queue.
    pub async fn queue(
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
        let mut rows = with_pool!(&self.read, p => {
            bind_args!(sqlx::query_as::<_, Opinion>(sqlx::AssertSqlSafe(sql)), &b.args).fetch_all(p).await?
        });
        // a unit's queue (and its export) shows the words masked where the citizen did not allow the
        // unit their contact (`access::may_read_contact`)
        if matches!(queue, Queue::Unit(_)) && rows.iter().any(|o| !o.share_contact) {
            let public = self.public_phones().await?;
            for o in rows.iter_mut().filter(|o| !o.share_contact) {
                let r = o.redactor(public.clone());
                o.redact(&r);
            }
        }
        Ok(rows)
    }

    /// Open items of a queue by due state, 重点督办 and (region queues) 疑似重复; the filter's own due
    /// state and stages are ignored. One statement. A region queue whose filter names at most a region
    /// and a station reads the counters (`opinion::tally`: exact, overdue and due-soon as the deadline
    /// sweep marked them); any other view counts items, each count stopping at [`COUNT_CAP`] (shown as
    /// "1000+"), so a province-wide queue counts as fast as a township's.
    /// The same statement counts the items the filter matches as given ([`Counts::total`]).
    pub async fn queue_counts(&self, scope: &Scope, queue: Queue, f: &QueueFilter) -> Result<Counts> {
        if matches!(queue, Queue::Region)
            && let Some(t) = TallyScope::for_region_queue(scope, f)?
        {
            return self.counts_from_tally(scope, f, &t).await;
        }
        let mut b = Built::default();
        let now = Utc::now();
        let mut parts = self.count_parts(&mut b, scope, queue, f, now)?;
        let from = b.conds.len();
        self.queue_where(&mut b, scope, queue, f, now)?;
        b.args.push(Arg::I(COUNT_CAP));
        parts.push(format!(
            "(SELECT COUNT(*) FROM (SELECT 1 FROM opinion o WHERE {} LIMIT ${}) t)",
            if b.conds.len() == from {
                "1 = 1".to_owned()
            } else {
                b.since(from)
            },
            b.args.len()
        ));
        let n = parts.len() - 1;
        let counts = self.run_counts(parts, &b).await?;
        Ok(Counts {
            total: counts.get(n).copied().unwrap_or(0),
            ..counts_of(counts.get(..n).unwrap_or_default())
        })
    }

    /// A home page's tallies of a queue: [`Store::queue_counts`] with no filter (a region queue's from
    /// the counters, without 疑似重复) and, in the same statement, the items received since `since`
    /// (open or not; capped).
    pub async fn queue_tally(
        &self,
        scope: &Scope,
        queue: Queue,
        since: DateTime<Utc>,
    ) -> Result<(Counts, i64)> {
        let mut b = Built::default();
        let f = QueueFilter::default();
        if matches!(queue, Queue::Region)
            && let Some(t) = TallyScope::for_region_queue(scope, &f)?
        {
            b.args.extend(tally_args(&t));
            let received = QueueFilter {
                from: Some(since),
                ..QueueFilter::default()
            };
            let part = self.capped(&mut b, scope, queue, &received, false)?;
            let sql = format!("SELECT {TALLY_SUMS}, {part} {}", tally_from(&t, 0));
            let n = self.run_sums(sql, &b, 6).await?;
            let counts = Counts {
                exact: true,
                ..tally_counts(&n)
            };
            return Ok((counts, n.get(5).copied().unwrap_or(0)));
        }
        let mut parts = self.count_parts(&mut b, scope, queue, &f, Utc::now())?;
        let received = QueueFilter {
            from: Some(since),
            ..f
        };
        let from = b.conds.len();
        self.queue_where(&mut b, scope, queue, &received, Utc::now())?;
        b.args.push(Arg::I(COUNT_CAP));
        parts.push(format!(
            "(SELECT COUNT(*) FROM (SELECT 1 FROM opinion o WHERE {} LIMIT ${}) t)",
            b.since(from),
            b.args.len()
        ));
        let n = parts.len() - 1;
        let counts = self.run_counts(parts, &b).await?;
        let received = counts.get(n).copied().unwrap_or(0);
        Ok((counts_of(counts.get(..n).unwrap_or_default()), received))
    }

    /// The capped count sub-queries of [`Store::queue_counts`], their arguments pushed to `b`.
    fn count_parts(
        &self,
        b: &mut Built,
        scope: &Scope,
        queue: Queue,
        f: &QueueFilter,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>> {
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
            self.queue_where(b, scope, queue, &part, now)?;
            b.fixed(open_sql("o"));
            b.args.push(Arg::I(COUNT_CAP));
            parts.push(format!(
                "(SELECT COUNT(*) FROM (SELECT 1 FROM opinion o WHERE {} LIMIT ${}) t)",
                b.since(from),
                b.args.len()
            ));
        }
        Ok(parts)
    }

    /// One capped count of the items of `queue` matching `f` (open ones only if `open`), as a scalar
    /// sub-query whose arguments are pushed to `b`.
    fn capped(
        &self,
        b: &mut Built,
        scope: &Scope,
        queue: Queue,
        f: &QueueFilter,
        open: bool,
    ) -> Result<String> {
        let from = b.conds.len();
        self.queue_where(b, scope, queue, f, Utc::now())?;
        if open {
            b.fixed(open_sql("o"));
        }
        b.args.push(Arg::I(COUNT_CAP));
        let cond = if b.conds.len() == from {
            "1 = 1".to_owned()
        } else {
            b.since(from)
        };
        Ok(format!(
            "(SELECT COUNT(*) FROM (SELECT 1 FROM opinion o WHERE {cond} LIMIT ${}) c)",
            b.args.len()
        ))
    }

    /// Runs a built statement of one row of `n` integer columns.
    async fn run_sums(&self, sql: String, b: &Built, n: usize) -> Result<Vec<i64>> {
        Ok(with_pool!(&self.read, p => {
            let row = bind_args!(sqlx::query(sqlx::AssertSqlSafe(sql)), &b.args).fetch_one(p).await?;
            (0..n).map(|i| sqlx::Row::try_get::<i64, _>(&row, i)).collect::<std::result::Result<_, _>>()?
        }))
    }

    async fn run_counts(&self, parts: Vec<String>, b: &Built) -> Result<Vec<i64>> {
        let sql = format!("SELECT {}", parts.join(", "));
        Ok(with_pool!(&self.read, p => {
            let row = bind_args!(sqlx::query(sqlx::AssertSqlSafe(sql)), &b.args).fetch_one(p).await?;
            (0..parts.len()).map(|i| sqlx::Row::try_get::<i64, _>(&row, i)).collect::<std::result::Result<_, _>>()?
        }))
    }

    /// The words given with each item's latest rating (the citizen's comment, or the phone follow-up's
    /// record), unmasked: the caller masks them as it shows them.
    pub async fn rating_comments(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        // ids are integers from the caller's own query
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT opinion_id, note FROM opinion_event WHERE action = 'rate' AND opinion_id IN ({}) ORDER BY opinion_id, seq",
            list.join(",")
        );
        let rows: Vec<(i64, String)> = with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?
        });
        // the last rating of each item wins
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
