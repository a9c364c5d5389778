//! 公开电话: the phone numbers a deployment publishes itself, which masking leaves intact in published
//! and masked text. They are the handling units' and stations' own phones (the registry's "对外公开"
//! fields; never station staff's or deputies' numbers) and the numbers staff add to the list (a
//! hotline, an office). Kept for a minute; a change on this instance is seen at once.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::mask::PublicPhones;
use liaison_domain::personal::Phone;
use liaison_domain::{Permission, RegionCode, Scope};
use serde::Serialize;

use crate::cache::Cached;
use crate::{Actor, Result, Store, StoreError};

pub(crate) type PublicPhoneCache = Cached<Arc<PublicPhones>>;

/// A number staff added to the list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PublicPhone {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub number: String,
    /// Whose number it is (`县信访局`).
    pub label: String,
    pub created_at: DateTime<Utc>,
}

/// A number from the registry, shown beside the list: (whose, number).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct RegistryPhone {
    pub owner: String,
    pub number: String,
}

/// The longest label.
pub const LABEL_MAX: usize = 60;

impl Store {
    /// Every public number of the deployment: units' and stations' phones and the staff's list.
    pub async fn public_phones(&self) -> Result<Arc<PublicPhones>> {
        let generation = match self.public_phones.fresh() {
            Ok(kept) => return Ok(kept),
            Err(generation) => generation,
        };
        let rows: Vec<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT phone FROM handling_unit WHERE phone <> '' \
                 UNION SELECT phone FROM station WHERE phone <> '' \
                 UNION SELECT number FROM public_phone",
            )
            .fetch_all(p).await?
        });
        let phones = Arc::new(PublicPhones::new(rows.iter().map(|r| r.0.as_str())));
        self.public_phones.put(generation, &phones);
        Ok(phones)
    }

    /// A unit's or station's phone changed: the next masking reads the numbers again.
    pub(crate) fn public_phones_changed(&self) {
        self.public_phones.forget();
    }

    /// The numbers staff added, in the caller's subtree.
    pub async fn public_phone_list(&self, scope: &Scope) -> Result<Vec<PublicPhone>> {
        if !scope.can(Permission::ViewRegistry) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = scope.range();
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, PublicPhone>(
                "SELECT pp.id, pp.region_code, r.name AS region_name, pp.number, pp.label, pp.created_at \
                 FROM public_phone pp JOIN region r ON r.code = pp.region_code \
                 WHERE pp.region_code BETWEEN $1 AND $2 ORDER BY pp.region_code, pp.id",
            )
            .bind(&lo).bind(&hi).fetch_all(p).await?
        }))
    }

    /// The units' and stations' phones of the caller's subtree (public already: shown for reference).
    pub async fn registry_public_phones(&self, scope: &Scope, limit: i64) -> Result<Vec<RegistryPhone>> {
        if !scope.can(Permission::ViewRegistry) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = scope.range();
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, RegistryPhone>(
                "SELECT name AS owner, phone AS number FROM handling_unit WHERE phone <> '' AND region_code BETWEEN $1 AND $2 \
                 UNION ALL SELECT name AS owner, phone AS number FROM station WHERE phone <> '' AND region_code BETWEEN $1 AND $2 \
                 ORDER BY owner LIMIT $3",
            )
            .bind(&lo).bind(&hi).bind(limit).fetch_all(p).await?
        }))
    }

    /// Adds a number to the list of the caller's region (audited). The number must be one (7–12
    /// digits, in any writing); the label says whose it is.
    pub async fn add_public_phone(
        &self,
        scope: &Scope,
        actor: &Actor,
        region: &RegionCode,
        number: &str,
        label: &str,
    ) -> Result<i64> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        if !scope.covers(region) {
            return Err(StoreError::OutOfScope);
        }
        let number = number.trim();
        if !matches!(Phone::parse(number), Ok(Some(_))) {
            return Err(StoreError::Refused("请填写一个电话号码（7～12 位数字）".into()));
        }
        let label = label.trim();
        if label.is_empty() || label.chars().count() > LABEL_MAX {
            return Err(StoreError::Refused(format!(
                "请填写这是哪个单位或窗口的电话（不超过 {LABEL_MAX} 字）"
            )));
        }
        let exists: Option<(i64,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT id FROM public_phone WHERE region_code = $1 AND number = $2")
                .bind(region.as_str()).bind(number).fetch_optional(p).await?
        });
        if exists.is_some() {
            return Err(StoreError::Refused("这个号码已在公开电话中".into()));
        }
        let mut tx = self.begin().await?;
        let (id,): (i64,) = with_tx!(&mut tx, c => {
            sqlx::query_as(
                "INSERT INTO public_phone (region_code, number, label, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(region.as_str()).bind(number).bind(label).bind(actor.account_id).bind(Utc::now())
            .fetch_one(&mut *c).await?
        });
        let detail = serde_json::json!({ "number": number, "label": label }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::PublicPhoneAdd,
            &format!("public_phone:{id}"),
            Some(region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        self.public_phones_changed();
        Ok(id)
    }

    /// Removes a number from the list (audited); only one of the caller's subtree.
    pub async fn remove_public_phone(&self, scope: &Scope, actor: &Actor, id: i64) -> Result<()> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        let row: Option<(String, String)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT region_code, number FROM public_phone WHERE id = $1").bind(id).fetch_optional(p).await?
        });
        let (region, number) = row.ok_or(StoreError::NotFound)?;
        let region = RegionCode::parse(&region).map_err(|_| StoreError::Corrupt(region))?;
        if !scope.covers(&region) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("DELETE FROM public_phone WHERE id = $1").bind(id).execute(&mut *c).await?;
        });
        let detail = serde_json::json!({ "number": number }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::PublicPhoneRemove,
            &format!("public_phone:{id}"),
            Some(&region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        self.public_phones_changed();
        Ok(())
    }
}
