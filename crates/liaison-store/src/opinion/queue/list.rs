//! A deputy's, a unit's or a region's items in one stage set, newest first (the bulk page's rows).

use liaison_domain::Scope;
use liaison_domain::opinion::{Stage, access};

use crate::opinion::{Opinion, Queue};
use crate::{Result, Store, StoreError};

impl Store {
    /// A staff, deputy or unit queue, newest first, keyset by id. `stages` empty = all.
    pub async fn opinion_queue(
        &self,
        scope: &Scope,
        queue: Queue,
        stages: &[Stage],
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Opinion>> {
        let (lo, hi) = scope.range();
        let stage_list: Vec<&str> = if stages.is_empty() {
            Stage::ALL.iter().map(|s| s.as_str()).collect()
        } else {
            stages.iter().map(|s| s.as_str()).collect()
        };
        let before = before.unwrap_or(i64::MAX);
        let stage_sql = stage_list
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ");
        // stage names come from the fixed enum above, never from input
        let rows = match queue {
            Queue::Deputy(person) => {
                if scope.person_id != Some(person) {
                    return Err(StoreError::Forbidden);
                }
                let sql = format!(
                    "{} WHERE o.person_id = $1 AND o.stage IN ({stage_sql}) AND o.id < $2 ORDER BY o.id DESC LIMIT $3",
                    opinion_select!()
                );
                with_pool!(&self.read, p => {
                    sqlx::query_as::<_, Opinion>(sqlx::AssertSqlSafe(sql)).bind(person).bind(before).bind(limit).fetch_all(p).await?
                })
            }
            Queue::Unit(unit) => {
                if scope.unit_id != Some(unit) {
                    return Err(StoreError::Forbidden);
                }
                let sql = format!(
                    "{} WHERE o.id IN (SELECT opinion_id FROM opinion_unit WHERE unit_id = $1) AND o.stage IN ({stage_sql}) \
                     AND o.id < $2 ORDER BY o.id DESC LIMIT $3",
                    opinion_select!()
                );
                with_pool!(&self.read, p => {
                    sqlx::query_as::<_, Opinion>(sqlx::AssertSqlSafe(sql)).bind(unit).bind(before).bind(limit).fetch_all(p).await?
                })
            }
            Queue::Region => {
                if !access::is_staff(scope) {
                    return Err(StoreError::Forbidden);
                }
                let station = if access::station_only(scope) {
                    scope.station_id.ok_or(StoreError::Forbidden)?
                } else {
                    0
                };
                let sql = format!(
                    "{} WHERE o.region_code BETWEEN $1 AND $2 AND ($3 = 0 OR o.station_id = $3) AND o.stage IN ({stage_sql}) \
                     AND o.id < $4 ORDER BY o.id DESC LIMIT $5",
                    opinion_select!()
                );
                with_pool!(&self.read, p => {
                    sqlx::query_as::<_, Opinion>(sqlx::AssertSqlSafe(sql)).bind(&lo).bind(&hi).bind(station).bind(before).bind(limit).fetch_all(p).await?
                })
            }
        };
        Ok(rows)
    }
}
