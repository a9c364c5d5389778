//! Station staff's phone numbers (室长, 联络员) are personal information: every read of them, one
//! station or a whole export, is audited, as deputies' phones are.

use std::collections::HashMap;

use liaison_domain::audit::AuditAction;
use liaison_domain::{Permission, RegionCode, Scope};

use crate::{Actor, Result, Store, StoreError};

/// The staff phones of one station, in full.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StationContact {
    pub manager_phone: String,
    pub liaison_phone: String,
}

impl Store {
    /// One station's staff phones, for a role that may read contacts; the read is audited.
    pub async fn station_contact(&self, scope: &Scope, actor: &Actor, id: i64) -> Result<StationContact> {
        if !scope.can(Permission::ReadContacts) {
            return Err(StoreError::Forbidden);
        }
        let s = self.station(scope, id).await?;
        let contact = StationContact {
            manager_phone: s.manager_phone.expose().to_owned(),
            liaison_phone: s.liaison_phone.expose().to_owned(),
        };
        if s.manager_phone.is_empty() && s.liaison_phone.is_empty() {
            return Ok(contact);
        }
        let region = RegionCode::parse(&s.region_code).ok();
        self.audit_alone(
            actor,
            AuditAction::PersonalRead,
            &format!("station:{id}"),
            region.as_ref(),
            r#"{"field":"staff_phones"}"#,
        )
        .await?;
        Ok(contact)
    }

    /// Staff phones of many stations of the caller's subtree at once (an export by a role that may
    /// read contacts), audited as one `personal.export` entry naming how many were read.
    pub async fn station_staff_phones(
        &self,
        scope: &Scope,
        actor: &Actor,
        ids: &[i64],
    ) -> Result<HashMap<i64, StationContact>> {
        if !scope.can(Permission::ReadContacts) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = scope.range();
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let rows: Vec<(i64, String, String)> = with_pool!(&self.read, p => {
                let mut qb = sqlx::QueryBuilder::new(
                    "SELECT id, manager_phone, liaison_phone FROM station WHERE region_code BETWEEN ",
                );
                qb.push_bind(lo.clone()).push(" AND ").push_bind(hi.clone()).push(" AND id IN (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(")");
                qb.build_query_as().fetch_all(p).await?
            });
            out.extend(rows.into_iter().map(|(id, manager_phone, liaison_phone)| {
                (
                    id,
                    StationContact {
                        manager_phone,
                        liaison_phone,
                    },
                )
            }));
        }
        let read = out
            .values()
            .filter(|c| !c.manager_phone.is_empty() || !c.liaison_phone.is_empty())
            .count();
        if read > 0 {
            let detail = serde_json::json!({ "field": "staff_phones", "count": read }).to_string();
            self.audit_alone(
                actor,
                AuditAction::PersonalExport,
                "stations",
                Some(&scope.region),
                &detail,
            )
            .await?;
        }
        Ok(out)
    }
}
