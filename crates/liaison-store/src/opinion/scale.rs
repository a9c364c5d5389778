//! Synthetic opinions for the benchmark (`liaison seed-opinions`): millions of items spread over the
//! townships of a region, every stage, deadlines past and future, a few key-supervision items. Made by
//! the database itself (a recursive CTE on SQLite, `generate_series` on PostgreSQL) in chunks, so five
//! million rows take minutes, not hours. No events or photos: the queues and the sweep read only the
//! item rows. Never used by the product.

use chrono::{Duration, Utc};
use liaison_domain::RegionCode;

use crate::{Backend, Result, Store};

const CHUNK: i64 = 250_000;

impl Store {
    /// Adds `n` synthetic items in `region`'s townships; returns how many items there are now.
    /// Stage by `i % 10`: 0–1 new, 2 accepted, 3–4 assigned, 5 replied, 6 answered, 7–8 closed,
    /// 9 published; open items are due from 20 days ago to 10 days ahead (about two thirds overdue,
    /// those overdue or due within a day already alerted, except one in 5,000, which the next sweep
    /// picks up).
    pub async fn generate_opinions(&self, region: &RegionCode, n: i64) -> Result<i64> {
        let (lo, hi) = region.subtree_range();
        let (start,): (i64,) = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM opinion").fetch_one(p).await?
        });
        let now = Utc::now();
        let base = now - Duration::days(30);
        let mut done = 0;
        while done < n {
            let (from, to) = (start + done + 1, start + (done + CHUNK).min(n));
            let mut tx = self.begin().await?;
            with_tx!(&mut tx, c => {
                sqlx::query("DROP TABLE IF EXISTS gen_region").execute(&mut *c).await?;
            });
            with_tx!(&mut tx, c => {
                sqlx::query(
                    "CREATE TEMP TABLE gen_region AS SELECT row_number() OVER (ORDER BY code) - 1 AS k, code \
                     FROM region WHERE level = 'township' AND code BETWEEN $1 AND $2",
                )
                .bind(&lo).bind(&hi).execute(&mut *c).await?;
            });
            let sql = match self.backend() {
                Backend::Sqlite => {
                    "WITH RECURSIVE seq(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM seq WHERE i < $2), \
                     t AS (SELECT COUNT(*) AS n FROM gen_region), \
                     c AS (SELECT row_number() OVER (ORDER BY code) - 1 AS k, code FROM category), \
                     cn AS (SELECT COUNT(*) AS n FROM c) \
                     INSERT INTO opinion (receipt, nonce, channel, region_code, category, description, stage, holder, \
                       event_count, submitted_at, updated_at, stage_at, due_at, alerted, key_supervision, supervisor, terms) \
                     SELECT printf('G%07d', i), 'gen-' || i, CASE WHEN i % 3 = 0 THEN 'deputy_code' ELSE 'station_code' END, \
                       r.code, c.code, '生成的群众意见第' || i || '条：道路破损，路灯不亮', \
                       CASE i % 10 WHEN 0 THEN 'submitted' WHEN 1 THEN 'submitted' WHEN 2 THEN 'accepted' WHEN 3 THEN 'assigned' \
                         WHEN 4 THEN 'assigned' WHEN 5 THEN 'replied' WHEN 6 THEN 'answered' WHEN 9 THEN 'published' ELSE 'closed' END, \
                       CASE i % 10 WHEN 3 THEN 'unit' WHEN 4 THEN 'unit' WHEN 6 THEN 'citizen' WHEN 9 THEN 'nobody' ELSE 'station' END, \
                       1, \
                       strftime('%Y-%m-%dT%H:%M:%S', $3, '+' || (i % 43200) || ' minutes') || '.000000000+00:00', \
                       strftime('%Y-%m-%dT%H:%M:%S', $3, '+' || (i % 43200) || ' minutes') || '.000000000+00:00', \
                       strftime('%Y-%m-%dT%H:%M:%S', $3, '+' || (i % 43200) || ' minutes') || '.000000000+00:00', \
                       CASE WHEN i % 10 IN (7, 8, 9) THEN NULL \
                         ELSE strftime('%Y-%m-%dT%H:%M:%S', $4, '+' || (i % 43200) || ' minutes') || '.000000000+00:00' END, \
                       CASE WHEN i % 10 IN (7, 8, 9) OR i % 5000 = 0 THEN 0 WHEN i % 43200 < 28800 THEN 2 WHEN i % 43200 < 30240 THEN 1 ELSE 0 END, \
                       i % 997 = 0, CASE WHEN i % 997 = 0 THEN '主任' ELSE '' END, '道路 破损 路灯' \
                     FROM seq JOIN t JOIN cn JOIN gen_region r ON r.k = seq.i % t.n JOIN c ON c.k = seq.i % cn.n"
                }
                Backend::Postgres => {
                    "WITH t AS (SELECT COUNT(*) AS n FROM gen_region), \
                     c AS (SELECT row_number() OVER (ORDER BY code) - 1 AS k, code FROM category), \
                     cn AS (SELECT COUNT(*) AS n FROM c) \
                     INSERT INTO opinion (receipt, nonce, channel, region_code, category, description, stage, holder, \
                       event_count, submitted_at, updated_at, stage_at, due_at, alerted, key_supervision, supervisor, terms) \
                     SELECT 'G' || lpad(i::text, 7, '0'), 'gen-' || i, CASE WHEN i % 3 = 0 THEN 'deputy_code' ELSE 'station_code' END, \
                       r.code, c.code, '生成的群众意见第' || i || '条：道路破损，路灯不亮', \
                       CASE i % 10 WHEN 0 THEN 'submitted' WHEN 1 THEN 'submitted' WHEN 2 THEN 'accepted' WHEN 3 THEN 'assigned' \
                         WHEN 4 THEN 'assigned' WHEN 5 THEN 'replied' WHEN 6 THEN 'answered' WHEN 9 THEN 'published' ELSE 'closed' END, \
                       CASE i % 10 WHEN 3 THEN 'unit' WHEN 4 THEN 'unit' WHEN 6 THEN 'citizen' WHEN 9 THEN 'nobody' ELSE 'station' END, \
                       1, $3::timestamptz + (i % 43200) * interval '1 minute', $3::timestamptz + (i % 43200) * interval '1 minute', \
                       $3::timestamptz + (i % 43200) * interval '1 minute', \
                       CASE WHEN i % 10 IN (7, 8, 9) THEN NULL ELSE $4::timestamptz + (i % 43200) * interval '1 minute' END, \
                       CASE WHEN i % 10 IN (7, 8, 9) OR i % 5000 = 0 THEN 0 WHEN i % 43200 < 28800 THEN 2 WHEN i % 43200 < 30240 THEN 1 ELSE 0 END, \
                       i % 997 = 0, CASE WHEN i % 997 = 0 THEN '主任' ELSE '' END, '道路 破损 路灯' \
                     FROM generate_series($1::bigint, $2::bigint) AS s(i) CROSS JOIN t CROSS JOIN cn \
                     JOIN gen_region r ON r.k = s.i % t.n JOIN c ON c.k = s.i % cn.n"
                }
            };
            // due times run from 20 days before now to 10 days after
            let due_base = now - Duration::days(20);
            with_tx!(&mut tx, c => {
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(from).bind(to).bind(base).bind(due_base).execute(&mut *c).await?;
            });
            tx.commit().await?;
            done = to - start;
        }
        // the triggers wrote a delta per row: count the counters once instead of folding millions
        self.recount_tally().await?;
        let (count,): (i64,) = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT COUNT(*) FROM opinion").fetch_one(p).await?
        });
        Ok(count)
    }
}
