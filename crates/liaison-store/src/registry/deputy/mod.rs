//! Deputies: a `person` holds one or more `mandate`s (level x congress x term). Scope follows the
//! mandate's constituency region. Phone numbers are personal information: read only through
//! [`Store::deputy_contact`], which audits every read.

use chrono::NaiveDate;
use liaison_domain::registry::deputy::{DeputyLevel, Gender};
use liaison_domain::{Permission, RegionCode, Scope};
use serde::Serialize;

use crate::Cursor;
use crate::{Result, Store, StoreError};

/// The columns of [`Deputy`] (a literal, so queries stay `&'static str`); each query adds its FROM.
macro_rules! deputy_select {
    () => {
        "SELECT m.id AS mandate_id, p.id AS person_id, p.name, p.gender, p.ethnicity, p.birth_year, p.party, \
         p.occupation, p.employer, m.level, m.congress_region, m.term, m.constituency, m.constituency_region, \
         r.name AS constituency_region_name, m.deputy_group, m.expert_group, m.status, m.left_on, m.left_reason"
    };
}

mod contact;
mod edit;
mod photo;
mod register;

pub use register::DeputyInput;

/// One mandate with its person, as lists and detail pages show it (no phone).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Deputy {
    pub mandate_id: i64,
    pub person_id: i64,
    pub name: String,
    pub gender: String,
    pub ethnicity: String,
    pub birth_year: Option<i32>,
    pub party: String,
    pub occupation: String,
    pub employer: String,
    pub level: String,
    pub congress_region: String,
    pub term: i32,
    pub constituency: String,
    pub constituency_region: String,
    pub constituency_region_name: String,
    pub deputy_group: String,
    pub expert_group: String,
    pub status: String,
    pub left_on: Option<NaiveDate>,
    pub left_reason: String,
}

impl Deputy {
    pub fn level_label(&self) -> &'static str {
        DeputyLevel::parse(&self.level)
            .map(|l| l.label())
            .unwrap_or("人大代表")
    }

    pub fn gender_label(&self) -> &'static str {
        Gender::parse(&self.gender).map(|g| g.label()).unwrap_or("")
    }

    pub fn in_office(&self) -> bool {
        self.status == "in_office"
    }
}

#[derive(Debug, Clone, Default)]
pub struct DeputyFilter {
    pub region: Option<RegionCode>,
    pub level: Option<DeputyLevel>,
    pub term: Option<i32>,
    /// `Some(true)`: in office only; `Some(false)`: left only.
    pub in_office: Option<bool>,
    pub q: Option<String>,
}

