//! A region's figures for its home page: per township (of a county) or per village (of a township),
//! items received this month and this year, closed this year, open and overdue now, and the ratings
//! given — counted in one grouped statement and kept for [`FIGURES_FOR`]. No personal data: counts only.

use chrono::{DateTime, Datelike, Utc};
use liaison_domain::opinion::Stage;
use liaison_domain::{Permission, RegionCode, RegionLevel, Scope, time};

use crate::opinion::queue::open_sql;
use crate::{Result, Store, StoreError};

/// How long a region's figures are reused: a grouped pass over every item of a county is worth
/// keeping, and a figure a minute old serves a weekly meeting as well as a fresh one.
pub const FIGURES_FOR: std::time::Duration = std::time::Duration::from_secs(60);

/// The stages an item is done in (closed, declined, published), as a SQL list.
fn done_sql() -> String {
    [Stage::Closed, Stage::Declined, Stage::Published]
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One row of the figures: a township or village (or the total).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigureRow {
    /// The region's full code ("" for the total).
    pub code: String,
    pub name: String,
    pub month_in: i64,
    pub year_in: i64,
    /// Received this year and closed, declined or published since.
    pub year_done: i64,
    pub open: i64,
    pub overdue: i64,
    /// Rated this year (of those received this year), and how many 满意 or 基本满意.
    pub rated: i64,
    pub content: i64,
}

impl FigureRow {
    fn add(&mut self, o: &FigureRow) {
        self.month_in += o.month_in;
        self.year_in += o.year_in;
        self.year_done += o.year_done;
        self.open += o.open;
        self.overdue += o.overdue;
        self.rated += o.rated;
        self.content += o.content;
    }

    /// 满意率: the share of ratings that were 满意 or 基本满意, in whole percent; None before any rating.
    pub fn content_percent(&self) -> Option<i64> {
        (self.rated > 0).then(|| (self.content * 100 + self.rated / 2) / self.rated)
    }
}

/// The figures of a county or township, one row per child region that has items, most received first.
#[derive(Debug, Clone)]
pub struct Figures {
    pub region: RegionCode,
    pub rows: Vec<FigureRow>,
    pub total: FigureRow,
    /// When they were counted (they are reused for [`FIGURES_FOR`]).
    pub at: DateTime<Utc>,
}

impl Store {
    /// The figures of the caller's region narrowed by `region`, for a county or finer. None above
    /// county level (exact counts over a province's millions of items cost seconds: the caller picks a
    /// county first).
    pub async fn region_figures(
        &self,
        scope: &Scope,
        region: Option<&RegionCode>,
    ) -> Result<Option<Figures>> {
        if !scope.can(Permission::ViewFigures) {
            return Err(StoreError::Forbidden);
        }
        let Some(r) = scope.narrowed(region) else {
            return Err(StoreError::OutOfScope);
        };
        if r.level() < RegionLevel::County {
            return Ok(None);
        }
        if let Some(kept) = self.figures.get(r.as_str()) {
            return Ok(Some(kept));
        }
        let now = Utc::now();
        let today = time::today();
        let month_start = today
            .with_day(1)
            .and_then(time::day_start)
            .ok_or(StoreError::Corrupt("date".into()))?;
        let year_start = today
            .with_day(1)
            .and_then(|d| d.with_month(1))
            .and_then(time::day_start)
            .ok_or(StoreError::Corrupt("date".into()))?;
        let (digits, child) = match r.level() {
            RegionLevel::County => (6, 9),
            RegionLevel::Township => (9, 12),
            _ => (12, 12),
        };
        // merged items follow their survivor: counting them would count one matter twice
        let sql = format!(
            "SELECT substr(o.region_code, 1, {child}), \
             SUM(CASE WHEN o.submitted_at >= $2 THEN 1 ELSE 0 END), \
             SUM(CASE WHEN o.submitted_at >= $3 THEN 1 ELSE 0 END), \
             SUM(CASE WHEN o.submitted_at >= $3 AND o.stage IN ({done}) THEN 1 ELSE 0 END), \
             SUM(CASE WHEN {open} THEN 1 ELSE 0 END), \
             SUM(CASE WHEN {open} AND o.due_at < $4 THEN 1 ELSE 0 END), \
             SUM(CASE WHEN o.submitted_at >= $3 AND o.rating IS NOT NULL THEN 1 ELSE 0 END), \
             SUM(CASE WHEN o.submitted_at >= $3 AND o.rating IN ('satisfied', 'basic') THEN 1 ELSE 0 END) \
             FROM opinion o WHERE substr(o.region_code, 1, {digits}) = $1 AND o.merged_into IS NULL \
             GROUP BY substr(o.region_code, 1, {child})",
            done = done_sql(),
            open = open_sql("o"),
        );
        type Tuple = (
            String,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        );
        let rows: Vec<Tuple> = with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(r.as_str()[..digits].to_owned())
                .bind(month_start)
                .bind(year_start)
                .bind(now)
                .fetch_all(p)
                .await?
        });
        let codes: Vec<String> = rows.iter().map(|t| format!("{:0<12}", t.0)).collect();
        let names = self.region_names(&codes).await?;
        let mut total = FigureRow {
            name: "合计".into(),
            ..Default::default()
        };
        let mut out: Vec<FigureRow> = rows
            .into_iter()
            .zip(codes)
            .map(|(t, code)| {
                let row = FigureRow {
                    name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
                    code,
                    month_in: t.1.unwrap_or(0),
                    year_in: t.2.unwrap_or(0),
                    year_done: t.3.unwrap_or(0),
                    open: t.4.unwrap_or(0),
                    overdue: t.5.unwrap_or(0),
                    rated: t.6.unwrap_or(0),
                    content: t.7.unwrap_or(0),
                };
                total.add(&row);
                row
            })
            .collect();
        out.sort_by(|a, b| b.year_in.cmp(&a.year_in).then_with(|| a.code.cmp(&b.code)));
        let figures = Figures {
            region: r.clone(),
            rows: out,
            total,
            at: now,
        };
        self.figures.put(r.as_str(), &figures);
        Ok(Some(figures))
    }
}

impl Store {
    /// What reached a deputy (person) since `since`: (received, of those closed, declined or
    /// published). For the deputy's own home page; merged items count once, at their survivor.
    pub async fn deputy_tally(&self, person_id: i64, since: DateTime<Utc>) -> Result<(i64, i64)> {
        let sql = format!(
            "SELECT COUNT(*), SUM(CASE WHEN stage IN ({}) THEN 1 ELSE 0 END) FROM opinion \
             WHERE person_id = $1 AND submitted_at >= $2 AND merged_into IS NULL",
            done_sql()
        );
        let row: (i64, Option<i64>) = with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id).bind(since).fetch_one(p).await?
        });
        Ok((row.0, row.1.unwrap_or(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::FigureRow;

    #[test]
    fn the_content_share_is_rounded_and_absent_before_any_rating() {
        let mut r = FigureRow::default();
        assert_eq!(r.content_percent(), None);
        r.rated = 3;
        r.content = 2;
        assert_eq!(r.content_percent(), Some(67));
        r.content = 3;
        assert_eq!(r.content_percent(), Some(100));
    }
}
