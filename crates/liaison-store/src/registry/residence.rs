//! Residence (驻站/进室): which deputies are attached to which stations.

use chrono::Utc;
use liaison_domain::audit::AuditAction;
use liaison_domain::{Permission, RegionCode, Scope};

use crate::registry::deputy::Deputy;
use crate::{Actor, Result, Store, StoreError, Tx};

impl Store {
    /// Makes a deputy resident at a station inside the caller's transaction (ids already checked in scope).
    pub(crate) async fn add_resident_in(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        station_id: i64,
        mandate_id: i64,
    ) -> Result<bool> {
        let inserted = with_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO station_deputy (station_id, mandate_id, since) VALUES ($1, $2, $3) \
                 ON CONFLICT (station_id, mandate_id) DO NOTHING",
            )
            .bind(station_id).bind(mandate_id).bind(Utc::now().date_naive()).execute(&mut *c).await?.rows_affected()
        });
        if inserted > 0 {
            let detail = format!("{{\"mandate\":{mandate_id}}}");
            self.audit(
                tx,
                actor,
                AuditAction::StationResidentAdd,
                &format!("station:{station_id}"),
                None,
                &detail,
            )
            .await?;
        }
        Ok(inserted > 0)
    }

    /// Makes a deputy resident at a station (both in the caller's subtree).
    pub async fn add_resident(
        &self,
        scope: &Scope,
        actor: &Actor,
        station_id: i64,
        mandate_id: i64,
    ) -> Result<()> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        let st = self.station(scope, station_id).await?;
        self.deputy(scope, mandate_id).await?;
        let mut tx = self.begin().await?;
        let inserted = with_tx!(&mut tx, c => {
            sqlx::query(
                "INSERT INTO station_deputy (station_id, mandate_id, since) VALUES ($1, $2, $3) \
                 ON CONFLICT (station_id, mandate_id) DO NOTHING",
            )
            .bind(station_id).bind(mandate_id).bind(Utc::now().date_naive()).execute(&mut *c).await?.rows_affected()
        });
        if inserted > 0 {
            let region = RegionCode::parse(&st.region_code).ok();
            self.audit(
                &mut tx,
                actor,
                AuditAction::StationResidentAdd,
                &format!("station:{station_id}"),
                region.as_ref(),
                &format!("{{\"mandate\":{mandate_id}}}"),
            )
            .await?;
        }
        tx.commit().await
    }

    /// Ends a deputy's residence at a station (both in the caller's subtree).
    pub async fn remove_resident(
        &self,
        scope: &Scope,
        actor: &Actor,
        station_id: i64,
        mandate_id: i64,
    ) -> Result<()> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        let st = self.station(scope, station_id).await?;
        self.deputy(scope, mandate_id).await?;
        let mut tx = self.begin().await?;
        let removed = with_tx!(&mut tx, c => {
            sqlx::query("DELETE FROM station_deputy WHERE station_id = $1 AND mandate_id = $2")
                .bind(station_id).bind(mandate_id).execute(&mut *c).await?.rows_affected()
        });
        if removed > 0 {
            let region = RegionCode::parse(&st.region_code).ok();
            let detail = format!("{{\"mandate\":{mandate_id}}}");
            self.audit(
                &mut tx,
                actor,
                AuditAction::StationResidentRemove,
                &format!("station:{station_id}"),
                region.as_ref(),
                &detail,
            )
            .await?;
        }
        tx.commit().await
    }

    /// Deputies in office of the station's township who are not yet resident there (candidates).
    pub async fn resident_candidates(
        &self,
        scope: &Scope,
        station_id: i64,
        q: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Deputy>> {
        let st = self.station(scope, station_id).await?;
        // a name or a village, as typed in the search box beside the list
        let pattern = q
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| format!("%{}%", q.replace(['%', '_', '\\'], "")));
        let code =
            RegionCode::parse(&st.region_code).map_err(|_| StoreError::Corrupt(st.region_code.clone()))?;
        let township = code.lineage().get(3).cloned().unwrap_or(code);
        let (lo, hi) = if scope.covers(&township) {
            township.subtree_range()
        } else {
            scope.range()
        };
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Deputy>(
                concat!(deputy_select!(), " FROM mandate m JOIN person p ON p.id = m.person_id JOIN region r ON r.code = m.constituency_region \
                 WHERE m.constituency_region BETWEEN $1 AND $2 AND m.status = 'in_office' \
                 AND NOT EXISTS (SELECT 1 FROM station_deputy sd WHERE sd.station_id = $3 AND sd.mandate_id = m.id) \
                 AND ($5 IS NULL OR p.name LIKE $5 OR r.name LIKE $5 OR m.constituency LIKE $5) \
                 ORDER BY p.name, m.id LIMIT $4"),
            )
            .bind(&lo).bind(&hi).bind(station_id).bind(limit).bind(&pattern).fetch_all(p).await?
        });
        Ok(rows)
    }

    /// Deputies resident at a station (the station is public; callers show public fields only).
    pub async fn residents(&self, station_id: i64) -> Result<Vec<Deputy>> {
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Deputy>(
                concat!(deputy_select!(), " FROM station_deputy sd JOIN mandate m ON m.id = sd.mandate_id JOIN person p ON p.id = m.person_id \
                 JOIN region r ON r.code = m.constituency_region \
                 WHERE sd.station_id = $1 AND m.status = 'in_office' \
                 ORDER BY CASE m.level WHEN 'national' THEN 1 WHEN 'provincial' THEN 2 WHEN 'city' THEN 3 \
                 WHEN 'county' THEN 4 ELSE 5 END, p.name"),
            )
            .bind(station_id).fetch_all(p).await?
        });
        Ok(rows)
    }

    /// Names of the open stations each mandate is resident at (for exports).
    pub async fn residence_names(
        &self,
        mandate_ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<String>>> {
        let mut out: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
        for chunk in mandate_ids.chunks(500) {
            let rows: Vec<(i64, String)> = with_pool!(&self.read, p => {
                let mut qb = sqlx::QueryBuilder::new(
                    "SELECT sd.mandate_id, s.name FROM station_deputy sd JOIN station s ON s.id = sd.station_id \
                     WHERE s.closed_on IS NULL AND sd.mandate_id IN (",
                );
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(") ORDER BY sd.mandate_id, s.id");
                qb.build_query_as().fetch_all(p).await?
            });
            for (m, name) in rows {
                out.entry(m).or_default().push(name);
            }
        }
        Ok(out)
    }
}
