//! A region queue's counts from the counters (`opinion::tally`), with its capped 疑似重复 and, where the
//! counters do not answer for the view's own filter, its capped total, in one statement.

use liaison_domain::Scope;
use liaison_domain::opinion::Stage;

use super::filter::{Arg, Built};
use super::{Counts, Due, QueueFilter};
use crate::opinion::Queue;
use crate::opinion::tally::{TALLY_SUMS, TallyScope, tally_from};
use crate::{Result, Store};

/// The counts of [`TALLY_SUMS`]' first five columns: all, open, overdue, soon, key.
pub(super) fn tally_counts(n: &[i64]) -> Counts {
    let at = |i: usize| n.get(i).copied().unwrap_or(0);
    Counts {
        open: at(1),
        overdue: at(2),
        soon: at(3),
        key: at(4),
        ..Counts::default()
    }
}

/// The values [`tally_from`] binds: the range, then the stations.
pub(super) fn tally_args(t: &TallyScope) -> Vec<Arg> {
    let mut args = vec![Arg::S(t.lo.clone()), Arg::S(t.hi.clone())];
    args.extend(t.stations.iter().map(|s| Arg::I(*s)));
    args
}

impl Store {
    /// The counts of a region queue from the counters (see [`Store::queue_counts`]), with 疑似重复 and,
    /// where the counters do not answer for the view's own filter, its capped total in the same
    /// statement.
    pub(super) async fn counts_from_tally(
        &self,
        scope: &Scope,
        f: &QueueFilter,
        t: &TallyScope,
    ) -> Result<Counts> {
        let mut b = Built::default();
        b.args.extend(tally_args(t));
        let dup = QueueFilter {
            stages: vec![],
            due: Due::Any,
            key_only: false,
            dup: true,
            ..f.clone()
        };
        let mut parts = vec![self.capped(&mut b, scope, Queue::Region, &dup, true)?];
        // the view's total: the counters answer for all items, open ones and open 重点督办
        let plain = f.due == Due::Any && !f.dup;
        let open_stages = {
            let mut s: Vec<&str> = f.stages.iter().map(|s| s.as_str()).collect();
            s.sort_unstable();
            s.dedup();
            let mut open: Vec<&str> = Stage::ALL
                .iter()
                .filter(|s| s.is_open())
                .map(|s| s.as_str())
                .collect();
            open.sort_unstable();
            s == open
        };
        let total_at = match (plain, f.stages.is_empty(), open_stages, f.key_only) {
            (true, true, _, false) => Some(0),
            (true, _, true, false) => Some(1),
            (true, _, true, true) => Some(4),
            _ => None,
        };
        if total_at.is_none() {
            parts.push(self.capped(&mut b, scope, Queue::Region, f, false)?);
        }
        let sql = format!("SELECT {TALLY_SUMS}, {} {}", parts.join(", "), tally_from(t, 0));
        let n = self.run_sums(sql, &b, 5 + parts.len()).await?;
        let at = |i: usize| n.get(i).copied().unwrap_or(0);
        Ok(Counts {
            dup: at(5),
            total: total_at.map_or_else(|| at(6), at),
            exact: true,
            total_exact: total_at.is_some(),
            ..tally_counts(&n)
        })
    }
}