impl Store {
    /// Deputies (mandates) of the caller's subtree with filters, in (constituency region, id) order after
    /// `after`. That order is the `mandate_scope` index's, so a page stops after `limit` rows even at
    /// province scale instead of sorting the whole subtree.
    pub async fn deputies(
        &self,
        scope: &Scope,
        f: &DeputyFilter,
        after: Option<&Cursor>,
        limit: i64,
    ) -> Result<Vec<Deputy>> {
        if !scope.can(Permission::ViewRegistry) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = scope
            .filter_range(f.region.as_ref())
            .ok_or(StoreError::OutOfScope)?;
        // a name prefix: LIKE for the meaning, a range so an index on the name can serve it
        let prefix = f.q.as_ref().map(|q| q.replace(['%', '_', '\\'], ""));
        let pattern = prefix.as_ref().map(|q| format!("{q}%"));
        let upper = prefix.as_ref().map(|q| format!("{q}\u{10FFFF}"));
        let status = f.in_office.map(|b| if b { "in_office" } else { "left" });
        let (after_region, after_id) = Cursor::split(after);
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Deputy>(
                concat!(deputy_select!(), " FROM mandate m JOIN person p ON p.id = m.person_id JOIN region r ON r.code = m.constituency_region \
                 WHERE m.constituency_region BETWEEN $1 AND $2 AND (m.constituency_region, m.id) > ($3, $4) \
                   AND ($5 IS NULL OR m.level = $5) AND ($6 IS NULL OR m.term = $6) \
                   AND ($7 IS NULL OR m.status = $7) \
                   AND ($8 IS NULL OR (p.name LIKE $8 AND p.name >= $9 AND p.name < $10)) \
                 ORDER BY m.constituency_region, m.id LIMIT $11"),
            )
            .bind(&lo).bind(&hi).bind(after_region).bind(after_id).bind(f.level.map(|l| l.as_str())).bind(f.term)
            .bind(status).bind(&pattern).bind(&prefix).bind(&upper).bind(limit)
            .fetch_all(p).await?
        });
        Ok(rows)
    }

    /// One mandate of the caller's subtree.
    /// The deputy themself may read their own mandates without the registry (`is_self`).
    pub async fn deputy(&self, scope: &Scope, mandate_id: i64) -> Result<Deputy> {
        let viewer = scope.can(Permission::ViewRegistry);
        if !viewer && scope.person_id.is_none() {
            return Err(StoreError::Forbidden);
        }
        let d = self
            .deputy_unscoped(mandate_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if liaison_domain::registry::deputy::is_self(scope, d.person_id) {
            return Ok(d);
        }
        if !viewer {
            return Err(StoreError::Forbidden);
        }
        let code = RegionCode::parse(&d.constituency_region)
            .map_err(|_| StoreError::Corrupt(d.constituency_region.clone()))?;
        if !scope.covers(&code) {
            return Err(StoreError::OutOfScope);
        }
        Ok(d)
    }

    /// For public pages (the card behind a QR code): callers show nothing private.
    pub async fn deputy_unscoped(&self, mandate_id: i64) -> Result<Option<Deputy>> {
        let d = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Deputy>(
                concat!(deputy_select!(), " FROM mandate m JOIN person p ON p.id = m.person_id JOIN region r ON r.code = m.constituency_region \
                 WHERE m.id = $1"),
            )
            .bind(mandate_id).fetch_optional(p).await?
        });
        Ok(d)
    }

    /// Every mandate of a person, for the public card (callers show public fields only).
    pub async fn mandates_of_person(&self, person_id: i64) -> Result<Vec<Deputy>> {
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Deputy>(
                concat!(deputy_select!(), " FROM mandate m JOIN person p ON p.id = m.person_id JOIN region r ON r.code = m.constituency_region \
                 WHERE m.person_id = $1 \
                 ORDER BY CASE m.level WHEN 'national' THEN 1 WHEN 'provincial' THEN 2 WHEN 'city' THEN 3 \
                 WHEN 'county' THEN 4 ELSE 5 END"),
            )
            .bind(person_id).fetch_all(p).await?
        });
        Ok(rows)
    }

    /// Deputies in office whose constituency lies in `region`'s subtree or in one of its ancestors'
    /// constituencies that cover it (码上找代表): everyone a voter of `region` can turn to.
    pub async fn deputies_for_voters(&self, region: &RegionCode, limit: i64) -> Result<Vec<Deputy>> {
        // a voter of a village is represented by deputies elected there, in its township, and in the
        // county/city/province constituencies containing it: the lineage codes, plus the subtree itself
        let lineage: Vec<String> = region.lineage().into_iter().map(String::from).collect();
        let at = |i: usize| lineage.get(i).or(lineage.last()).cloned().unwrap_or_default();
        let (lo, hi) = region.subtree_range();
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Deputy>(
                concat!(deputy_select!(), " FROM mandate m JOIN person p ON p.id = m.person_id JOIN region r ON r.code = m.constituency_region \
                 WHERE m.status = 'in_office' AND (m.constituency_region BETWEEN $1 AND $2 \
                    OR m.constituency_region IN ($3, $4, $5, $6, $7)) \
                 ORDER BY CASE m.level WHEN 'national' THEN 1 WHEN 'provincial' THEN 2 WHEN 'city' THEN 3 \
                 WHEN 'county' THEN 4 ELSE 5 END, p.name LIMIT $8"),
            )
            .bind(&lo).bind(&hi).bind(at(0)).bind(at(1)).bind(at(2)).bind(at(3)).bind(at(4)).bind(limit)
            .fetch_all(p).await?
        });
        Ok(rows)
    }
}
