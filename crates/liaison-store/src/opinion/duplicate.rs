//! 疑似重复: possible duplicates, found after intake by a background pass so the intake writer does no
//! more than write `similar_checked = FALSE`. Each minute (`serve`'s sweep, `liaison sweep`) the pass
//! takes up to [`PASS_MAX`] unchecked items through their partial index, ranks the earlier open items
//! of the same category and the same region or station — within the item's township, so a flag never
//! points at an item of another township — with the similar-items rules (stored keywords, threshold
//! 0.4, 90 days, 300 candidates), and marks each checked with `similar_to` = the best match (equal
//! scores: the earliest). It keeps no
//! state besides those two columns, so it is idempotent and a second instance running it at the same
//! time only repeats the same result. A flag counts while both items are open (merging or closing
//! either ends it); readers also require the caller to see the item it points at.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use liaison_domain::opinion::duplicate;
use liaison_domain::opinion::{Stage, show_receipt};
use liaison_domain::{RegionCode, Scope};

use crate::opinion::queue::open_sql;
use crate::opinion::tools::{SIMILAR_CANDIDATES, SIMILAR_DAYS};
use crate::{Result, Store, StoreError};
use liaison_domain::opinion::access::{is_staff as is_opinion_staff, station_only};

/// Items checked per pass at most.
pub const PASS_MAX: i64 = 500;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DuplicatePass {
    pub checked: u64,
    pub flagged: u64,
}

/// A flag the caller may follow: item `id` resembles item `similar_to` (its receipt as shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateFlag {
    pub id: i64,
    pub similar_to: i64,
    pub receipt: String,
}

/// An unchecked item: (id, region, station, category, stored keywords, submitted at).
type Pending = (i64, String, Option<i64>, String, String, DateTime<Utc>);

impl Store {
    /// One pass: checks up to [`PASS_MAX`] unchecked items, oldest first, and flags those that
    /// resemble an earlier open item. See the module notes.
    pub async fn flag_duplicates(&self) -> Result<DuplicatePass> {
        let pending: Vec<Pending> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT id, region_code, station_id, category, terms, submitted_at FROM opinion \
                 WHERE similar_checked = FALSE ORDER BY id LIMIT $1",
            )
            .bind(PASS_MAX).fetch_all(p).await?
        });
        let mut found: Vec<(i64, Option<i64>)> = Vec::with_capacity(pending.len());
        for (id, region, station, category, terms, at) in &pending {
            let mine = duplicate::stored_terms(terms);
            if mine.is_empty() {
                found.push((*id, None));
                continue;
            }
            let since = *at - Duration::days(SIMILAR_DAYS);
            let rows = self
                .earlier_candidates(*id, region, *station, category, since)
                .await?;
            let best = duplicate::best_match(&mine, rows.iter().map(|(i, t)| (*i, t.as_str())));
            found.push((*id, best.map(|(to, _)| to)));
        }
        let mut out = DuplicatePass::default();
        if found.is_empty() {
            return Ok(out);
        }
        // the guard on the flag makes a second writer of the same items a no-op
        let mut tx = self.begin().await?;
        for (id, to) in &found {
            let n = with_tx!(&mut tx, c => {
                sqlx::query("UPDATE opinion SET similar_checked = TRUE, similar_to = $1 WHERE id = $2 AND similar_checked = FALSE")
                    .bind(to).bind(id).execute(&mut *c).await?.rows_affected()
            });
            out.checked += n;
            if n > 0 && to.is_some() {
                out.flagged += 1;
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The items before `id` that it may duplicate, newest first, at most [`SIMILAR_CANDIDATES`]: open,
    /// same category, since `since`, at the same region or the same station inside the item's
    /// township. Two reads, each walking an index in id order and stopping after a page (one query
    /// with `region OR station` sorts every match first: 40 ms for a township with 20,000 open items
    /// of one category), merged here.
    async fn earlier_candidates(
        &self,
        id: i64,
        region: &str,
        station: Option<i64>,
        category: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<(i64, String)>> {
        // stage names come from the fixed enum, never from input
        let open: Vec<String> = Stage::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        let open = open.join(", ");
        let sql = format!(
            "SELECT o.id, o.terms FROM opinion o WHERE o.region_code = $1 AND o.category = $2 \
             AND o.stage IN ({open}) AND o.id < $3 AND o.submitted_at >= $4 ORDER BY o.id DESC LIMIT $5"
        );
        let mut rows: Vec<(i64, String)> = with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(region).bind(category).bind(id).bind(since).bind(SIMILAR_CANDIDATES)
                .fetch_all(p).await?
        });
        if let Some(station) = station {
            let code = RegionCode::parse(region).map_err(|_| StoreError::Corrupt(region.to_owned()))?;
            let (lo, hi) = duplicate::search_region(&code).subtree_range();
            // the township range is checked on the rows (written so no index serves it): the station's
            // own index walks in id order and stops after a page
            let sql = format!(
                "SELECT o.id, o.terms FROM opinion o WHERE o.station_id = $1 AND o.category = $2 \
                 AND o.stage IN ({open}) AND o.id < $3 AND o.submitted_at >= $4 \
                 AND (o.region_code || '') BETWEEN $5 AND $6 ORDER BY o.id DESC LIMIT $7"
            );
            let more: Vec<(i64, String)> = with_pool!(&self.read, p => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(station).bind(category).bind(id).bind(since).bind(&lo).bind(&hi).bind(SIMILAR_CANDIDATES)
                    .fetch_all(p).await?
            });
            rows.extend(more);
            rows.sort_by_key(|r| std::cmp::Reverse(r.0));
            rows.dedup_by_key(|r| r.0);
            rows.truncate(SIMILAR_CANDIDATES as usize);
        }
        Ok(rows)
    }

    /// The flags among `ids` (items the caller already reads) that count for the caller: opinion
    /// staff only, both items open, the item it resembles inside the caller's region (and, for a
    /// station manager, at their station).
    pub async fn duplicate_flags(&self, scope: &Scope, ids: &[i64]) -> Result<HashMap<i64, DuplicateFlag>> {
        if ids.is_empty() || !is_opinion_staff(scope) {
            return Ok(HashMap::new());
        }
        let (lo, hi) = scope.range();
        let station = if station_only(scope) {
            scope.station_id.ok_or(StoreError::Forbidden)?
        } else {
            0
        };
        // ids are integers from the caller's own query
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT o.id, t.id, t.receipt FROM opinion o JOIN opinion t ON t.id = o.similar_to \
             WHERE o.id IN ({}) AND {} AND {} \
             AND o.region_code BETWEEN $1 AND $2 AND t.region_code BETWEEN $1 AND $2 \
             AND ($3 = 0 OR (o.station_id = $3 AND t.station_id = $3))",
            list.join(","),
            open_sql("o"),
            open_sql("t")
        );
        let rows: Vec<(i64, i64, String)> = with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(&lo).bind(&hi).bind(station).fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, to, receipt)| {
                (
                    id,
                    DuplicateFlag {
                        id,
                        similar_to: to,
                        receipt: show_receipt(&receipt),
                    },
                )
            })
            .collect())
    }
}
