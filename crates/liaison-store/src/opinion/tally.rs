//! 计数 (tallies): the region queue's counts kept per (village-level region, station, lead unit) in
//! `opinion_tally`, with the changes since the last compaction in `opinion_tally_delta` (rows the
//! triggers of migration 0022 append in the transaction that changes the item). A read sums both tables
//! over the caller's range in one statement, so its cost follows the number of counter keys in the
//! range, not the number of items; the counts are exact (no "1000+").
//!
//! Open and 重点督办 move with the step that changes them. Overdue and due-soon follow the item's
//! `alerted` mark, which the deadline sweep sets (every minute in `liaison serve`): they lag an item's
//! deadline by up to a minute plus the sweep's run. Compaction ([`Store::compact_tally`], every 10 s in
//! `liaison serve` and in `liaison sweep`) folds the deltas into the counters; [`Store::recount_tally`]
//! (`liaison recount`) rebuilds both from the items.

use liaison_domain::Scope;
use liaison_domain::opinion::access::{is_staff as is_opinion_staff, station_only};

use crate::opinion::queue::QueueFilter;
use crate::{Result, Store, StoreError, Tx};

/// Where a tally read looks: a region subtree (its code range) and, for a station manager or a
/// station filter, one station.
#[derive(Debug, Clone)]
pub(crate) struct TallyScope {
    pub lo: String,
    pub hi: String,
    pub stations: Vec<i64>,
}

/// The sums of one counter key (or of a range): every item, open ones, open 重点督办, open overdue and
/// open due soon (as the sweep marked them).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
pub struct TallyRow {
    pub region_code: String,
    /// 0: no station.
    pub station_id: i64,
    /// 0: not assigned.
    pub lead_unit_id: i64,
    pub all_n: i64,
    pub open_n: i64,
    pub key_n: i64,
    pub overdue_n: i64,
    pub soon_n: i64,
}

/// What a recount did: the counter keys written, and how many of them (or of the keys the counters
/// had) differed from the items before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recount {
    pub keys: usize,
    pub corrected: usize,
}

/// The counters of every key, straight from the items (migration 0022's backfill, the same text).
const RECOUNT: &str = "INSERT INTO opinion_tally (region_code, station_id, lead_unit_id, all_n, open_n, key_n, overdue_n, soon_n) \
     SELECT region_code, COALESCE(station_id, 0), COALESCE(lead_unit_id, 0), COUNT(*), \
     SUM(CASE WHEN stage NOT IN ('closed', 'declined', 'published', 'merged') THEN 1 ELSE 0 END), \
     SUM(CASE WHEN stage NOT IN ('closed', 'declined', 'published', 'merged') AND key_supervision THEN 1 ELSE 0 END), \
     SUM(CASE WHEN stage NOT IN ('closed', 'declined', 'published', 'merged') AND alerted = 2 THEN 1 ELSE 0 END), \
     SUM(CASE WHEN stage NOT IN ('closed', 'declined', 'published', 'merged') AND alerted = 1 THEN 1 ELSE 0 END) \
     FROM opinion GROUP BY region_code, COALESCE(station_id, 0), COALESCE(lead_unit_id, 0)";

/// Every key's counters with its pending deltas, keys that sum to nothing left out.
const ROWS: &str = "SELECT region_code, station_id, lead_unit_id, CAST(SUM(a) AS BIGINT) AS all_n, \
     CAST(SUM(o) AS BIGINT) AS open_n, CAST(SUM(k) AS BIGINT) AS key_n, CAST(SUM(d) AS BIGINT) AS overdue_n, \
     CAST(SUM(s) AS BIGINT) AS soon_n FROM ( \
     SELECT region_code, station_id, lead_unit_id, all_n AS a, open_n AS o, key_n AS k, overdue_n AS d, soon_n AS s FROM opinion_tally \
     UNION ALL SELECT region_code, station_id, lead_unit_id, all_d, open_d, key_d, overdue_d, soon_d FROM opinion_tally_delta) t \
     GROUP BY region_code, station_id, lead_unit_id \
     HAVING SUM(a) <> 0 OR SUM(o) <> 0 OR SUM(k) <> 0 OR SUM(d) <> 0 OR SUM(s) <> 0 \
     ORDER BY region_code, station_id, lead_unit_id";

