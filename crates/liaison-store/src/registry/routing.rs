//! The routing table: opinion category x region -> the default handling unit. A rule set on a county
//! applies to its townships and villages unless one of them has its own; the most specific rule wins.

use liaison_domain::audit::AuditAction;
use liaison_domain::{Permission, RegionCode, Scope};
use serde::Serialize;

use crate::{Actor, Result, Store, StoreError};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Category {
    pub code: String,
    pub label: String,
}

/// A rule in effect for a region: where it was set and the unit it names.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Route {
    pub category: String,
    pub region_code: String,
    pub region_name: String,
    pub unit_id: i64,
    pub unit_name: String,
}

impl Store {
    /// The active categories in their order (read on every queue and form page: kept for a minute).
    pub async fn categories(&self) -> Result<Vec<Category>> {
        let generation = match self.categories.fresh() {
            Ok(kept) => return Ok(kept),
            Err(generation) => generation,
        };
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Category>("SELECT code, label FROM category WHERE active = TRUE ORDER BY position, code")
                .fetch_all(p).await?
        });
        self.categories.put(generation, &rows);
        Ok(rows)
    }

    /// The rule in effect for each category at `region`: the one set on the nearest region of its lineage.
    pub async fn routes_for(&self, region: &RegionCode) -> Result<Vec<Route>> {
        let lineage: Vec<String> = region.lineage().into_iter().map(String::from).collect();
        let at = |i: usize| lineage.get(i).or(lineage.last()).cloned().unwrap_or_default();
        let mut rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Route>(
                "SELECT rr.category, rr.region_code, r.name AS region_name, rr.unit_id, u.name AS unit_name \
                 FROM routing_rule rr JOIN region r ON r.code = rr.region_code JOIN handling_unit u ON u.id = rr.unit_id \
                 WHERE rr.region_code IN ($1, $2, $3, $4, $5) ORDER BY rr.category, rr.region_code DESC",
            )
            .bind(at(0)).bind(at(1)).bind(at(2)).bind(at(3)).bind(at(4)).fetch_all(p).await?
        });
        // codes of a lineage sort by depth, so the first row per category is the most specific
        rows.dedup_by(|b, a| a.category == b.category);
        Ok(rows)
    }

    /// The default unit for an opinion of `category` arising at `region`, if any rule covers it.
    pub async fn default_unit(&self, region: &RegionCode, category: &str) -> Result<Option<Route>> {
        Ok(self
            .routes_for(region)
            .await?
            .into_iter()
            .find(|r| r.category == category))
    }

    /// Sets (or with `unit = None` clears) the rule for `category` at `region`. The unit must be one of
    /// the caller's subtree, and the region within it.
    pub async fn set_route(
        &self,
        scope: &Scope,
        actor: &Actor,
        region: &RegionCode,
        category: &str,
        unit: Option<i64>,
    ) -> Result<()> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        if !scope.covers(region) {
            return Err(StoreError::OutOfScope);
        }
        if !self.categories().await?.iter().any(|c| c.code == category) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.begin().await?;
        match unit {
            Some(unit) => {
                let (lo, hi) = scope.range();
                let ok: Option<(i64,)> = with_tx!(&mut tx, c => {
                    sqlx::query_as("SELECT id FROM handling_unit WHERE id = $1 AND region_code BETWEEN $2 AND $3")
                        .bind(unit).bind(&lo).bind(&hi).fetch_optional(&mut *c).await?
                });
                if ok.is_none() {
                    return Err(StoreError::OutOfScope);
                }
                with_tx!(&mut tx, c => {
                    sqlx::query(
                        "INSERT INTO routing_rule (region_code, category, unit_id) VALUES ($1, $2, $3) \
                         ON CONFLICT (region_code, category) DO UPDATE SET unit_id = excluded.unit_id",
                    )
                    .bind(region.as_str()).bind(category).bind(unit).execute(&mut *c).await?;
                });
            }
            None => {
                with_tx!(&mut tx, c => {
                    sqlx::query("DELETE FROM routing_rule WHERE region_code = $1 AND category = $2")
                        .bind(region.as_str()).bind(category).execute(&mut *c).await?;
                });
            }
        }
        let detail = serde_json::json!({ "category": category, "unit": unit }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::RoutingSet,
            &format!("routing:{category}"),
            Some(region),
            &detail,
        )
        .await?;
        tx.commit().await
    }
}
