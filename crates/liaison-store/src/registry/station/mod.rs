//! Stations (家站室点): create, edit, close (kept in history), list with filters, resident deputies.

use chrono::NaiveDate;
use liaison_domain::personal::StaffPhone;
use liaison_domain::registry::station::StationKind;
use liaison_domain::{Permission, RegionCode, Scope};
use serde::Serialize;

use crate::{Cursor, Result, Store, StoreError, Tx};

/// The stored columns of [`Station`] (a literal, so queries stay `&'static str`).
macro_rules! station_columns {
    () => {
        "s.id, s.region_code, r.name AS region_name, s.kind, s.industry, s.name, s.address, \
         s.latitude, s.longitude, s.phone, s.manager_name, s.manager_phone, s.liaison_name, s.liaison_phone, \
         s.open_hours, s.reception_rule, s.facilities, s.rules, s.funding, s.closed_on, s.closed_reason"
    };
}

mod contact;
mod edit;

pub use contact::StationContact;
pub use edit::StationInput;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Station {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub kind: String,
    pub industry: String,
    pub name: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The station's own phone: public (the card, the door poster, 公开电话).
    pub phone: String,
    pub manager_name: String,
    /// Staff phones: shown masked; in full only through the audited `station_contact` read.
    #[sqlx(try_from = "String")]
    pub manager_phone: StaffPhone,
    pub liaison_name: String,
    #[sqlx(try_from = "String")]
    pub liaison_phone: StaffPhone,
    pub open_hours: String,
    pub reception_rule: String,
    pub facilities: String,
    pub rules: String,
    pub funding: String,
    pub closed_on: Option<NaiveDate>,
    pub closed_reason: String,
    pub resident_count: i64,
}

impl Station {
    pub fn kind_label(&self) -> &'static str {
        StationKind::parse(&self.kind)
            .map(|k| k.label())
            .unwrap_or("站点")
    }

    pub fn is_open(&self) -> bool {
        self.closed_on.is_none()
    }
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    Created,
    Updated,
    Unchanged,
}

/// Filters of the station list; all optional.
#[derive(Debug, Clone, Default)]
pub struct StationFilter {
    /// Narrow to this region's subtree (must lie within the caller's scope).
    pub region: Option<RegionCode>,
    pub kind: Option<StationKind>,
    /// `Some(true)`: open only; `Some(false)`: closed only.
    pub open: Option<bool>,
    pub q: Option<String>,
}

