//! A deputy's photo: set by registry staff (audited), shown on the public cards.

use chrono::Utc;
use liaison_domain::audit::AuditAction;
use liaison_domain::{Permission, RegionCode, Scope};

use crate::{Actor, Result, Store, StoreError};

impl Store {
    /// Sets a deputy's photo (a blob already stored); audited.
    pub async fn set_person_photo(
        &self,
        scope: &Scope,
        actor: &Actor,
        mandate_id: i64,
        blob: &str,
    ) -> Result<()> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        let d = self.deputy(scope, mandate_id).await?;
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE person SET photo = $1, updated_at = $2 WHERE id = $3")
                .bind(blob).bind(Utc::now()).bind(d.person_id).execute(&mut *c).await?;
        });
        let region = RegionCode::parse(&d.constituency_region).ok();
        let detail = serde_json::json!({ "blob": blob }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::DeputyPhoto,
            &format!("person:{}", d.person_id),
            region.as_ref(),
            &detail,
        )
        .await?;
        tx.commit().await
    }

    /// The photo of a person who holds a mandate in office (public: shown on cards), if any.
    pub async fn public_photo(&self, person_id: i64) -> Result<Option<String>> {
        let r: Option<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT p.photo FROM person p WHERE p.id = $1 AND p.photo <> '' \
                 AND EXISTS (SELECT 1 FROM mandate m WHERE m.person_id = p.id AND m.status = 'in_office')",
            )
            .bind(person_id).fetch_optional(p).await?
        });
        Ok(r.map(|r| r.0))
    }
}