/// `$1` the largest delta id folded.
const FOLD: &str = "INSERT INTO opinion_tally (region_code, station_id, lead_unit_id, all_n, open_n, key_n, overdue_n, soon_n) \
     SELECT region_code, station_id, lead_unit_id, CAST(SUM(all_d) AS BIGINT), CAST(SUM(open_d) AS BIGINT), \
     CAST(SUM(key_d) AS BIGINT), CAST(SUM(overdue_d) AS BIGINT), CAST(SUM(soon_d) AS BIGINT) \
     FROM opinion_tally_delta WHERE id <= $1 GROUP BY region_code, station_id, lead_unit_id \
     ON CONFLICT (region_code, station_id, lead_unit_id) DO UPDATE SET all_n = opinion_tally.all_n + excluded.all_n, \
     open_n = opinion_tally.open_n + excluded.open_n, key_n = opinion_tally.key_n + excluded.key_n, \
     overdue_n = opinion_tally.overdue_n + excluded.overdue_n, soon_n = opinion_tally.soon_n + excluded.soon_n";

/// `$1` as in [`FOLD`]: the keys just folded that no item is in any more.
const DROP_EMPTY: &str = "DELETE FROM opinion_tally WHERE all_n = 0 AND open_n = 0 AND key_n = 0 AND overdue_n = 0 \
     AND soon_n = 0 AND (region_code, station_id, lead_unit_id) IN \
     (SELECT region_code, station_id, lead_unit_id FROM opinion_tally_delta WHERE id <= $1)";

/// The `FROM` of a sum over a [`TallyScope`]: both tables as `t(a, o, k, d, s)` (all, open, key,
/// overdue, soon). `arg` numbers the scope's values after those already bound (`$arg+1`…), in the
/// order: the range, then the stations.
pub(crate) fn tally_from(t: &TallyScope, arg: usize) -> String {
    let mut cond = format!("region_code >= ${} AND region_code <= ${}", arg + 1, arg + 2);
    for i in 0..t.stations.len() {
        cond.push_str(&format!(" AND station_id = ${}", arg + 3 + i));
    }
    format!(
        "FROM (SELECT all_n AS a, open_n AS o, key_n AS k, overdue_n AS d, soon_n AS s FROM opinion_tally WHERE {cond} \
         UNION ALL SELECT all_d, open_d, key_d, overdue_d, soon_d FROM opinion_tally_delta WHERE {cond}) t"
    )
}

/// The select list of a sum over [`tally_from`]: all, open, overdue, soon, key.
pub(crate) const TALLY_SUMS: &str = "CAST(COALESCE(SUM(t.a), 0) AS BIGINT), CAST(COALESCE(SUM(t.o), 0) AS BIGINT), \
     CAST(COALESCE(SUM(t.d), 0) AS BIGINT), CAST(COALESCE(SUM(t.s), 0) AS BIGINT), CAST(COALESCE(SUM(t.k), 0) AS BIGINT)";

impl TallyScope {
    /// The region queue's scope for `f`, when the counters can answer for it: the filter sets nothing
    /// but the fields the counts ignore (stages, due state, 重点督办, 疑似重复, order), a region inside
    /// the caller's and a station. None: the caller counts the items (capped).
    pub(crate) fn for_region_queue(scope: &Scope, f: &QueueFilter) -> Result<Option<TallyScope>> {
        if !is_opinion_staff(scope) {
            return Err(StoreError::Forbidden);
        }
        let plain = f.category.is_none()
            && f.person.is_none()
            && f.channel.is_none()
            && f.from.is_none()
            && f.to.is_none()
            && f.receipt.is_none()
            && f.keyword.is_none()
            && f.unit.is_none()
            && f.phone_tail.is_none();
        let Some(r) = scope.narrowed(f.region.as_ref()).filter(|_| plain) else {
            return Ok(None);
        };
        let (lo, hi) = r.subtree_range();
        let mut stations = Vec::new();
        // the same narrowing as `queue_where` for `Queue::Region`
        if station_only(scope) {
            stations.push(scope.station_id.ok_or(StoreError::Forbidden)?);
        }
        stations.extend(f.station);
        Ok(Some(TallyScope { lo, hi, stations }))
    }
}

