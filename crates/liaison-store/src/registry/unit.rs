//! Handling units (承办单位): the government bodies that answer assigned items.

use chrono::Utc;
use liaison_domain::audit::AuditAction;
use liaison_domain::{Permission, RegionCode, Scope};
use serde::Serialize;

use crate::registry::station::Upsert;
use crate::{Actor, Result, Store, StoreError, Tx};

pub const UNIT_KINDS: [(&str, &str); 5] = [
    ("department", "政府部门"),
    ("township_government", "乡镇人民政府（街道办事处）"),
    ("court", "人民法院"),
    ("procuratorate", "人民检察院"),
    ("other", "其他单位"),
];

pub fn unit_kind_label(kind: &str) -> &str {
    UNIT_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
        .unwrap_or(kind)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct HandlingUnit {
    pub id: i64,
    pub region_code: String,
    pub region_name: String,
    pub name: String,
    pub kind: String,
    pub phone: String,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct UnitInput {
    pub region: RegionCode,
    pub name: String,
    pub kind: String,
    pub phone: String,
}

impl UnitInput {
    pub fn validate(&self) -> Vec<String> {
        let mut e = Vec::new();
        let n = self.name.trim().chars().count();
        if n == 0 || n > 60 {
            e.push("单位名称不能为空，且不超过 60 个字".to_owned());
        }
        if !UNIT_KINDS.iter().any(|(k, _)| *k == self.kind) {
            e.push("单位类别无效".to_owned());
        }
        if self.phone.chars().count() > 30 {
            e.push("联系电话过长".to_owned());
        } else if let Err(m) = liaison_domain::registry::phone::check_dialable(&self.phone, "联系电话") {
            e.push(m);
        }
        e
    }
}

impl Store {
    /// Creates the unit, or updates the one with the same region and name (the natural key), so a
    /// re-import of the same sheet changes nothing. Returns (id, created).
    pub async fn upsert_unit(&self, scope: &Scope, actor: &Actor, u: &UnitInput) -> Result<(i64, bool)> {
        let mut tx = self.begin().await?;
        let (id, outcome) = self.upsert_unit_in(&mut tx, scope, actor, u).await?;
        tx.commit().await?;
        Ok((id, outcome == Upsert::Created))
    }

    /// [`Store::upsert_unit`] inside the caller's transaction.
    pub(crate) async fn upsert_unit_in(
        &self,
        tx: &mut Tx,
        scope: &Scope,
        actor: &Actor,
        u: &UnitInput,
    ) -> Result<(i64, Upsert)> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        if !scope.covers(&u.region) {
            return Err(StoreError::OutOfScope);
        }
        let now = Utc::now();
        let existing: Option<(i64, String, String)> = with_tx!(tx, c => {
            sqlx::query_as("SELECT id, kind, phone FROM handling_unit WHERE region_code = $1 AND name = $2")
                .bind(u.region.as_str()).bind(u.name.trim()).fetch_optional(&mut *c).await?
        });
        let (id, created) = match existing {
            Some((id, kind, phone)) if kind == u.kind && phone == u.phone.trim() => {
                return Ok((id, Upsert::Unchanged));
            }
            Some((id, _, _)) => {
                with_tx!(tx, c => {
                    sqlx::query("UPDATE handling_unit SET kind = $1, phone = $2, updated_at = $3 WHERE id = $4")
                        .bind(&u.kind).bind(u.phone.trim()).bind(now).bind(id).execute(&mut *c).await?;
                });
                (id, false)
            }
            None => {
                let (id,): (i64,) = with_tx!(tx, c => {
                    sqlx::query_as(
                        "INSERT INTO handling_unit (region_code, name, kind, phone, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(u.region.as_str()).bind(u.name.trim()).bind(&u.kind).bind(u.phone.trim()).bind(now).bind(now)
                    .fetch_one(&mut *c).await?
                });
                (id, true)
            }
        };
        // a unit's phone is public: masking reads the numbers again
        self.public_phones_changed();
        let action = if created {
            AuditAction::UnitCreate
        } else {
            AuditAction::UnitUpdate
        };
        let detail = serde_json::json!({ "name": u.name.trim(), "kind": u.kind }).to_string();
        self.audit(tx, actor, action, &format!("unit:{id}"), Some(&u.region), &detail)
            .await?;
        Ok((id, if created { Upsert::Created } else { Upsert::Updated }))
    }

    /// One unit of the caller's subtree (404 outside it).
    pub async fn unit(&self, scope: &Scope, id: i64) -> Result<HandlingUnit> {
        if !scope.can(Permission::ViewRegistry) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = scope.range();
        let row = with_pool!(&self.read, p => {
            sqlx::query_as::<_, HandlingUnit>(
                "SELECT u.id, u.region_code, r.name AS region_name, u.name, u.kind, u.phone, u.active \
                 FROM handling_unit u JOIN region r ON r.code = u.region_code \
                 WHERE u.id = $1 AND u.region_code BETWEEN $2 AND $3",
            )
            .bind(id).bind(&lo).bind(&hi).fetch_optional(p).await?
        });
        row.ok_or(StoreError::NotFound)
    }

    /// Saves an edited unit (name, kind, region, phone), in the caller's subtree before and after;
    /// `Conflict("name")` when the region already has a unit of that name.
    pub async fn update_unit(&self, scope: &Scope, actor: &Actor, id: i64, u: &UnitInput) -> Result<()> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        let old = self.unit(scope, id).await?;
        if !scope.covers(&u.region) {
            return Err(StoreError::OutOfScope);
        }
        let name = u.name.trim();
        if old.region_code == u.region.as_str()
            && old.name == name
            && old.kind == u.kind
            && old.phone == u.phone.trim()
        {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE handling_unit SET region_code = $1, name = $2, kind = $3, phone = $4, updated_at = $5 WHERE id = $6")
                .bind(u.region.as_str()).bind(name).bind(&u.kind).bind(u.phone.trim()).bind(Utc::now()).bind(id)
                .execute(&mut *c).await.map_err(StoreError::unique("name"))?;
        });
        let detail =
            serde_json::json!({ "name": name, "kind": u.kind, "via": "edit", "was": old.name }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::UnitUpdate,
            &format!("unit:{id}"),
            Some(&u.region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        // a unit's phone is public: masking reads the numbers again
        self.public_phones_changed();
        Ok(())
    }

    /// Units of the caller's subtree, by name.
    pub async fn units(
        &self,
        scope: &Scope,
        q: Option<&str>,
        after: Option<i64>,
        limit: i64,
    ) -> Result<Vec<HandlingUnit>> {
        if !scope.can(Permission::ViewRegistry) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = scope.range();
        // the first page without a search is the pickers' list: kept a minute (`reference`)
        let key = (q.is_none() && after.is_none()).then(|| format!("{lo}:{hi}:{limit}"));
        if let Some(kept) = key.as_deref().and_then(|k| self.reference.units.get(k)) {
            return Ok(kept);
        }
        let pattern = q.map(|q| format!("%{}%", q.replace(['%', '_', '\\'], "")));
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, HandlingUnit>(
                "SELECT u.id, u.region_code, r.name AS region_name, u.name, u.kind, u.phone, u.active \
                 FROM handling_unit u JOIN region r ON r.code = u.region_code \
                 WHERE u.region_code BETWEEN $1 AND $2 AND u.id > $3 AND ($4 IS NULL OR u.name LIKE $4) \
                 ORDER BY u.id LIMIT $5",
            )
            .bind(&lo).bind(&hi).bind(after.unwrap_or(0)).bind(&pattern).bind(limit)
            .fetch_all(p).await?
        });
        if let Some(k) = key {
            self.reference.units.put(&k, &rows);
        }
        Ok(rows)
    }
}
