//! What an account answers for: a handling unit, a station, or (a deputy's account) a person. The
//! choices offered to the system administrator, and the check that each lies in the account's region.

use liaison_domain::{Permission, RegionCode, Scope};

use crate::{Result, Store, StoreError};

impl Store {
    /// Units and open stations an account of `scope`'s subtree can be bound to: (id, label). For the
    /// system administrator's account form (who otherwise does not see the registry).
    pub async fn binding_choices(&self, scope: &Scope) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>)> {
        if !scope.can(Permission::ManageAccounts) && !scope.can(Permission::ViewRegistry) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = scope.range();
        let units: Vec<(i64, String)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT u.id, u.name || '（' || r.name || '）' FROM handling_unit u JOIN region r ON r.code = u.region_code \
                 WHERE u.region_code BETWEEN $1 AND $2 AND u.active = TRUE ORDER BY u.region_code, u.name LIMIT 2000",
            )
            .bind(&lo).bind(&hi).fetch_all(p).await?
        });
        let stations: Vec<(i64, String)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT s.id, s.name || '（' || r.name || '）' FROM station s JOIN region r ON r.code = s.region_code \
                 WHERE s.region_code BETWEEN $1 AND $2 AND s.closed_on IS NULL ORDER BY s.region_code, s.name LIMIT 2000",
            )
            .bind(&lo).bind(&hi).fetch_all(p).await?
        });
        Ok((units, stations))
    }

    /// Deputies (persons in office) of `scope`'s subtree a deputy account can speak for: (id, label).
    pub async fn person_choices(&self, scope: &Scope) -> Result<Vec<(i64, String)>> {
        if !scope.can(Permission::ManageAccounts) && !scope.can(Permission::ViewRegistry) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = scope.range();
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT p.id, p.name || '（' || MIN(r.name) || '）' FROM person p \
                 JOIN mandate m ON m.person_id = p.id JOIN region r ON r.code = m.constituency_region \
                 WHERE m.constituency_region BETWEEN $1 AND $2 AND m.status = 'in_office' \
                 GROUP BY p.id, p.name ORDER BY p.name, p.id LIMIT 3000",
            )
            .bind(&lo).bind(&hi).fetch_all(p).await?
        }))
    }

    /// A unit or station an account is bound to must lie in the account's own region subtree.
    pub(crate) async fn check_binding(
        &self,
        region: &RegionCode,
        unit: Option<i64>,
        station: Option<i64>,
        person: Option<i64>,
    ) -> Result<()> {
        let (lo, hi) = region.subtree_range();
        if let Some(u) = unit {
            let ok: Option<(i64,)> = with_pool!(&self.read, p => {
                sqlx::query_as("SELECT id FROM handling_unit WHERE id = $1 AND region_code BETWEEN $2 AND $3")
                    .bind(u).bind(&lo).bind(&hi).fetch_optional(p).await?
            });
            if ok.is_none() {
                return Err(StoreError::Conflict("unit_binding"));
            }
        }
        if let Some(s) = station {
            let ok: Option<(i64,)> = with_pool!(&self.read, p => {
                sqlx::query_as("SELECT id FROM station WHERE id = $1 AND region_code BETWEEN $2 AND $3")
                    .bind(s).bind(&lo).bind(&hi).fetch_optional(p).await?
            });
            if ok.is_none() {
                return Err(StoreError::Conflict("station_binding"));
            }
        }
        if let Some(person) = person {
            // the deputy holds a mandate in office whose constituency lies in the account's region
            let ok: Option<(i64,)> = with_pool!(&self.read, p => {
                sqlx::query_as(
                    "SELECT person_id FROM mandate WHERE person_id = $1 AND status = 'in_office' \
                     AND constituency_region BETWEEN $2 AND $3 LIMIT 1",
                )
                .bind(person).bind(&lo).bind(&hi).fetch_optional(p).await?
            });
            if ok.is_none() {
                return Err(StoreError::Conflict("person_binding"));
            }
        }
        Ok(())
    }
}
