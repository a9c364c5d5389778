//! The work queue's station and deputy pickers: the stations and the deputies of a region inside the
//! caller's, each one read of at most [`CHOICES_MAX`] + 1 rows through the region's own index
//! (`station_region`, `mandate_scope`). A region with more (a city, a province, a large county) gets
//! no list: the caller narrows to a township first, so a picker never loads thousands of options.

use chrono::NaiveDate;
use liaison_domain::{RegionCode, Scope};

use crate::{Result, Store, StoreError};
use liaison_domain::opinion::access::is_staff as is_opinion_staff;

/// More than this many stations or deputies in a region: no list.
pub const CHOICES_MAX: usize = 300;

/// One option: (id, label). A station's id; a deputy's person id (what the queue filters on).
pub type Choice = (i64, String);

impl Store {
    /// The stations of `region` inside the caller's (open ones first, in region order); None when
    /// there are more than [`CHOICES_MAX`].
    pub async fn station_choices(
        &self,
        scope: &Scope,
        region: Option<&RegionCode>,
    ) -> Result<Option<Vec<Choice>>> {
        if !is_opinion_staff(scope) {
            return Err(StoreError::Forbidden);
        }
        let Some((lo, hi)) = scope.narrowed_range(region) else {
            return Ok(Some(vec![]));
        };
        let key = format!("station:{lo}:{hi}");
        if let Some(kept) = self.reference.choices.get(&key) {
            return Ok(kept);
        }
        let out = self.station_choices_in(&lo, &hi).await?;
        self.reference.choices.put(&key, &out);
        Ok(out)
    }

    async fn station_choices_in(&self, lo: &str, hi: &str) -> Result<Option<Vec<Choice>>> {
        let rows: Vec<(i64, String, Option<NaiveDate>)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT s.id, s.name, s.closed_on FROM station s WHERE s.region_code BETWEEN $1 AND $2 \
                 ORDER BY s.region_code, s.id LIMIT $3",
            )
            .bind(lo).bind(hi).bind(CHOICES_MAX as i64 + 1).fetch_all(p).await?
        });
        if rows.len() > CHOICES_MAX {
            return Ok(None);
        }
        let (open, closed): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.2.is_none());
        Ok(Some(
            open.into_iter()
                .map(|(id, name, _)| (id, name))
                .chain(
                    closed
                        .into_iter()
                        .map(|(id, name, _)| (id, format!("{name}（已撤销）"))),
                )
                .collect(),
        ))
    }

    /// The deputies elected in `region` inside the caller's (by constituency), one option per person,
    /// by name, those in office first; None when the region has more than [`CHOICES_MAX`] mandates.
    pub async fn deputy_choices(
        &self,
        scope: &Scope,
        region: Option<&RegionCode>,
    ) -> Result<Option<Vec<Choice>>> {
        if !is_opinion_staff(scope) {
            return Err(StoreError::Forbidden);
        }
        let Some((lo, hi)) = scope.narrowed_range(region) else {
            return Ok(Some(vec![]));
        };
        let key = format!("deputy:{lo}:{hi}");
        if let Some(kept) = self.reference.choices.get(&key) {
            return Ok(kept);
        }
        let out = self.deputy_choices_in(&lo, &hi).await?;
        self.reference.choices.put(&key, &out);
        Ok(out)
    }

    async fn deputy_choices_in(&self, lo: &str, hi: &str) -> Result<Option<Vec<Choice>>> {
        let rows: Vec<(i64, String, String, String)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT m.person_id, p.name, r.name, m.status FROM mandate m JOIN person p ON p.id = m.person_id \
                 JOIN region r ON r.code = m.constituency_region \
                 WHERE m.constituency_region BETWEEN $1 AND $2 ORDER BY m.constituency_region, m.id LIMIT $3",
            )
            .bind(lo).bind(hi).bind(CHOICES_MAX as i64 + 1).fetch_all(p).await?
        });
        if rows.len() > CHOICES_MAX {
            return Ok(None);
        }
        // one entry per person: (person, name, where, in office under any mandate)
        let mut people: Vec<(i64, String, String, bool)> = Vec::new();
        for (person, name, place, status) in rows {
            let in_office = status == "in_office";
            match people.iter_mut().find(|p| p.0 == person) {
                Some(p) => p.3 |= in_office,
                None => people.push((
                    person,
                    name,
                    liaison_domain::region::short_name(&place),
                    in_office,
                )),
            }
        }
        people.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.1.cmp(&b.1)).then(a.0.cmp(&b.0)));
        let namesake = |name: &str| people.iter().filter(|p| p.1 == name).count() > 1;
        Ok(Some(
            people
                .iter()
                .map(|(id, name, place, in_office)| {
                    let mut label = name.clone();
                    if namesake(name) {
                        label.push_str(&format!("（{place}）"));
                    }
                    if !in_office {
                        label.push_str("（已离任）");
                    }
                    (*id, label)
                })
                .collect(),
        ))
    }
}
