//! Registering deputies (by hand or from a spreadsheet row): the input and its checks, the upsert
//! that recognises a person already holding a mandate, and the end of a mandate.

use chrono::{NaiveDate, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::registry::deputy::{DeputyLevel, Gender};
use liaison_domain::{Permission, RegionCode, Scope};

use crate::registry::station::Upsert;
use crate::{Actor, Result, Store, StoreError, Tx};

/// A deputy as entered by hand or read from a spreadsheet row, checked by [`DeputyInput::validate`].
#[derive(Debug, Clone, Default)]
pub struct DeputyInput {
    pub name: String,
    pub gender: Option<Gender>,
    pub ethnicity: String,
    pub birth_year: Option<i32>,
    pub party: String,
    pub occupation: String,
    pub employer: String,
    pub phone: String,
    pub level: Option<DeputyLevel>,
    pub congress_region: Option<RegionCode>,
    pub term: Option<i32>,
    pub constituency: String,
    pub constituency_region: Option<RegionCode>,
    pub deputy_group: String,
    pub expert_group: String,
}

impl DeputyInput {
    pub fn validate(&self) -> Vec<(&'static str, String)> {
        let mut e = Vec::new();
        let n = self.name.chars().count();
        if n == 0 || n > 30 {
            e.push(("name", "姓名不能为空，且不超过 30 个字".to_owned()));
        }
        if self.gender.is_none() {
            e.push(("gender", "性别应为“男”或“女”".to_owned()));
        }
        if let Some(y) = self.birth_year
            && !(1900..=2010).contains(&y)
        {
            e.push(("birth_year", "出生年份应在 1900～2010 之间".to_owned()));
        }
        if self.level.is_none() {
            e.push(("level", "代表层级无效（全国、省、市、县、乡镇）".to_owned()));
        }
        if self.congress_region.is_none() {
            e.push((
                "congress_region",
                "请填写选举产生该代表的人大所在行政区".to_owned(),
            ));
        }
        match self.term {
            Some(t) if (1..=30).contains(&t) => {}
            _ => e.push(("term", "届次应为 1～30 的整数".to_owned())),
        }
        match (&self.congress_region, &self.constituency_region) {
            (_, None) => e.push(("constituency_region", "请填写选区所在行政区".to_owned())),
            (Some(c), Some(r)) if !c.contains(r) => e.push((
                "constituency_region",
                "选区所在行政区应在选举产生该代表的人大辖区内".to_owned(),
            )),
            _ => {}
        }
        if let Err(m) = liaison_domain::registry::phone::check_dialable(&self.phone, "联系电话") {
            e.push(("phone", m));
        }
        for (field, v, max, label) in [
            ("occupation", &self.occupation, 60, "职业"),
            ("employer", &self.employer, 60, "工作单位"),
            ("constituency", &self.constituency, 60, "选区"),
            ("deputy_group", &self.deputy_group, 60, "代表小组"),
            ("expert_group", &self.expert_group, 60, "专业代表小组"),
        ] {
            if v.chars().count() > max {
                e.push((field, format!("{label}不能超过 {max} 个字")));
            }
        }
        e
    }
}

impl Store {
    /// Registers a deputy: finds the person by name, gender and birth year among the persons already
    /// holding a mandate in the same county (or creates one), then creates or updates the
    /// mandate (natural key: person, level, congress, term). Returns (mandate id, created).
    pub async fn upsert_deputy(&self, scope: &Scope, actor: &Actor, d: &DeputyInput) -> Result<(i64, bool)> {
        let mut tx = self.begin().await?;
        let (id, outcome) = self.upsert_deputy_in(&mut tx, scope, actor, d).await?;
        tx.commit().await?;
        Ok((id, outcome == Upsert::Created))
    }

    /// [`Store::upsert_deputy`] inside the caller's transaction (imports: all rows or none).
    pub(crate) async fn upsert_deputy_in(
        &self,
        tx: &mut Tx,
        scope: &Scope,
        actor: &Actor,
        d: &DeputyInput,
    ) -> Result<(i64, Upsert)> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        let (Some(level), Some(congress), Some(term), Some(region), Some(gender)) = (
            d.level,
            d.congress_region.as_ref(),
            d.term,
            d.constituency_region.as_ref(),
            d.gender,
        ) else {
            return Err(StoreError::Corrupt("deputy input not validated".into()));
        };
        if !scope.covers(region) {
            return Err(StoreError::OutOfScope);
        }
        let now = Utc::now();
        // the same person is recognised by name, gender and birth year among those already holding a
        // mandate in the same county: wide enough for a county deputy who is also a township deputy,
        // narrow enough that two namesakes in different counties stay two people
        let county = region.lineage().get(2).cloned().unwrap_or_else(|| region.clone());
        let (county_lo, county_hi) = county.subtree_range();
        let person: Option<(i64,)> = with_tx!(tx, c => {
            sqlx::query_as(
                "SELECT p.id FROM person p WHERE p.name = $1 AND p.gender = $2 \
                 AND (p.birth_year = $3 OR ($3 IS NULL AND p.birth_year IS NULL)) \
                 AND EXISTS (SELECT 1 FROM mandate m WHERE m.person_id = p.id AND m.constituency_region BETWEEN $4 AND $5) \
                 ORDER BY p.id LIMIT 1",
            )
            .bind(&d.name).bind(gender.as_str()).bind(d.birth_year)
            .bind(&county_lo).bind(&county_hi)
            .fetch_optional(&mut *c).await?
        });
        let mut updated = 0;
        let person_id = match person {
            Some((id,)) => {
                updated += with_tx!(tx, c => {
                    sqlx::query(
                        "UPDATE person SET ethnicity = $1, party = $2, occupation = $3, employer = $4, \
                         phone = CASE WHEN $5 = '' THEN phone ELSE $5 END, updated_at = $6 \
                         WHERE id = $7 AND (ethnicity <> $1 OR party <> $2 OR occupation <> $3 OR employer <> $4 \
                         OR ($5 <> '' AND phone <> $5))",
                    )
                    .bind(&d.ethnicity).bind(&d.party).bind(&d.occupation).bind(&d.employer).bind(&d.phone)
                    .bind(now).bind(id).execute(&mut *c).await?.rows_affected()
                });
                id
            }
            None => {
                let (id,): (i64,) = with_tx!(tx, c => {
                    sqlx::query_as(
                        "INSERT INTO person (name, gender, ethnicity, birth_year, party, occupation, employer, phone, \
                         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                    )
                    .bind(&d.name).bind(gender.as_str()).bind(&d.ethnicity).bind(d.birth_year).bind(&d.party)
                    .bind(&d.occupation).bind(&d.employer).bind(&d.phone).bind(now)
                    .fetch_one(&mut *c).await?
                });
                id
            }
        };
        let existing: Option<(i64,)> = with_tx!(tx, c => {
            sqlx::query_as("SELECT id FROM mandate WHERE person_id = $1 AND level = $2 AND congress_region = $3 AND term = $4")
                .bind(person_id).bind(level.as_str()).bind(congress.as_str()).bind(term)
                .fetch_optional(&mut *c).await?
        });
        let (mandate_id, created) = match existing {
            Some((id,)) => {
                updated += with_tx!(tx, c => {
                    sqlx::query(
                        "UPDATE mandate SET constituency = $1, constituency_region = $2, deputy_group = $3, \
                         expert_group = $4, updated_at = $5 WHERE id = $6 AND (constituency <> $1 \
                         OR constituency_region <> $2 OR deputy_group <> $3 OR expert_group <> $4)",
                    )
                    .bind(&d.constituency).bind(region.as_str()).bind(&d.deputy_group).bind(&d.expert_group)
                    .bind(now).bind(id).execute(&mut *c).await?.rows_affected()
                });
                (id, false)
            }
            None => {
                let (id,): (i64,) = with_tx!(tx, c => {
                    sqlx::query_as(
                        "INSERT INTO mandate (person_id, level, congress_region, term, constituency, constituency_region, \
                         deputy_group, expert_group, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                    )
                    .bind(person_id).bind(level.as_str()).bind(congress.as_str()).bind(term).bind(&d.constituency)
                    .bind(region.as_str()).bind(&d.deputy_group).bind(&d.expert_group).bind(now)
                    .fetch_one(&mut *c).await?
                });
                (id, true)
            }
        };
        if created {
            let detail =
                serde_json::json!({ "name": d.name, "level": level.as_str(), "term": term }).to_string();
            self.audit(
                tx,
                actor,
                AuditAction::DeputyCreate,
                &format!("mandate:{mandate_id}"),
                Some(region),
                &detail,
            )
            .await?;
        }
        let outcome = if created {
            Upsert::Created
        } else if updated > 0 {
            let detail = serde_json::json!({ "name": d.name, "via": "upsert" }).to_string();
            self.audit(
                tx,
                actor,
                AuditAction::DeputyUpdate,
                &format!("mandate:{mandate_id}"),
                Some(region),
                &detail,
            )
            .await?;
            Upsert::Updated
        } else {
            Upsert::Unchanged
        };
        Ok((mandate_id, outcome))
    }

    /// Ends a mandate (left office): kept in history, its QR codes retired.
    pub async fn leave_office(
        &self,
        scope: &Scope,
        actor: &Actor,
        mandate_id: i64,
        on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        let d = self.deputy(scope, mandate_id).await?;
        let now = Utc::now();
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE mandate SET status = 'left', left_on = $1, left_reason = $2, updated_at = $3 WHERE id = $4")
                .bind(on).bind(reason).bind(now).bind(mandate_id).execute(&mut *c).await?;
        });
        // the person's code is retired once no mandate remains in office
        let (open,): (i64,) = with_tx!(&mut tx, c => {
            sqlx::query_as("SELECT COUNT(*) FROM mandate WHERE person_id = $1 AND status = 'in_office'")
                .bind(d.person_id).fetch_one(&mut *c).await?
        });
        if open == 0 {
            with_tx!(&mut tx, c => {
                sqlx::query("UPDATE qr_code SET revoked_at = $1, revoked_reason = 'left_office' \
                             WHERE target_kind = 'deputy' AND target_id = $2 AND revoked_at IS NULL")
                    .bind(now).bind(d.person_id).execute(&mut *c).await?;
            });
        }
        let region = RegionCode::parse(&d.constituency_region).ok();
        let detail = serde_json::json!({ "on": on, "reason": reason }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::DeputyLeave,
            &format!("mandate:{mandate_id}"),
            region.as_ref(),
            &detail,
        )
        .await?;
        tx.commit().await
    }
}
