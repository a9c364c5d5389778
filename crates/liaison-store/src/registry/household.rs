//! 双联系: the households a deputy links and the meetings with them. Household members are citizens:
//! their names and phones are `Personal`; a list shows the names only to those who may read them
//! (`household::may_read_contact`: the deputy, staff who read contacts over where the household lives),
//! audited, and masked to everyone else; the phones in full only through the audited contact read.
//! Every write goes through one scoped check ([`Store::household_check`], the rule
//! `household::may_write`).

use chrono::{Datelike, NaiveDate, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::personal::{CitizenName, CitizenPhone};
use liaison_domain::registry::household::{self, HouseholdFacts, HouseholdKind, HouseholdWrite};
use liaison_domain::{Permission, RegionCode, Scope};
use serde::Serialize;

use crate::{Actor, Result, Store, StoreError};

/// A linked household as the caller may see it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Household {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    #[sqlx(try_from = "String")]
    name: CitizenName,
    #[sqlx(try_from = "String")]
    phone: CitizenPhone,
    pub region_code: String,
    pub region_name: String,
    address: String,
    pub meetings_this_year: i64,
    pub last_met: Option<NaiveDate>,
    /// The name as this caller sees it: in full for one who may read it (the read audited), else masked.
    #[sqlx(skip)]
    pub shown_name: String,
    /// The phone as shown: masked, in full only after the audited contact read.
    #[sqlx(skip)]
    pub shown_phone: String,
    /// The address, for one who may read the contact; empty otherwise.
    #[sqlx(skip)]
    pub shown_address: String,
}

impl Household {
    pub fn kind(&self) -> Option<HouseholdKind> {
        HouseholdKind::parse(&self.kind)
    }

    pub fn kind_label(&self) -> &'static str {
        self.kind().map(|k| k.label()).unwrap_or("")
    }
}

/// How much of the households' personal information a read shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HouseholdDetail {
    /// The list on the deputy's page: names for those who may read them, phones masked.
    List,
    /// The deliberate contact read: names and phones in full for those who may.
    Contact,
}

#[derive(Debug, Clone)]
pub struct HouseholdInput {
    pub kind: HouseholdKind,
    pub name: String,
    pub phone: String,
    pub region: RegionCode,
    pub address: String,
}