impl Store {
    /// Every counter key with its pending deltas (keys that sum to zero left out), ordered by key:
    /// what [`Store::recount_tally`] compares, and what tests compare with the items.
    pub async fn tally_rows(&self) -> Result<Vec<TallyRow>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, TallyRow>(ROWS).fetch_all(p).await?
        }))
    }

    /// Folds the deltas written so far into the counters and removes them, in one transaction; keys
    /// left without items are removed. Returns how many deltas were folded. Deltas committed while it
    /// runs wait for the next compaction (on PostgreSQL the transaction reads one snapshot, so a delta
    /// that commits between the fold and the delete is neither folded nor deleted).
    pub async fn compact_tally(&self) -> Result<u64> {
        let mut tx = self.begin().await?;
        one_snapshot(&mut tx).await?;
        let (max,): (Option<i64>,) = with_tx!(&mut tx, c => {
            sqlx::query_as("SELECT MAX(id) FROM opinion_tally_delta").fetch_one(&mut *c).await?
        });
        let Some(max) = max else {
            tx.commit().await?;
            return Ok(0);
        };
        let n = with_tx!(&mut tx, c => {
            sqlx::query(FOLD).bind(max).execute(&mut *c).await?;
            sqlx::query(DROP_EMPTY).bind(max).execute(&mut *c).await?;
            sqlx::query("DELETE FROM opinion_tally_delta WHERE id <= $1").bind(max).execute(&mut *c).await?.rows_affected()
        });
        tx.commit().await?;
        Ok(n)
    }

    /// Rebuilds the counters from the items in one transaction (both tables emptied, every key counted
    /// again): `liaison recount`, after a restore or if a count is ever doubted. Reports the keys written
    /// and how many keys the counters had wrong.
    pub async fn recount_tally(&self) -> Result<Recount> {
        let mut tx = self.begin().await?;
        one_snapshot(&mut tx).await?;
        let before: Vec<TallyRow> = with_tx!(&mut tx, c => {
            sqlx::query_as::<_, TallyRow>(ROWS).fetch_all(&mut *c).await?
        });
        let after: Vec<TallyRow> = with_tx!(&mut tx, c => {
            sqlx::query("DELETE FROM opinion_tally_delta").execute(&mut *c).await?;
            sqlx::query("DELETE FROM opinion_tally").execute(&mut *c).await?;
            sqlx::query(RECOUNT).execute(&mut *c).await?;
            sqlx::query_as::<_, TallyRow>(ROWS).fetch_all(&mut *c).await?
        });
        tx.commit().await?;
        // keys whose counts differ, or that only one side has
        let key = |r: &TallyRow| (r.region_code.clone(), r.station_id, r.lead_unit_id);
        let old: std::collections::BTreeMap<_, &TallyRow> = before.iter().map(|r| (key(r), r)).collect();
        let new: std::collections::BTreeSet<&TallyRow> = after.iter().collect();
        let mut corrected = before.iter().filter(|r| !new.contains(r)).count();
        corrected += after.iter().filter(|r| !old.contains_key(&key(r))).count();
        Ok(Recount {
            keys: after.len(),
            corrected,
        })
    }
}

/// PostgreSQL: the transaction reads one snapshot (REPEATABLE READ), so what it sums, folds and deletes
/// is the same set of committed rows; a concurrent compaction makes one of them fail (the next run
/// retries). SQLite's write transaction already sees nothing else commit.
async fn one_snapshot(tx: &mut Tx) -> Result<()> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}
