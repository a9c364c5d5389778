//! The overdue summary of a county or finer region: overdue open items per lead unit and per township,
//! summed from the counters (`opinion::tally`), so it costs the region's counter keys, not its items.

use chrono::{DateTime, Utc};
use liaison_domain::{RegionCode, RegionLevel, Scope};

use crate::opinion::queue::QueueFilter;
use crate::opinion::tally::TallyScope;
use crate::{Result, Store};

/// Overdue counts per lead unit and per township: (name, count), most first.
#[derive(Debug, Clone)]
pub struct OverdueSummary {
    pub by_unit: Vec<(String, i64)>,
    pub by_township: Vec<(String, i64)>,
    /// When it was counted.
    pub at: DateTime<Utc>,
}

impl Store {
    /// Overdue open items in a county (or finer) within the caller's region (a station manager: their
    /// station's), per lead unit and per township: (name, count), most first. None above county level,
    /// where the list would be longer than anyone reads: the caller narrows to a county first. Overdue
    /// as the deadline sweep marked it (see `opinion::tally`): up to a minute behind the deadlines.
    /// Counted afresh each time (a sum over the county's counter keys; it was kept 30 s when it
    /// grouped every overdue item).
    pub async fn overdue_summary(
        &self,
        scope: &Scope,
        region: Option<&RegionCode>,
    ) -> Result<Option<OverdueSummary>> {
        let f = QueueFilter {
            region: region.cloned(),
            ..QueueFilter::default()
        };
        let Some(t) = TallyScope::for_region_queue(scope, &f)? else {
            return Ok(None);
        };
        if scope
            .narrowed(region)
            .is_none_or(|r| r.level() < RegionLevel::County)
        {
            return Ok(None);
        }
        let now = Utc::now();
        let mut cond = "region_code >= $1 AND region_code <= $2".to_owned();
        for i in 0..t.stations.len() {
            cond.push_str(&format!(" AND station_id = ${}", i + 3));
        }
        let sql = format!(
            "SELECT substr(region_code, 1, 9), lead_unit_id, CAST(SUM(d) AS BIGINT) FROM ( \
             SELECT region_code, lead_unit_id, overdue_n AS d FROM opinion_tally WHERE {cond} AND overdue_n <> 0 \
             UNION ALL SELECT region_code, lead_unit_id, overdue_d FROM opinion_tally_delta WHERE {cond} AND overdue_d <> 0) t \
             GROUP BY substr(region_code, 1, 9), lead_unit_id HAVING SUM(d) <> 0"
        );
        let rows: Vec<(String, i64, i64)> = with_pool!(&self.read, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(&t.lo).bind(&t.hi);
            for s in &t.stations {
                q = q.bind(*s);
            }
            q.fetch_all(p).await?
        });
        let mut units: std::collections::BTreeMap<Option<i64>, i64> = Default::default();
        let mut towns: std::collections::BTreeMap<String, i64> = Default::default();
        for (town, unit, n) in rows {
            *units.entry((unit != 0).then_some(unit)).or_default() += n;
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
        Ok(Some(OverdueSummary {
            by_unit: ranked(by_unit),
            by_township: ranked(by_township),
            at: now,
        }))
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
    pub(crate) async fn region_names(
        &self,
        codes: &[String],
    ) -> Result<std::collections::HashMap<String, String>> {
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
}
