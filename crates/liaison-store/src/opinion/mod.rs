//! Opinions after intake: who may see and act on one, the actions (each an event, checked by the
//! domain state machine replayed from the history), staff queues, the citizen's tracking view and the
//! public list of published outcomes.

pub mod act;
mod alert;
pub mod duplicate;
mod follower;
pub mod intake;
pub mod note;
pub mod queue;
pub mod scale;
pub mod tools;

use chrono::{DateTime, Utc};
use liaison_domain::opinion::{self, Action, Channel, Stage};
use liaison_domain::{RegionCode, Role, Scope};
use serde::Serialize;

use crate::page::TimeCursor;
use crate::{Actor, Result, Store, StoreError};

macro_rules! opinion_select {
    () => {
        "SELECT o.id, o.receipt, o.channel, o.person_id, o.station_id, o.region_code, r.name AS region_name, \
         o.category, c.label AS category_label, o.description, o.citizen_name, o.citizen_phone, o.phone_last4, \
         o.callback_ok, o.share_contact, o.recorded_by, o.stage, o.holder, o.escalated, o.lead_unit_id, \
         u.name AS lead_unit_name, o.reopen_count, o.return_count, o.rating, o.answer, o.public_text, o.event_count, \
         o.submitted_at, o.updated_at, o.closed_at, o.published_at, o.stage_at, o.due_at, o.key_supervision, \
         o.supervisor, o.merged_into, \
         (SELECT p.name FROM person p WHERE p.id = o.person_id) AS deputy_name, \
         (SELECT s.name FROM station s WHERE s.id = o.station_id) AS station_name \
         FROM opinion o JOIN region r ON r.code = o.region_code JOIN category c ON c.code = o.category \
         LEFT JOIN handling_unit u ON u.id = o.lead_unit_id "
    };
}

/// The item columns every list reads (`o` = opinion), for queries built elsewhere in the store.
pub(crate) fn opinion_select_sql() -> &'static str {
    opinion_select!()
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Opinion {
    pub id: i64,
    pub receipt: String,
    pub channel: String,
    pub person_id: Option<i64>,
    pub station_id: Option<i64>,
    pub region_code: String,
    pub region_name: String,
    pub category: String,
    pub category_label: String,
    pub description: String,
    /// Personal information: callers mask it unless the viewer may see it.
    pub citizen_name: String,
    pub citizen_phone: String,
    pub phone_last4: String,
    pub callback_ok: bool,
    pub share_contact: bool,
    pub recorded_by: Option<i64>,
    pub stage: String,
    pub holder: String,
    pub escalated: bool,
    pub lead_unit_id: Option<i64>,
    pub lead_unit_name: Option<String>,
    pub reopen_count: i32,
    pub return_count: i32,
    pub rating: Option<String>,
    pub answer: String,
    pub public_text: String,
    pub event_count: i32,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    /// When the current stage began, and when its holder must have acted (deadline rules).
    pub stage_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    /// 重点督办, with the supervising leader.
    pub key_supervision: bool,
    pub supervisor: String,
    /// A duplicate merged into another item.
    pub merged_into: Option<i64>,
    pub deputy_name: Option<String>,
    pub station_name: Option<String>,
}

impl Opinion {
    pub fn stage(&self) -> Stage {
        Stage::parse(&self.stage).unwrap_or(Stage::Submitted)
    }

    pub fn channel(&self) -> Channel {
        Channel::parse(&self.channel).unwrap_or(Channel::StationCode)
    }

    pub fn rating_label(&self) -> &'static str {
        self.rating
            .as_deref()
            .and_then(opinion::Rating::parse)
            .map_or("", |r| r.label())
    }

    pub fn has_contact(&self) -> bool {
        !self.citizen_name.is_empty() || !self.citizen_phone.is_empty()
    }
}

/// One step of an item's history.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Event {
    pub seq: i32,
    pub action: String,
    pub actor: String,
    pub account_name: Option<String>,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub note: String,
    pub data: String,
    pub at: DateTime<Utc>,
}

