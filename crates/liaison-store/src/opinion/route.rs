//! The routing table's default unit for an item, with the region the unit belongs to: what
//! `liaison_domain::opinion::routing::after_accept` needs to offer 交办 or 上报县级.

use liaison_domain::RegionCode;

use crate::opinion::Opinion;
use crate::{Result, Store, StoreError};

/// The default unit of an item's category and place.
#[derive(Debug, Clone)]
pub struct RoutedUnit {
    pub id: i64,
    pub name: String,
    pub region: RegionCode,
}

impl Store {
    /// The unit the routing table names for the item (category × region), if an active one does.
    pub async fn routed_unit(&self, o: &Opinion) -> Result<Option<RoutedUnit>> {
        let Some(route) = self.default_unit(&o.region()?, &o.category).await? else {
            return Ok(None);
        };
        let row: Option<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT region_code FROM handling_unit WHERE id = $1 AND active = TRUE")
                .bind(route.unit_id).fetch_optional(p).await?
        });
        let Some((code,)) = row else {
            return Ok(None);
        };
        let region = RegionCode::parse(&code).map_err(|_| StoreError::Corrupt(code))?;
        Ok(Some(RoutedUnit {
            id: route.unit_id,
            name: route.unit_name,
            region,
        }))
    }
}
