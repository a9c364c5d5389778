//! Editing one deputy's record in place: the person's attributes and the mandate's fields, checked
//! like a registration (the caller parses with the same rules), audited with the fields that changed.

use chrono::Utc;
use liaison_domain::audit::AuditAction;
use liaison_domain::{Permission, Scope};

use super::{Deputy, DeputyInput};
use crate::{Actor, Result, Store, StoreError};

/// The names of the fields an edit changes, for the audit row (never their values: the phone is
/// personal information).
fn changed_fields(d: &Deputy, i: &DeputyInput) -> Vec<&'static str> {
    let opt = |v: &Option<liaison_domain::RegionCode>| {
        v.as_ref().map(|r| r.as_str().to_owned()).unwrap_or_default()
    };
    let mut c = Vec::new();
    let pairs: [(&'static str, bool); 14] = [
        ("name", d.name != i.name),
        ("gender", Some(d.gender.as_str()) != i.gender.map(|g| g.as_str())),
        ("ethnicity", d.ethnicity != i.ethnicity),
        ("birth_year", d.birth_year != i.birth_year),
        ("party", d.party != i.party),
        ("occupation", d.occupation != i.occupation),
        ("employer", d.employer != i.employer),
        ("level", Some(d.level.as_str()) != i.level.map(|l| l.as_str())),
        ("congress_region", d.congress_region != opt(&i.congress_region)),
        ("term", Some(d.term) != i.term),
        ("constituency", d.constituency != i.constituency),
        (
            "constituency_region",
            d.constituency_region != opt(&i.constituency_region),
        ),
        ("deputy_group", d.deputy_group != i.deputy_group),
        ("expert_group", d.expert_group != i.expert_group),
    ];
    for (field, differs) in pairs {
        if differs {
            c.push(field);
        }
    }
    if !i.phone.is_empty() {
        c.push("phone");
    }
    c
}

impl Store {
    /// Saves an edited deputy: the mandate must be in the caller's subtree before and after (its
    /// constituency region), the person's attributes change for all their mandates. An empty phone
    /// keeps the number on file. `Conflict("mandate")` when the person already holds a mandate of that
    /// level, congress and term.
    pub async fn update_deputy(
        &self,
        scope: &Scope,
        actor: &Actor,
        mandate_id: i64,
        i: &DeputyInput,
    ) -> Result<()> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        let d = self.deputy(scope, mandate_id).await?;
        let (Some(level), Some(congress), Some(term), Some(region), Some(gender)) = (
            i.level,
            i.congress_region.as_ref(),
            i.term,
            i.constituency_region.as_ref(),
            i.gender,
        ) else {
            return Err(StoreError::Corrupt("deputy input not validated".into()));
        };
        if !scope.covers(region) {
            return Err(StoreError::OutOfScope);
        }
        let changed = changed_fields(&d, i);
        if changed.is_empty() {
            return Ok(());
        }
        let now = Utc::now();
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE person SET name = $1, gender = $2, ethnicity = $3, birth_year = $4, party = $5, \
                 occupation = $6, employer = $7, phone = CASE WHEN $8 = '' THEN phone ELSE $8 END, updated_at = $9 \
                 WHERE id = $10",
            )
            .bind(&i.name).bind(gender.as_str()).bind(&i.ethnicity).bind(i.birth_year).bind(&i.party)
            .bind(&i.occupation).bind(&i.employer).bind(&i.phone).bind(now).bind(d.person_id)
            .execute(&mut *c).await?;
        });
        with_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE mandate SET level = $1, congress_region = $2, term = $3, constituency = $4, \
                 constituency_region = $5, deputy_group = $6, expert_group = $7, updated_at = $8 WHERE id = $9",
            )
            .bind(level.as_str()).bind(congress.as_str()).bind(term).bind(&i.constituency)
            .bind(region.as_str()).bind(&i.deputy_group).bind(&i.expert_group).bind(now).bind(mandate_id)
            .execute(&mut *c).await.map_err(StoreError::unique("mandate"))?;
        });
        let detail = serde_json::json!({ "name": i.name, "via": "edit", "changed": changed }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::DeputyUpdate,
            &format!("mandate:{mandate_id}"),
            Some(region),
            &detail,
        )
        .await?;
        tx.commit().await
    }
}
