//! The overdue summary of a county or finer region: overdue open items per lead unit and per township,
//! counted in one pass and reused for half a minute.

use chrono::{DateTime, Utc};
use liaison_domain::opinion::access::is_staff as is_opinion_staff;
use liaison_domain::{RegionCode, RegionLevel, Scope};

use crate::{Result, Store, StoreError};

/// Overdue counts per lead unit and per township: (name, count), most first.
#[derive(Debug, Clone)]
pub struct OverdueSummary {
    pub by_unit: Vec<(String, i64)>,
    pub by_township: Vec<(String, i64)>,
    /// When it was counted (it is reused for [`SUMMARY_FOR`]).
    pub at: DateTime<Utc>,
}

/// How long an overdue summary is reused: it groups every overdue item of a county (thousands of
/// index entries, ≈ 8 ms at 5 million items), and a half-minute-old tally serves a supervisor as well.
pub const SUMMARY_FOR: std::time::Duration = std::time::Duration::from_secs(30);

/// Overdue summaries by region code, each kept for [`SUMMARY_FOR`].
pub(crate) type SummaryCache = crate::cache::Kept<OverdueSummary>;

impl Store {
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