impl Event {
    pub fn action_label(&self) -> &'static str {
        match self.action.as_str() {
            "submit" => "提交",
            a => serde_json::from_str::<Action>(&self.data)
                .map(|x| x.label())
                .unwrap_or(if a.is_empty() { "" } else { "处理" }),
        }
    }

    pub fn stage_label(&self) -> &'static str {
        Stage::parse(&self.to_stage).map_or("", |s| s.label())
    }

    pub fn public_stage_label(&self) -> &'static str {
        Stage::parse(&self.to_stage).map_or("", |s| s.public_label())
    }

    pub fn actor_label(&self) -> &'static str {
        match self.actor.as_str() {
            "citizen" => "群众",
            "deputy" => "代表",
            "unit" => "承办单位",
            _ => "工作人员",
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Photo {
    pub id: i64,
    pub opinion_id: i64,
    pub blob: String,
    pub hidden: bool,
}

/// What comes with an action besides the action itself.
#[derive(Debug, Clone, Default)]
pub struct ActInput {
    /// Comment, reply, answer or follow-up note (required where the action needs words).
    pub note: String,
    /// Decline reason code (from `decline_reason`).
    pub reason: Option<String>,
    /// Co-units for an assignment.
    pub co_units: Vec<i64>,
    /// The reviewed public text for publication.
    pub public_text: Option<String>,
}

/// Which queue to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Items that reached this deputy.
    Deputy(i64),
    /// Items assigned to this unit (lead or co).
    Unit(i64),
    /// Items of the caller's region (staff).
    Region,
}

/// What the caller is on an item (several at once are possible, e.g. a township clerk who is also
/// the deputy it reached).
#[derive(Debug, Clone, Copy, Default)]
pub struct Roles {
    pub staff: bool,
    pub deputy: bool,
    pub unit: bool,
}

impl Roles {
    pub fn any(self) -> bool {
        self.staff || self.deputy || self.unit
    }

    /// May see the citizen's name and phone (each read audited): staff and the deputy it reached;
    /// the unit only when the citizen allowed it.
    pub fn contact(self, o: &Opinion) -> bool {
        self.staff || self.deputy || (self.unit && o.share_contact)
    }
}

/// Staff who handle opinions: township and committee staff, and station managers.
pub fn is_opinion_staff(scope: &Scope) -> bool {
    scope.has(Role::TownshipStaff) || scope.has(Role::CommitteeStaff) || scope.has(Role::StationManager)
}

/// A station manager without a wider staff role acts for their own station only.
pub fn station_only(scope: &Scope) -> bool {
    scope.has(Role::StationManager) && !scope.has(Role::TownshipStaff) && !scope.has(Role::CommitteeStaff)
}

impl Store {
    pub(crate) async fn opinion_row(&self, id: i64) -> Result<Opinion> {
        with_pool!(&self.read, p => {
            sqlx::query_as::<_, Opinion>(concat!(opinion_select!(), "WHERE o.id = $1")).bind(id).fetch_optional(p).await?
        })
        .ok_or(StoreError::NotFound)
    }

