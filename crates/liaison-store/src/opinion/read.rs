//! Reading one opinion through the caller's scope (the [`Visible`] proof), and the reads and small
//! writes of its parts: history, photos, units, the audited contact read, photo visibility.
//!
//! This is where an item's words leave the store, so this is where they are masked: a caller who may
//! not read the citizen's contact (`access::may_read_contact`: a handling unit the citizen did not
//! allow) gets the description, the answer, every event note and internal note with the numbers that
//! are not public and the citizen's name masked — whatever page, export or API shows them.

use liaison_domain::audit::AuditAction;
use liaison_domain::mask::Redactor;
use liaison_domain::opinion::access;
use liaison_domain::{Permission, RegionCode, Scope};

use crate::opinion::{Event, Opinion, Photo, Relation};
use crate::{Actor, Result, Store, StoreError, Visible};

impl Store {
    pub(crate) async fn opinion_row(&self, id: i64) -> Result<Opinion> {
        with_pool!(&self.read, p => {
            sqlx::query_as::<_, Opinion>(concat!(opinion_select!(), "WHERE o.id = $1")).bind(id).fetch_optional(p).await?
        })
        .ok_or(StoreError::NotFound)
    }

    pub(crate) async fn unit_ids(&self, id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT unit_id FROM opinion_unit WHERE opinion_id = $1").bind(id).fetch_all(p).await?
        });
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// What `scope` is on the item (the rules: `access::relation`); `OutOfScope` when nothing.
    async fn opinion_relation(&self, scope: &Scope, o: &Opinion) -> Result<Relation> {
        let region = o.region()?;
        // the assigned units matter only to a unit's account
        let units = match scope.unit_id {
            Some(_) if scope.can(Permission::AnswerAsUnit) => self.unit_ids(o.id).await?,
            _ => vec![],
        };
        let r = access::relation(scope, &o.facts(&region, &units));
        if r.any() {
            Ok(r)
        } else {
            Err(StoreError::OutOfScope)
        }
    }

    /// An item the caller may see, with what they are on it: the proof the item's other reads take.
    /// Its words come masked when the caller may not read the citizen's contact.
    pub async fn opinion(&self, scope: &Scope, id: i64) -> Result<Visible<Opinion>> {
        let o = self.opinion_row(id).await?;
        let relation = self.opinion_relation(scope, &o).await?;
        let mut o = Visible::vouch(o, relation);
        if let Some(r) = self.masking_for(&o).await? {
            o.map_in_place(|o| o.redact(&r));
        }
        Ok(o)
    }

    /// What cleans an item's words for public eyes: the deployment's public numbers are kept, every
    /// other number and the citizen's name masked (the proposed public text, the public list).
    pub async fn public_redactor(&self, o: &Opinion) -> Result<Redactor> {
        Ok(o.redactor(self.public_phones().await?))
    }

    /// The redactor for a caller who may not read the citizen's contact; `None` for one who may.
    pub(crate) async fn masking_for(&self, o: &Visible<Opinion>) -> Result<Option<Redactor>> {
        if o.may_read_contact() {
            Ok(None)
        } else {
            self.public_redactor(o).await.map(Some)
        }
    }

    /// The citizen's name and phone, for a caller allowed to see them; the read is audited.
    pub async fn opinion_contact(&self, scope: &Scope, actor: &Actor, id: i64) -> Result<(String, String)> {
        let o = self.opinion(scope, id).await?;
        if !o.may_read_contact() {
            return Err(StoreError::Forbidden);
        }
        let region = RegionCode::parse(&o.region_code).ok();
        let mut tx = self.begin().await?;
        self.audit(
            &mut tx,
            actor,
            AuditAction::PersonalRead,
            &format!("opinion:{id}"),
            region.as_ref(),
            "{\"field\":\"citizen_contact\"}",
        )
        .await?;
        tx.commit().await?;
        Ok((
            o.citizen_name.expose().to_owned(),
            o.citizen_phone.expose().to_owned(),
        ))
    }

    /// The item's history, oldest first; the notes masked for a caller who may not read the contact.
    pub async fn opinion_events(&self, o: &Visible<Opinion>) -> Result<Vec<Event>> {
        let id = o.id;
        let mut events = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Event>(
                "SELECT e.seq, e.action, e.actor, a.display_name AS account_name, e.from_stage, e.to_stage, e.note, e.data, e.at \
                 FROM opinion_event e LEFT JOIN account a ON a.id = e.account_id WHERE e.opinion_id = $1 ORDER BY e.seq",
            )
            .bind(id).fetch_all(p).await?
        });
        if let Some(r) = self.masking_for(o).await? {
            for e in &mut events {
                // `data` is the action's fields (ids, codes), never words
                e.note = r.text(&e.note);
            }
        }
        Ok(events)
    }

    /// The item's photos (hidden ones included: the caller decides what to show).
    pub async fn opinion_photos(&self, o: &Visible<Opinion>) -> Result<Vec<Photo>> {
        let id = o.id;
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, Photo>("SELECT id, opinion_id, blob, hidden FROM opinion_photo WHERE opinion_id = $1 ORDER BY id")
                .bind(id).fetch_all(p).await?
        }))
    }

    /// Co-units and the lead: (unit id, name, lead).
    pub async fn opinion_units(&self, o: &Visible<Opinion>) -> Result<Vec<(i64, String, bool)>> {
        let id = o.id;
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT u.id, u.name, ou.lead FROM opinion_unit ou JOIN handling_unit u ON u.id = ou.unit_id \
                 WHERE ou.opinion_id = $1 ORDER BY ou.lead DESC, u.name",
            )
            .bind(id).fetch_all(p).await?
        }))
    }

    /// A photo of an item the caller may see (staff pages).
    pub async fn opinion_photo(&self, scope: &Scope, photo: i64) -> Result<String> {
        let row: Option<(i64, String)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT opinion_id, blob FROM opinion_photo WHERE id = $1").bind(photo).fetch_optional(p).await?
        });
        let (opinion, blob) = row.ok_or(StoreError::NotFound)?;
        self.opinion(scope, opinion).await?;
        Ok(blob)
    }

    /// Hides (or shows again) a photo from public view; staff only, audited.
    pub async fn set_photo_hidden(
        &self,
        scope: &Scope,
        actor: &Actor,
        photo: i64,
        hidden: bool,
    ) -> Result<i64> {
        let row: Option<(i64,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT opinion_id FROM opinion_photo WHERE id = $1").bind(photo).fetch_optional(p).await?
        });
        let opinion = row.ok_or(StoreError::NotFound)?.0;
        let o = self.opinion(scope, opinion).await?;
        if !o.relation().staff {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE opinion_photo SET hidden = $1 WHERE id = $2").bind(hidden).bind(photo).execute(&mut *c).await?;
        });
        let region = RegionCode::parse(&o.region_code).ok();
        let detail = serde_json::json!({ "photo": photo, "hidden": hidden }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::OpinionPhotoVisibility,
            &format!("opinion:{opinion}"),
            region.as_ref(),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(opinion)
    }

    /// The decline reasons (data): (code, label).
    /// Kept a minute (`reference`: data from the migrations).
    pub async fn decline_reasons(&self) -> Result<Vec<(String, String)>> {
        if let Some(kept) = self.reference.decline_reasons.get("") {
            return Ok(kept);
        }
        let rows: Vec<(String, String)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT code, label FROM decline_reason WHERE active = TRUE ORDER BY position").fetch_all(p).await?
        });
        self.reference.decline_reasons.put("", &rows);
        Ok(rows)
    }
}
