//! Synthetic suggestions for the benchmark (`liaison seed-suggestions`): a province's year — one
//! meeting per county and one for the province, `n` items spread over them, every stage, classes and
//! ratings, due times past and future. Made by the database itself (a recursive CTE on SQLite,
//! `generate_series` on PostgreSQL). No events: the lists and the board read only the item rows.
//! Never used by the product.

use chrono::{Duration, Utc};
use liaison_domain::RegionCode;

use crate::{Backend, Result, Store};

impl Store {
    /// Adds a meeting per county of `region` (and one for `region` itself) where there is none, then
    /// `n` items over them; returns how many items there are now. Stage by `i % 10`: 0 submitted,
    /// 1 registered, 2–4 assigned, 5 replied, 6–9 closed.
    pub async fn generate_suggestions(&self, region: &RegionCode, n: i64) -> Result<i64> {
        let (lo, hi) = region.subtree_range();
        let now = Utc::now();
        let year = chrono::Datelike::year(&liaison_domain::time::today());
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query(
                "INSERT INTO congress_meeting (region_code, name, year, min_cosigners, answer_within, return_within, active, created_at) \
                 SELECT r.code, r.name || '第十八届人民代表大会第三次会议', $3, 10, '3mo', '5wd', TRUE, $4 FROM region r \
                 WHERE (r.level = 'county' AND r.code BETWEEN $1 AND $2 OR r.code = $1) \
                 AND NOT EXISTS (SELECT 1 FROM congress_meeting g WHERE g.region_code = r.code)",
            )
            .bind(&lo).bind(&hi).bind(year).bind(now).execute(&mut *c).await?;
        });
        for (table, sql) in [
            (
                "gen_meeting",
                "SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, region_code FROM congress_meeting WHERE region_code BETWEEN $1 AND $2",
            ),
            (
                "gen_person",
                "SELECT row_number() OVER (ORDER BY person_id) - 1 AS k, person_id FROM (SELECT DISTINCT person_id FROM mandate WHERE constituency_region BETWEEN $1 AND $2) p",
            ),
            (
                "gen_unit",
                "SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM handling_unit WHERE region_code BETWEEN $1 AND $2",
            ),
        ] {
            with_tx!(&mut tx, c => {
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP TABLE IF EXISTS {table}"))).execute(&mut *c).await?;
            });
            with_tx!(&mut tx, c => {
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE TEMP TABLE {table} AS {sql}")))
                    .bind(&lo).bind(&hi).execute(&mut *c).await?;
            });
        }
        let (start,): (i64,) = with_tx!(&mut tx, c => {
            sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM suggestion").fetch_one(&mut *c).await?
        });
        let (from, to) = (start + 1, start + n);
        // stage, class and rating by i % 10; due times from 60 days ago to 30 days ahead
        let columns = "INSERT INTO suggestion (meeting_id, region_code, number, kind, period, proposer_id, title, body, category, \
             min_cosigners, stage, lead_unit_id, reply_class, reply_text, satisfaction, key_item, event_count, \
             due_at, submitted_at, registered_at, assigned_at, replied_at, closed_at, created_at, updated_at)";
        let stage = "CASE i % 10 WHEN 0 THEN 'submitted' WHEN 1 THEN 'registered' WHEN 2 THEN 'assigned' WHEN 3 THEN 'assigned' \
             WHEN 4 THEN 'assigned' WHEN 5 THEN 'replied' ELSE 'closed' END";
        let rest = "CASE WHEN i % 10 >= 2 THEN u.id END, CASE WHEN i % 10 >= 5 THEN CASE i % 3 WHEN 0 THEN 'A' WHEN 1 THEN 'B' ELSE 'C' END END, \
             CASE WHEN i % 10 >= 5 THEN '经研究，已列入计划办理。' ELSE '' END, \
             CASE WHEN i % 10 >= 6 THEN CASE WHEN i % 7 = 0 THEN 'basic' ELSE 'satisfied' END END, i % 499 = 0, 1";
        let sql = match self.backend() {
            Backend::Sqlite => format!(
                "WITH RECURSIVE seq(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM seq WHERE i < $2), \
                 mn AS (SELECT COUNT(*) AS n FROM gen_meeting), pn AS (SELECT COUNT(*) AS n FROM gen_person), \
                 un AS (SELECT COUNT(*) AS n FROM gen_unit), \
                 c AS (SELECT row_number() OVER (ORDER BY code) - 1 AS k, code FROM category), cn AS (SELECT COUNT(*) AS n FROM c) \
                 {columns} SELECT g.id, g.region_code, i, CASE WHEN i % 20 = 0 THEN 'motion' ELSE 'suggestion' END, \
                   CASE WHEN i % 3 = 0 THEN 'recess' ELSE 'meeting' END, p.person_id, '关于第' || i || '项民生问题的建议', \
                   '生成的代表建议第' || i || '件：存在的问题、原因分析和具体建议。', c.code, 10, {stage}, {rest}, \
                   CASE WHEN i % 10 BETWEEN 2 AND 4 THEN strftime('%Y-%m-%dT%H:%M:%S', $3, '+' || (i % 129600) || ' minutes') || '.000000000+00:00' END, \
                   $4, $4, $4, $4, $4, $4, $4 \
                 FROM seq JOIN mn JOIN pn JOIN un JOIN cn JOIN gen_meeting g ON g.k = seq.i % mn.n \
                 JOIN gen_person p ON p.k = seq.i % pn.n JOIN gen_unit u ON u.k = seq.i % un.n JOIN c ON c.k = seq.i % cn.n"
            ),
            Backend::Postgres => format!(
                "WITH mn AS (SELECT COUNT(*) AS n FROM gen_meeting), pn AS (SELECT COUNT(*) AS n FROM gen_person), \
                 un AS (SELECT COUNT(*) AS n FROM gen_unit), \
                 c AS (SELECT row_number() OVER (ORDER BY code) - 1 AS k, code FROM category), cn AS (SELECT COUNT(*) AS n FROM c) \
                 {columns} SELECT g.id, g.region_code, i, CASE WHEN i % 20 = 0 THEN 'motion' ELSE 'suggestion' END, \
                   CASE WHEN i % 3 = 0 THEN 'recess' ELSE 'meeting' END, p.person_id, '关于第' || i || '项民生问题的建议', \
                   '生成的代表建议第' || i || '件：存在的问题、原因分析和具体建议。', c.code, 10, {stage}, {rest}, \
                   CASE WHEN i % 10 BETWEEN 2 AND 4 THEN $3::timestamptz + (i % 129600) * interval '1 minute' END, \
                   $4, $4, $4, $4, $4, $4, $4 \
                 FROM generate_series($1::bigint, $2::bigint) AS s(i) CROSS JOIN mn CROSS JOIN pn CROSS JOIN un CROSS JOIN cn \
                 JOIN gen_meeting g ON g.k = s.i % mn.n JOIN gen_person p ON p.k = s.i % pn.n \
                 JOIN gen_unit u ON u.k = s.i % un.n JOIN c ON c.k = s.i % cn.n"
            ),
        };
        let due_base = now - Duration::days(60);
        with_tx!(&mut tx, c => {
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from).bind(to).bind(due_base).bind(now).execute(&mut *c).await?;
        });
        tx.commit().await?;
        let (count,): (i64,) = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT COUNT(*) FROM suggestion").fetch_one(p).await?
        });
        Ok(count)
    }
}
