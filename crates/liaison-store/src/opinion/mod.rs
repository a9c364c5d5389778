//! Opinions (群众意见): the item row and its parts, the scoped read that proves the caller may see one
//! (`read`), the actions (`act`: each an event, checked by the domain state machine replayed from the
//! history), intake, queues, notices, supervision, duplicates, the citizen's tracking view and the
//! public list (`public`); `backdate` dates a demo item's history into the past (demo data only). Who
//! may do what is decided by `liaison_domain::opinion::access`.

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

pub mod act;
mod alert;
pub mod attachment;
mod backdate;
pub mod duplicate;
pub mod figures;
mod follower;
pub mod intake;
pub mod note;
pub mod notify;
mod public;
pub mod queue;
mod read;
pub mod route;
#[cfg(feature = "bench-data")]
pub mod scale;
mod supervise;
pub mod tally;
pub mod tools;

use chrono::{DateTime, Utc};
pub use liaison_domain::opinion::access::Relation;
use liaison_domain::opinion::access::{self, ItemFacts};
use liaison_domain::opinion::{Action, Capacity, Channel, Satisfaction, Stage, Status};
use std::sync::Arc;

use liaison_domain::mask::{PublicPhones, Redactor};
use liaison_domain::personal::{CitizenName, CitizenPhone};
use liaison_domain::{RegionCode, Scope};
use serde::Serialize;

use crate::{StoreError, Visible};

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
    /// Personal information: shown masked; the text only through the audited contact read.
    #[sqlx(try_from = "String")]
    pub citizen_name: CitizenName,
    #[sqlx(try_from = "String")]
    pub citizen_phone: CitizenPhone,
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

    /// The citizen's verdict at the follow-up (stored as `rating`).
    pub fn satisfaction(&self) -> Option<Satisfaction> {
        self.rating.as_deref().and_then(Satisfaction::parse)
    }

    pub fn satisfaction_label(&self) -> &'static str {
        self.satisfaction().map_or("", |r| r.label())
    }

    pub fn has_contact(&self) -> bool {
        !self.citizen_name.is_empty() || !self.citizen_phone.is_empty()
    }

    /// The status as the cached columns hold it (they are written from the replayed history).
    pub fn status(&self) -> Status {
        Status {
            stage: self.stage(),
            deputy_first: self.channel().deputy_first(),
            unit: self.lead_unit_id,
            reopens: self.reopen_count.max(0) as u32,
            returns: self.return_count.max(0) as u32,
            escalated: self.escalated,
            satisfaction: self.satisfaction(),
        }
    }

    /// The region the item lies in.
    pub fn region(&self) -> Result<RegionCode, StoreError> {
        RegionCode::parse(&self.region_code).map_err(|_| StoreError::Corrupt(self.region_code.clone()))
    }

    /// What access depends on; `units` are the units it is assigned to (lead and co-units).
    pub fn facts<'a>(&'a self, region: &'a RegionCode, units: &'a [i64]) -> ItemFacts<'a> {
        ItemFacts {
            region,
            station_id: self.station_id,
            person_id: self.person_id,
            unit_ids: units,
            lead_unit_id: self.lead_unit_id,
            escalated: self.escalated,
            share_contact: self.share_contact,
        }
    }

    /// The text proposed for the public list (staff review it before publishing), cleaned by
    /// [`Store::public_redactor`](crate::Store::public_redactor).
    pub fn proposed_public_text(&self, r: &Redactor) -> String {
        liaison_domain::opinion::proposed_public_text(
            &self.category_label,
            &self.region_name,
            &self.description,
            &self.answer,
            r,
        )
    }

    /// What cleans this item's words for public eyes: every number but `public` ones, and the
    /// citizen's name (see [`Store::public_redactor`](crate::Store::public_redactor)).
    pub fn redactor(&self, public: Arc<PublicPhones>) -> Redactor {
        Redactor::new(public).with_name(self.citizen_name.expose())
    }

    /// The item's words as a reader without the need to know sees them.
    pub(crate) fn redact(&mut self, r: &Redactor) {
        self.description = r.text(&self.description);
        self.answer = r.text(&self.answer);
        self.public_text = r.text(&self.public_text);
    }
}

impl Visible<Opinion> {
    /// The capacities in which `scope` may act on the item now (the escalation rule included).
    pub fn capacities(&self, scope: &Scope) -> Vec<Capacity> {
        match self.region() {
            Ok(region) => access::capacities(scope, &self.facts(&region, &[]), self.relation()),
            Err(_) => vec![],
        }
    }

    /// May read the citizen's name and phone (each read audited), and the item's words unmasked
    /// (the rule: `access::may_read_contact`).
    pub fn may_read_contact(&self) -> bool {
        match self.region() {
            Ok(region) => access::may_read_contact(self.relation(), &self.facts(&region, &[])),
            Err(_) => false,
        }
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
    /// Files a unit's reply carries (答复附件), stored already; only a reply takes them.
    pub attachments: Vec<attachment::NewAttachment>,
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