impl Store {
    /// The open station of the caller's subtree with this exact name, if exactly one (for imports).
    pub(crate) async fn station_by_name_in(
        &self,
        tx: &mut Tx,
        scope: &Scope,
        name: &str,
    ) -> Result<Vec<i64>> {
        let (lo, hi) = scope.range();
        let rows: Vec<(i64,)> = with_tx!(tx, c => {
            sqlx::query_as("SELECT id FROM station WHERE name = $1 AND region_code BETWEEN $2 AND $3 AND closed_on IS NULL")
                .bind(name).bind(&lo).bind(&hi).fetch_all(&mut *c).await?
        });
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// One station of the caller's subtree.
    pub async fn station(&self, scope: &Scope, id: i64) -> Result<Station> {
        if !scope.can(Permission::ViewRegistry) {
            return Err(StoreError::Forbidden);
        }
        let s = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Station>(
                concat!("SELECT ", station_columns!(), ", (SELECT COUNT(*) FROM station_deputy d WHERE d.station_id = s.id) AS resident_count FROM station s JOIN region r ON r.code = s.region_code WHERE s.id = $1"),
            )
            .bind(id).fetch_optional(p).await?
        })
        .ok_or(StoreError::NotFound)?;
        let code =
            RegionCode::parse(&s.region_code).map_err(|_| StoreError::Corrupt(s.region_code.clone()))?;
        if !scope.covers(&code) {
            return Err(StoreError::OutOfScope);
        }
        Ok(s)
    }

    /// A station for the public card behind its QR code: no scope (it is public), callers mask contacts.
    pub async fn station_public(&self, id: i64) -> Result<Option<Station>> {
        let s = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Station>(
                concat!("SELECT ", station_columns!(), ", (SELECT COUNT(*) FROM station_deputy d WHERE d.station_id = s.id) AS resident_count FROM station s JOIN region r ON r.code = s.region_code WHERE s.id = $1"),
            )
            .bind(id).fetch_optional(p).await?
        });
        Ok(s)
    }

    /// Stations of the caller's subtree with filters, in (region, id) order after `after`: the
    /// `station_region` index's order, so a page never sorts the whole subtree.
    pub async fn stations(
        &self,
        scope: &Scope,
        f: &StationFilter,
        after: Option<&Cursor>,
        limit: i64,
    ) -> Result<Vec<Station>> {
        if !scope.can(Permission::ViewRegistry) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = scope
            .filter_range(f.region.as_ref())
            .ok_or(StoreError::OutOfScope)?;
        let pattern =
            f.q.as_ref()
                .map(|q| format!("%{}%", q.replace(['%', '_', '\\'], "")));
        let kind = f.kind.map(|k| k.as_str());
        let (after_region, after_id) = Cursor::split(after);
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Station>(
                concat!("SELECT ", station_columns!(), ", (SELECT COUNT(*) FROM station_deputy d WHERE d.station_id = s.id) AS resident_count \
                 FROM station s JOIN region r ON r.code = s.region_code \
                 WHERE s.region_code BETWEEN $1 AND $2 AND (s.region_code, s.id) > ($3, $4) \
                   AND ($5 IS NULL OR s.kind = $5) \
                   AND ($6 IS NULL OR ($6 = (s.closed_on IS NULL))) \
                   AND ($7 IS NULL OR s.name LIKE $7) \
                 ORDER BY s.region_code, s.id LIMIT $8"),
            )
            .bind(&lo).bind(&hi).bind(after_region).bind(after_id).bind(kind).bind(f.open).bind(&pattern).bind(limit)
            .fetch_all(p).await?
        });
        Ok(rows)
    }

    /// Open stations a person is resident at (public).
    pub async fn stations_of_person(&self, person_id: i64) -> Result<Vec<Station>> {
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Station>(
                concat!("SELECT DISTINCT ", station_columns!(), ", CAST(0 AS BIGINT) AS resident_count FROM station s JOIN region r ON r.code = s.region_code \
                 JOIN station_deputy sd ON sd.station_id = s.id JOIN mandate m ON m.id = sd.mandate_id \
                 WHERE m.person_id = $1 AND m.status = 'in_office' AND s.closed_on IS NULL ORDER BY s.id"),
            )
            .bind(person_id).fetch_all(p).await?
        });
        Ok(rows)
    }

    /// Open stations in `region`'s subtree, nearest to `near` first: `near`'s own stations, then those at
    /// township level or above (homes first), then the rest (public: 码上找代表, retired codes).
    pub async fn open_stations_in(
        &self,
        region: &RegionCode,
        near: &RegionCode,
        limit: i64,
    ) -> Result<Vec<Station>> {
        let (lo, hi) = region.subtree_range();
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Station>(
                concat!("SELECT ", station_columns!(), ", (SELECT COUNT(*) FROM station_deputy d WHERE d.station_id = s.id) AS resident_count FROM station s JOIN region r ON r.code = s.region_code \
                 WHERE s.region_code BETWEEN $1 AND $2 AND s.closed_on IS NULL \
                 ORDER BY CASE WHEN s.region_code = $3 THEN 0 WHEN substr(s.region_code, 10) = '000' THEN 1 ELSE 2 END, \
                 CASE s.kind WHEN 'home' THEN 1 WHEN 'station' THEN 2 WHEN 'room' THEN 3 ELSE 4 END, s.id LIMIT $4"),
            )
            .bind(&lo).bind(&hi).bind(near.as_str()).bind(limit).fetch_all(p).await?
        });
        Ok(rows)
    }
}
