//! What the topic analysis (议题分析) reads: the year's citizens' opinions (their stored keywords) and
//! suggestions (their titles) of a county or finer region, each capped, in two statements.

use chrono::{NaiveDate, Utc};
use liaison_domain::suggestion::access;
use liaison_domain::{RegionCode, RegionLevel, Scope};

use crate::{Result, Store, StoreError};

/// Most items of each source read for one analysis (a county's year is a few thousand).
pub const TOPIC_CAP: i64 = 20_000;

/// The year's items of a region: opinions as (category, keywords joined by spaces), suggestions as
/// (category, title).
pub struct TopicItems {
    pub opinions: Vec<(String, String)>,
    pub suggestions: Vec<(String, String)>,
}

impl Store {
    /// The items of `year` in `region` (a county or finer, inside the caller's), for the office.
    pub async fn topic_items(&self, scope: &Scope, region: &RegionCode, year: i32) -> Result<TopicItems> {
        if !access::is_staff(scope) {
            return Err(StoreError::Forbidden);
        }
        if !scope.covers(region) || region.level() < RegionLevel::County {
            return Err(StoreError::NotFound);
        }
        let day = |y: i32| {
            NaiveDate::from_ymd_opt(y, 1, 1)
                .and_then(liaison_domain::time::day_start)
                .unwrap_or_else(Utc::now)
        };
        let (from, to) = (day(year), day(year + 1));
        // the county's (or township's) prefix, which the level indexes serve newest first
        let digits = if region.level() == RegionLevel::County {
            6
        } else {
            9
        };
        let (lo, hi) = region.subtree_range();
        let sql = format!(
            "SELECT category, terms FROM opinion WHERE substr(region_code, 1, {digits}) = $1 \
             AND region_code BETWEEN $2 AND $3 AND submitted_at >= $4 AND submitted_at < $5 ORDER BY id DESC LIMIT $6"
        );
        let opinions = with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(&region.as_str()[..digits]).bind(&lo).bind(&hi).bind(from).bind(to).bind(TOPIC_CAP)
                .fetch_all(p).await?
        });
        let suggestions = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT category, title FROM suggestion WHERE region_code BETWEEN $1 AND $2 \
                 AND created_at >= $3 AND created_at < $4 AND stage <> 'draft' ORDER BY id DESC LIMIT $5",
            )
            .bind(&lo).bind(&hi).bind(from).bind(to).bind(TOPIC_CAP)
            .fetch_all(p).await?
        });
        Ok(TopicItems {
            opinions,
            suggestions,
        })
    }
}
