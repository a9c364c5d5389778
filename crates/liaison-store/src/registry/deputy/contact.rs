//! A deputy's phone number is personal information: every read of it, one or many, is audited.

use liaison_domain::audit::AuditAction;
use liaison_domain::{Permission, RegionCode, Scope};

use crate::{Actor, Result, Store, StoreError};

impl Store {
    /// The deputy's phone number, for a role that needs it; the read is audited in the same transaction.
    pub async fn deputy_contact(&self, scope: &Scope, actor: &Actor, mandate_id: i64) -> Result<String> {
        if !scope.can(Permission::ReadContacts) {
            return Err(StoreError::Forbidden);
        }
        let d = self.deputy(scope, mandate_id).await?;
        let mut tx = self.begin().await?;
        let (phone,): (String,) = with_tx!(&mut tx, c => {
            sqlx::query_as("SELECT phone FROM person WHERE id = $1").bind(d.person_id).fetch_one(&mut *c).await?
        });
        let region = RegionCode::parse(&d.constituency_region).ok();
        self.audit(
            &mut tx,
            actor,
            AuditAction::PersonalRead,
            &format!("person:{}", d.person_id),
            region.as_ref(),
            r#"{"field":"phone"}"#,
        )
        .await?;
        tx.commit().await?;
        Ok(phone)
    }

    /// Phone numbers of many deputies at once (an export by a role that may see contacts), audited as
    /// one `personal.export` entry naming how many were read.
    pub async fn deputy_phones(
        &self,
        scope: &Scope,
        actor: &Actor,
        mandate_ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, String>> {
        if !scope.can(Permission::ReadContacts) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = scope.range();
        let mut out = std::collections::HashMap::new();
        for chunk in mandate_ids.chunks(500) {
            let rows: Vec<(i64, String)> = with_pool!(&self.read, p => {
                let mut qb = sqlx::QueryBuilder::new(
                    "SELECT m.id, p.phone FROM mandate m JOIN person p ON p.id = m.person_id WHERE m.constituency_region BETWEEN ",
                );
                qb.push_bind(lo.clone()).push(" AND ").push_bind(hi.clone()).push(" AND m.id IN (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(")");
                qb.build_query_as().fetch_all(p).await?
            });
            out.extend(rows);
        }
        let detail = serde_json::json!({ "field": "phone", "count": out.len() }).to_string();
        self.audit_alone(
            actor,
            AuditAction::PersonalExport,
            "deputies",
            Some(&scope.region),
            &detail,
        )
        .await?;
        Ok(out)
    }

    /// A person's phone, only to be shown masked (the printed card when no station phone exists).
    /// Not audited: the caller never shows the number itself.
    pub async fn deputy_phone_masked_source(&self, person_id: i64) -> Result<String> {
        let r: Option<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT phone FROM person WHERE id = $1").bind(person_id).fetch_optional(p).await?
        });
        Ok(r.map(|r| r.0).unwrap_or_default())
    }
}