impl Store {
    /// The person must hold a mandate inside the caller's subtree.
    pub(crate) async fn person_in_scope(&self, scope: &Scope, person_id: i64) -> Result<()> {
        let (lo, hi) = scope.range();
        let n: (i64,) = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT COUNT(*) FROM mandate WHERE person_id = $1 AND constituency_region BETWEEN $2 AND $3")
                .bind(person_id).bind(&lo).bind(&hi).fetch_one(p).await?
        });
        if n.0 == 0 {
            Err(StoreError::OutOfScope)
        } else {
            Ok(())
        }
    }

    /// The one check of every read of a deputy's own record beyond the mandate (households, committee
    /// links): the deputy themself (`is_self`), or a registry reader whose region reaches one of the
    /// person's constituencies.
    pub(crate) async fn person_readable(&self, scope: &Scope, person_id: i64) -> Result<()> {
        if liaison_domain::registry::deputy::is_self(scope, person_id) {
            return Ok(());
        }
        if !scope.can(Permission::ViewRegistry) {
            return Err(StoreError::Forbidden);
        }
        self.person_in_scope(scope, person_id).await
    }

    /// The constituencies of a person's mandates.
    async fn deputy_regions(&self, person_id: i64) -> Result<Vec<RegionCode>> {
        let rows: Vec<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT DISTINCT constituency_region FROM mandate WHERE person_id = $1")
                .bind(person_id).fetch_all(p).await?
        });
        rows.into_iter()
            .map(|(c,)| RegionCode::parse(&c).map_err(|_| StoreError::Corrupt(c)))
            .collect()
    }

    /// The one check every household write goes through: the deputy themself or staff over the
    /// household's region (`household::may_write`). Out of the caller's reach answers 404.
    pub(crate) async fn household_check(
        &self,
        scope: &Scope,
        write: HouseholdWrite,
        person_id: i64,
        region: &RegionCode,
    ) -> Result<()> {
        let deputy_regions = self.deputy_regions(person_id).await?;
        if deputy_regions.is_empty() {
            return Err(StoreError::NotFound);
        }
        let facts = HouseholdFacts {
            deputy: person_id,
            deputy_regions: &deputy_regions,
            region,
        };
        if household::may_write(scope, write, &facts) {
            return Ok(());
        }
        let own = scope.person_id == Some(person_id);
        let reaches = scope.covers(region) && deputy_regions.iter().any(|r| scope.covers(r));
        if own || reaches {
            Err(StoreError::Forbidden)
        } else {
            Err(StoreError::OutOfScope)
        }
    }

    /// The ids of a deputy's linked households (no personal information).
    pub async fn household_ids(&self, scope: &Scope, person_id: i64) -> Result<Vec<i64>> {
        self.person_readable(scope, person_id).await?;
        let rows: Vec<(i64,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT id FROM linked_household WHERE person_id = $1 ORDER BY id")
                .bind(person_id).fetch_all(p).await?
        });
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// A deputy's linked households, with this year's meeting count, as the caller may see them
    /// (`detail`). Names and phones shown in full are an audited read; a contact read by someone who
    /// may read none of them is refused.
    pub async fn households(
        &self,
        scope: &Scope,
        actor: &Actor,
        person_id: i64,
        detail: HouseholdDetail,
    ) -> Result<Vec<Household>> {
        self.person_readable(scope, person_id).await?;
        let year_start =
            NaiveDate::from_ymd_opt(Utc::now().year(), 1, 1).ok_or(StoreError::Corrupt("date".into()))?;
        let mut rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Household>(
                "SELECT h.id, h.person_id, h.kind, h.name, h.phone, h.region_code, r.name AS region_name, h.address, \
                 (SELECT COUNT(*) FROM household_meeting m WHERE m.household_id = h.id AND m.met_on >= $2) AS meetings_this_year, \
                 (SELECT MAX(m.met_on) FROM household_meeting m WHERE m.household_id = h.id) AS last_met \
                 FROM linked_household h JOIN region r ON r.code = h.region_code WHERE h.person_id = $1 ORDER BY h.id",
            )
            .bind(person_id).bind(year_start).fetch_all(p).await?
        });
        let deputy_regions = self.deputy_regions(person_id).await?;
        let mut shown = 0;
        for h in &mut rows {
            let region =
                RegionCode::parse(&h.region_code).map_err(|_| StoreError::Corrupt(h.region_code.clone()))?;
            let facts = HouseholdFacts {
                deputy: person_id,
                deputy_regions: &deputy_regions,
                region: &region,
            };
            let may = household::may_read_contact(scope, &facts);
            h.shown_phone = h.phone.masked();
            if may {
                shown += 1;
                h.shown_name = h.name.expose().to_owned();
                h.shown_address = h.address.clone();
                if detail == HouseholdDetail::Contact {
                    h.shown_phone = h.phone.expose().to_owned();
                }
            } else {
                h.shown_name = h.name.masked();
            }
        }
        if detail == HouseholdDetail::Contact && shown == 0 {
            return Err(StoreError::Forbidden);
        }
        if shown > 0 {
            let field = match detail {
                HouseholdDetail::List => "household_names",
                HouseholdDetail::Contact => "household_contact",
            };
            let region = deputy_regions.first();
            let audit = serde_json::json!({ "field": field, "count": shown }).to_string();
            self.audit_alone(
                actor,
                AuditAction::PersonalRead,
                &format!("person:{person_id}"),
                region,
                &audit,
            )
            .await?;
        }
        Ok(rows)
    }

    /// Links a household to a deputy (staff over the household's region and the deputy).
    pub async fn add_household(
        &self,
        scope: &Scope,
        actor: &Actor,
        person_id: i64,
        h: &HouseholdInput,
    ) -> Result<i64> {
        self.household_check(scope, HouseholdWrite::Link, person_id, &h.region)
            .await?;
        let mut tx = self.begin().await?;
        let (id,): (i64,) = with_tx!(&mut tx, c => {
            sqlx::query_as(
                "INSERT INTO linked_household (person_id, kind, name, phone, region_code, address, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(person_id).bind(h.kind.as_str()).bind(&h.name).bind(&h.phone).bind(h.region.as_str()).bind(&h.address)
            .bind(Utc::now()).fetch_one(&mut *c).await?
        });
        let detail = serde_json::json!({ "person": person_id, "kind": h.kind.as_str() }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::HouseholdCreate,
            &format!("household:{id}"),
            Some(&h.region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a meeting with a linked household of `person_id` (date not in the future): the deputy
    /// themself or staff over the household's region.
    pub async fn log_household_meeting(
        &self,
        scope: &Scope,
        actor: &Actor,
        person_id: i64,
        household_id: i64,
        on: NaiveDate,
        note: &str,
    ) -> Result<()> {
        let row: Option<(i64, String)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT person_id, region_code FROM linked_household WHERE id = $1")
                .bind(household_id).fetch_optional(p).await?
        });
        let (owner, region) = row.ok_or(StoreError::NotFound)?;
        // the household must be the named deputy's: a page's form cannot reach another's
        if owner != person_id {
            return Err(StoreError::NotFound);
        }
        let region = RegionCode::parse(&region).map_err(|_| StoreError::Corrupt(region))?;
        self.household_check(scope, HouseholdWrite::Meeting, owner, &region)
            .await?;
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("INSERT INTO household_meeting (household_id, met_on, note, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(household_id).bind(on).bind(note).bind(actor.account_id).bind(Utc::now()).execute(&mut *c).await?;
        });
        self.audit(
            &mut tx,
            actor,
            AuditAction::HouseholdMeeting,
            &format!("household:{household_id}"),
            Some(&region),
            "{}",
        )
        .await?;
        tx.commit().await
    }
}
