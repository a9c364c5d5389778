//! Creating, editing, importing and closing stations: the input and its checks, and the audited writes.

use chrono::{NaiveDate, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::registry::station::StationKind;
use liaison_domain::{Permission, RegionCode, Scope};

use super::Upsert;
use crate::{Actor, Result, Store, StoreError, Tx};

/// The editable fields of a station, already trimmed and checked by [`StationInput::validate`].
#[derive(Debug, Clone, Default)]
pub struct StationInput {
    pub region: Option<RegionCode>,
    pub kind: Option<StationKind>,
    pub industry: String,
    pub name: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub phone: String,
    pub manager_name: String,
    pub manager_phone: String,
    pub liaison_name: String,
    pub liaison_phone: String,
    pub open_hours: String,
    pub reception_rule: String,
    pub facilities: String,
    pub rules: String,
    pub funding: String,
}

fn too_long(v: &str, max: usize) -> bool {
    v.chars().count() > max
}

impl StationInput {
    /// Every problem, in Chinese, with the field it concerns.
    pub fn validate(&self) -> Vec<(&'static str, String)> {
        let mut e = Vec::new();
        if self.region.is_none() {
            e.push(("region", "请选择所在行政区".to_owned()));
        }
        if self.kind.is_none() {
            e.push(("kind", "请选择站点类型".to_owned()));
        }
        let n = self.name.chars().count();
        if n == 0 || n > 60 {
            e.push(("name", "站点名称不能为空，且不超过 60 个字".to_owned()));
        }
        for (field, v, max, label) in [
            ("address", &self.address, 120, "地址"),
            ("industry", &self.industry, 30, "行业"),
            ("phone", &self.phone, 30, "站点电话"),
            ("manager_name", &self.manager_name, 30, "负责人姓名"),
            ("manager_phone", &self.manager_phone, 30, "负责人电话"),
            ("liaison_name", &self.liaison_name, 30, "联络员姓名"),
            ("liaison_phone", &self.liaison_phone, 30, "联络员电话"),
            ("open_hours", &self.open_hours, 100, "开放时间"),
            ("reception_rule", &self.reception_rule, 100, "接待日"),
            ("facilities", &self.facilities, 2000, "设施"),
            ("rules", &self.rules, 5000, "制度"),
            ("funding", &self.funding, 500, "经费"),
        ] {
            if too_long(v, max) {
                e.push((field, format!("{label}不能超过 {max} 个字")));
            }
        }
        for (field, v, label) in [
            ("phone", &self.phone, "站点电话"),
            ("manager_phone", &self.manager_phone, "负责人电话"),
            ("liaison_phone", &self.liaison_phone, "联络员电话"),
        ] {
            if !too_long(v, 30)
                && let Err(m) = liaison_domain::registry::phone::check_dialable(v, label)
            {
                e.push((field, m));
            }
        }
        match (self.latitude, self.longitude) {
            (Some(la), Some(lo)) if !((3.0..=54.0).contains(&la) && (73.0..=136.0).contains(&lo)) => {
                e.push(("latitude", "经纬度不在中国境内，请检查".to_owned()));
            }
            (Some(_), None) | (None, Some(_)) => e.push(("latitude", "经度和纬度须同时填写".to_owned())),
            _ => {}
        }
        e
    }
}

impl Store {
    async fn insert_or_update_station(&self, tx: &mut Tx, id: Option<i64>, s: &StationInput) -> Result<i64> {
        let now = Utc::now();
        let region = s
            .region
            .as_ref()
            .map(|r| r.as_str().to_owned())
            .unwrap_or_default();
        let kind = s.kind.map(|k| k.as_str()).unwrap_or("station");
        let id = match id {
            Some(id) => {
                with_tx!(tx, c => {
                    sqlx::query(
                        "UPDATE station SET region_code = $1, kind = $2, industry = $3, name = $4, address = $5, \
                         latitude = $6, longitude = $7, phone = $8, manager_name = $9, manager_phone = $10, \
                         liaison_name = $11, liaison_phone = $12, open_hours = $13, reception_rule = $14, \
                         facilities = $15, rules = $16, funding = $17, updated_at = $18 WHERE id = $19",
                    )
                    .bind(&region).bind(kind).bind(&s.industry).bind(&s.name).bind(&s.address)
                    .bind(s.latitude).bind(s.longitude).bind(&s.phone).bind(&s.manager_name).bind(&s.manager_phone)
                    .bind(&s.liaison_name).bind(&s.liaison_phone).bind(&s.open_hours).bind(&s.reception_rule)
                    .bind(&s.facilities).bind(&s.rules).bind(&s.funding).bind(now).bind(id)
                    .execute(&mut *c).await.map_err(StoreError::unique("name"))?;
                });
                id
            }
            None => {
                let (id,): (i64,) = with_tx!(tx, c => {
                    sqlx::query_as(
                        "INSERT INTO station (region_code, kind, industry, name, address, latitude, longitude, phone, \
                         manager_name, manager_phone, liaison_name, liaison_phone, open_hours, reception_rule, \
                         facilities, rules, funding, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) \
                         RETURNING id",
                    )
                    .bind(&region).bind(kind).bind(&s.industry).bind(&s.name).bind(&s.address)
                    .bind(s.latitude).bind(s.longitude).bind(&s.phone).bind(&s.manager_name).bind(&s.manager_phone)
                    .bind(&s.liaison_name).bind(&s.liaison_phone).bind(&s.open_hours).bind(&s.reception_rule)
                    .bind(&s.facilities).bind(&s.rules).bind(&s.funding).bind(now)
                    .fetch_one(&mut *c).await.map_err(StoreError::unique("name"))?
                });
                id
            }
        };
        // a station's phone is public: masking reads the numbers again
        self.public_phones_changed();
        Ok(id)
    }

    fn check_station_write(scope: &Scope, s: &StationInput) -> Result<RegionCode> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        let region = s.region.clone().ok_or(StoreError::NotFound)?;
        if !scope.covers(&region) {
            return Err(StoreError::OutOfScope);
        }
        Ok(region)
    }

    pub async fn create_station(&self, scope: &Scope, actor: &Actor, s: &StationInput) -> Result<i64> {
        let region = Self::check_station_write(scope, s)?;
        let mut tx = self.begin().await?;
        let id = self.insert_or_update_station(&mut tx, None, s).await?;
        let detail = serde_json::json!({ "name": s.name }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::StationCreate,
            &format!("station:{id}"),
            Some(&region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_station(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        s: &StationInput,
    ) -> Result<()> {
        let region = Self::check_station_write(scope, s)?;
        self.station(scope, id).await?;
        let mut tx = self.begin().await?;
        self.insert_or_update_station(&mut tx, Some(id), s).await?;
        let detail = serde_json::json!({ "name": s.name }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::StationUpdate,
            &format!("station:{id}"),
            Some(&region),
            &detail,
        )
        .await?;
        tx.commit().await
    }

    /// Creates or updates by the natural key (region, name) inside `tx`. Returns (id, outcome); a row that
    /// would not change is left alone (and not audited), so a re-import changes nothing.
    pub(crate) async fn upsert_station_in(
        &self,
        tx: &mut Tx,
        scope: &Scope,
        actor: &Actor,
        s: &StationInput,
    ) -> Result<(i64, Upsert)> {
        let region = Self::check_station_write(scope, s)?;
        let existing: Option<(i64,)> = with_tx!(tx, c => {
            sqlx::query_as("SELECT id FROM station WHERE region_code = $1 AND name = $2")
                .bind(region.as_str()).bind(&s.name).fetch_optional(&mut *c).await?
        });
        let Some((id,)) = existing else {
            let id = self.insert_or_update_station(tx, None, s).await?;
            let detail = serde_json::json!({ "name": s.name, "via": "import" }).to_string();
            self.audit(
                tx,
                actor,
                AuditAction::StationCreate,
                &format!("station:{id}"),
                Some(&region),
                &detail,
            )
            .await?;
            return Ok((id, Upsert::Created));
        };
        let kind = s.kind.map(|k| k.as_str()).unwrap_or("station");
        let changed = with_tx!(tx, c => {
            sqlx::query(
                "UPDATE station SET kind = $1, industry = $2, address = $3, latitude = $4, longitude = $5, phone = $6, \
                 manager_name = $7, manager_phone = $8, liaison_name = $9, liaison_phone = $10, open_hours = $11, \
                 reception_rule = $12, facilities = $13, rules = $14, funding = $15, updated_at = $16 \
                 WHERE id = $17 AND (kind IS DISTINCT FROM $1 OR industry IS DISTINCT FROM $2 OR address IS DISTINCT FROM $3 \
                 OR latitude IS DISTINCT FROM $4 OR longitude IS DISTINCT FROM $5 OR phone IS DISTINCT FROM $6 \
                 OR manager_name IS DISTINCT FROM $7 OR manager_phone IS DISTINCT FROM $8 OR liaison_name IS DISTINCT FROM $9 \
                 OR liaison_phone IS DISTINCT FROM $10 OR open_hours IS DISTINCT FROM $11 OR reception_rule IS DISTINCT FROM $12 \
                 OR facilities IS DISTINCT FROM $13 OR rules IS DISTINCT FROM $14 OR funding IS DISTINCT FROM $15)",
            )
            .bind(kind).bind(&s.industry).bind(&s.address).bind(s.latitude).bind(s.longitude).bind(&s.phone)
            .bind(&s.manager_name).bind(&s.manager_phone).bind(&s.liaison_name).bind(&s.liaison_phone)
            .bind(&s.open_hours).bind(&s.reception_rule).bind(&s.facilities).bind(&s.rules).bind(&s.funding)
            .bind(Utc::now()).bind(id)
            .execute(&mut *c).await?.rows_affected()
        });
        if changed == 0 {
            return Ok((id, Upsert::Unchanged));
        }
        self.public_phones_changed();
        let detail = serde_json::json!({ "name": s.name, "via": "import" }).to_string();
        self.audit(
            tx,
            actor,
            AuditAction::StationUpdate,
            &format!("station:{id}"),
            Some(&region),
            &detail,
        )
        .await?;
        Ok((id, Upsert::Updated))
    }

    /// [`Store::upsert_station_in`] in a transaction of its own.
    pub async fn upsert_station(
        &self,
        scope: &Scope,
        actor: &Actor,
        s: &StationInput,
    ) -> Result<(i64, bool)> {
        let mut tx = self.begin().await?;
        let (id, outcome) = self.upsert_station_in(&mut tx, scope, actor, s).await?;
        tx.commit().await?;
        Ok((id, outcome == Upsert::Created))
    }

    /// Closes a station (it stays in history and in reports of past years).
    pub async fn close_station(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        let st = self.station(scope, id).await?;
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE station SET closed_on = $1, closed_reason = $2, updated_at = $3 WHERE id = $4")
                .bind(on).bind(reason).bind(Utc::now()).bind(id).execute(&mut *c).await?;
            sqlx::query("UPDATE qr_code SET revoked_at = $1, revoked_reason = 'station_closed' \
                         WHERE target_kind = 'station' AND target_id = $2 AND revoked_at IS NULL")
                .bind(Utc::now()).bind(id).execute(&mut *c).await?;
        });
        let region = RegionCode::parse(&st.region_code).ok();
        let detail = serde_json::json!({ "on": on, "reason": reason }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::StationClose,
            &format!("station:{id}"),
            region.as_ref(),
            &detail,
        )
        .await?;
        tx.commit().await
    }
}
