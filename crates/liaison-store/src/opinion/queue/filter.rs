//! A queue's filter and how it becomes SQL: the caller's queue and the filter's fields as conditions
//! with numbered arguments, shared by the page of items and the counts.

use chrono::{DateTime, Utc};
use liaison_domain::opinion::access::{is_staff as is_opinion_staff, station_only};
use liaison_domain::opinion::{Channel, Stage};
use liaison_domain::{RegionCode, RegionLevel, Scope, deadline};

use crate::opinion::Queue;
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
    /// Only items the duplicate pass flagged (疑似重复) whose look-alike is open and visible.
    pub dup: bool,
    pub sort: Sort,
    /// An exact receipt code (normalised by `parse_receipt`).
    pub receipt: Option<String>,
    /// A word or phrase of the description.
    pub keyword: Option<String>,
    /// A unit the item is assigned to (lead or co-unit).
    pub unit: Option<i64>,
    /// The last 4 digits of the citizen's phone (an audited search).
    pub phone_tail: Option<super::search::PhoneTail>,
}

/// A region queue over a province or a city (and not narrowed below it).
fn is_wide(scope: &Scope, queue: Queue, f: &QueueFilter) -> bool {
    matches!(queue, Queue::Region)
        && scope
            .narrowed(f.region.as_ref())
            .is_some_and(|r| r.level() < RegionLevel::County)
}

pub(crate) use crate::args::Arg;

/// Conditions and their arguments, numbered `$1…` in the order they are pushed.
#[derive(Default)]
pub(super) struct Built {
    pub(super) conds: Vec<String>,
    pub(super) args: Vec<Arg>,
}

impl Built {
    /// Adds a condition whose `?` stands for `a`.
    pub(super) fn push(&mut self, cond: &str, a: Arg) {
        self.args.push(a);
        self.conds
            .push(cond.replace('?', &format!("${}", self.args.len())));
    }

    /// Adds a condition without arguments.
    pub(super) fn fixed(&mut self, cond: String) {
        self.conds.push(cond);
    }

    /// The conditions added since `from`, joined with AND.
    pub(super) fn since(&self, from: usize) -> String {
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

impl Store {
    /// Adds the conditions of a queue and filter to `b` (arguments numbered after those already in it).
    pub(super) fn queue_where(
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
        if let Some(r) = &f.receipt {
            b.push("o.receipt = ?", Arg::S(r.clone()));
        }
        if let Some(k) = &f.keyword {
            let pattern = format!("%{}%", super::search::like_escape(k));
            b.push("o.description LIKE ? ESCAPE '\\'", Arg::S(pattern));
        }
        if let Some(u) = f.unit {
            b.push(
                "o.id IN (SELECT opinion_id FROM opinion_unit WHERE unit_id = ?)",
                Arg::I(u),
            );
        }
        if let Some(t) = &f.phone_tail {
            b.push("o.citizen_phone LIKE ?", Arg::S(format!("%{}", t.digits())));
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