    async fn unit_ids(&self, id: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT unit_id FROM opinion_unit WHERE opinion_id = $1").bind(id).fetch_all(p).await?
        });
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// What `scope` is on the item; `OutOfScope` when nothing.
    pub async fn opinion_roles(&self, scope: &Scope, o: &Opinion) -> Result<Roles> {
        let region =
            RegionCode::parse(&o.region_code).map_err(|_| StoreError::Corrupt(o.region_code.clone()))?;
        let staff = is_opinion_staff(scope)
            && scope.covers(&region)
            && (!station_only(scope) || (scope.station_id.is_some() && scope.station_id == o.station_id));
        let deputy = scope.has(Role::Deputy) && scope.person_id.is_some() && scope.person_id == o.person_id;
        let unit = match scope.unit_id {
            Some(u) if scope.has(Role::HandlingUnit) => self.unit_ids(o.id).await?.contains(&u),
            _ => false,
        };
        let r = Roles { staff, deputy, unit };
        if r.any() {
            Ok(r)
        } else {
            Err(StoreError::OutOfScope)
        }
    }

    /// An item and what the caller is on it.
    pub async fn opinion(&self, scope: &Scope, id: i64) -> Result<(Opinion, Roles)> {
        let o = self.opinion_row(id).await?;
        let roles = self.opinion_roles(scope, &o).await?;
        Ok((o, roles))
    }

    /// The citizen's name and phone, for a caller allowed to see them; the read is audited.
    pub async fn opinion_contact(&self, scope: &Scope, actor: &Actor, id: i64) -> Result<(String, String)> {
        let (o, roles) = self.opinion(scope, id).await?;
        if !roles.contact(&o) {
            return Err(StoreError::Forbidden);
        }
        let region = RegionCode::parse(&o.region_code).ok();
        let mut tx = self.begin().await?;
        self.audit(
            &mut tx,
            actor,
            "personal.read",
            &format!("opinion:{id}"),
            region.as_ref(),
            "{\"field\":\"citizen_contact\"}",
        )
        .await?;
        tx.commit().await?;
        Ok((o.citizen_name, o.citizen_phone))
    }

    pub async fn opinion_events(&self, id: i64) -> Result<Vec<Event>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, Event>(
                "SELECT e.seq, e.action, e.actor, a.display_name AS account_name, e.from_stage, e.to_stage, e.note, e.data, e.at \
                 FROM opinion_event e LEFT JOIN account a ON a.id = e.account_id WHERE e.opinion_id = $1 ORDER BY e.seq",
            )
            .bind(id).fetch_all(p).await?
        }))
    }

    pub async fn opinion_photos(&self, id: i64) -> Result<Vec<Photo>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, Photo>("SELECT id, opinion_id, blob, hidden FROM opinion_photo WHERE opinion_id = $1 ORDER BY id")
                .bind(id).fetch_all(p).await?
        }))
    }

    /// Co-units and the lead: (unit id, name, lead).
    pub async fn opinion_units(&self, id: i64) -> Result<Vec<(i64, String, bool)>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT u.id, u.name, ou.lead FROM opinion_unit ou JOIN handling_unit u ON u.id = ou.unit_id \
                 WHERE ou.opinion_id = $1 ORDER BY ou.lead DESC, u.name",
            )
            .bind(id).fetch_all(p).await?
        }))
    }

    /// A staff, deputy or unit queue, newest first, keyset by id. `stages` empty = all.
    pub async fn opinion_queue(
        &self,
        scope: &Scope,
        queue: Queue,
        stages: &[Stage],
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Opinion>> {
        let (lo, hi) = scope.range();
        let stage_list: Vec<&str> = if stages.is_empty() {
            Stage::ALL.iter().map(|s| s.as_str()).collect()
        } else {
            stages.iter().map(|s| s.as_str()).collect()
        };
        let before = before.unwrap_or(i64::MAX);
        let stage_sql = stage_list
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ");
        // stage names come from the fixed enum above, never from input
        let rows = match queue {
            Queue::Deputy(person) => {
                if scope.person_id != Some(person) {
                    return Err(StoreError::Forbidden);
                }
                let sql = format!(
                    "{} WHERE o.person_id = $1 AND o.stage IN ({stage_sql}) AND o.id < $2 ORDER BY o.id DESC LIMIT $3",
                    opinion_select!()
                );
                with_pool!(&self.read, p => {
                    sqlx::query_as::<_, Opinion>(sqlx::AssertSqlSafe(sql)).bind(person).bind(before).bind(limit).fetch_all(p).await?
                })
            }
            Queue::Unit(unit) => {
                if scope.unit_id != Some(unit) {
                    return Err(StoreError::Forbidden);
                }
                let sql = format!(
                    "{} WHERE o.id IN (SELECT opinion_id FROM opinion_unit WHERE unit_id = $1) AND o.stage IN ({stage_sql}) \
                     AND o.id < $2 ORDER BY o.id DESC LIMIT $3",
                    opinion_select!()
                );
                with_pool!(&self.read, p => {
                    sqlx::query_as::<_, Opinion>(sqlx::AssertSqlSafe(sql)).bind(unit).bind(before).bind(limit).fetch_all(p).await?
                })
            }
            Queue::Region => {
                if !is_opinion_staff(scope) {
                    return Err(StoreError::Forbidden);
                }
                let station = if station_only(scope) {
                    scope.station_id.ok_or(StoreError::Forbidden)?
                } else {
                    0
                };
                let sql = format!(
                    "{} WHERE o.region_code BETWEEN $1 AND $2 AND ($3 = 0 OR o.station_id = $3) AND o.stage IN ({stage_sql}) \
                     AND o.id < $4 ORDER BY o.id DESC LIMIT $5",
                    opinion_select!()
                );
                with_pool!(&self.read, p => {
                    sqlx::query_as::<_, Opinion>(sqlx::AssertSqlSafe(sql)).bind(&lo).bind(&hi).bind(station).bind(before).bind(limit).fetch_all(p).await?
                })
            }
        };
        Ok(rows)
    }

    /// The citizen's view by receipt code. `last4` must match when a phone was given. Returns `None`
    /// for no such item or a wrong last-4 (indistinguishable to the caller).
    pub async fn track(&self, receipt: &str, last4: &str) -> Result<Option<Opinion>> {
        let o: Option<Opinion> = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Opinion>(concat!(opinion_select!(), "WHERE o.receipt = $1")).bind(receipt).fetch_optional(p).await?
        });
        let Some(mut o) = o.filter(|o| o.phone_last4.is_empty() || o.phone_last4 == last4.trim()) else {
            return Ok(None);
        };
        // a duplicate merged into another item follows the survivor's progress and answer
        // (to the end of a chain: the survivor may have been merged itself later)
        if let Some(survivor) = o.merged_into {
            let mut s = self.opinion_row(survivor).await?;
            for _ in 0..crate::opinion::follower::MAX_DEPTH {
                match s.merged_into {
                    Some(next) => s = self.opinion_row(next).await?,
                    None => break,
                }
            }
            o.stage = s.stage;
            o.answer = s.answer;
            o.rating = s.rating;
            o.updated_at = s.updated_at;
        }
        Ok(Some(o))
    }

    /// Published outcomes, newest first, in a region subtree and optionally one station.
    pub async fn published(
        &self,
        region: &RegionCode,
        station: Option<i64>,
        before: Option<TimeCursor>,
        limit: i64,
    ) -> Result<Vec<Opinion>> {
        let (lo, hi) = region.subtree_range();
        let far = DateTime::<Utc>::from_timestamp(253_402_214_400, 0).unwrap_or_default(); // 9999-12-31
        let (at, id) = before.map_or((far, i64::MAX), |c| (c.at, c.id));
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, Opinion>(concat!(
                opinion_select!(),
                "WHERE o.published_at IS NOT NULL AND o.region_code BETWEEN $1 AND $2 AND ($3 = 0 OR o.station_id = $3) \
                 AND (o.published_at < $4 OR (o.published_at = $4 AND o.id < $5)) \
                 ORDER BY o.published_at DESC, o.id DESC LIMIT $6"
            ))
            .bind(&lo).bind(&hi).bind(station.unwrap_or(0)).bind(at).bind(id).bind(limit).fetch_all(p).await?
        }))
    }

    /// A published item's photo that is not hidden (public).
    pub async fn public_opinion_photo(&self, photo: i64) -> Result<Option<String>> {
        let row: Option<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT ph.blob FROM opinion_photo ph JOIN opinion o ON o.id = ph.opinion_id \
                 WHERE ph.id = $1 AND ph.hidden = FALSE AND o.published_at IS NOT NULL",
            )
            .bind(photo).fetch_optional(p).await?
        });
        Ok(row.map(|r| r.0))
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
        let (o, roles) = self.opinion(scope, opinion).await?;
        if !roles.staff {
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
            "opinion.photo_visibility",
            &format!("opinion:{opinion}"),
            region.as_ref(),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(opinion)
    }

    /// The decline reasons (data): (code, label).
    pub async fn decline_reasons(&self) -> Result<Vec<(String, String)>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as("SELECT code, label FROM decline_reason WHERE active = TRUE ORDER BY position").fetch_all(p).await?
        }))
    }
}
