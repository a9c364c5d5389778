//! 代表建议、议案 in the store: meetings and their rules (`meeting`), the items and their scoped
//! read ([`Store::suggestion`], the only maker of a [`Seen`]), the workflow step (`act`: the shared
//! `workflow` piece over `suggestion_event`), the lists and the public board (`list`), and who hears
//! what (`notify`).

mod act;
pub mod board;
pub mod list;
pub mod meeting;
mod notify;
#[cfg(feature = "bench-data")]
pub mod scale;
mod step;
pub mod topics;

use chrono::{DateTime, NaiveDate, Utc};
use liaison_domain::suggestion::access::{self, Facts};
use liaison_domain::suggestion::{Action, Capacity, Kind, Origin, Stage, Status};
use liaison_domain::workflow::Workflow;
use liaison_domain::{RegionCode, Scope};
use serde::Serialize;

use crate::{Result, Store, StoreError};

pub use act::{NewSuggestion, StepInput};
pub use meeting::Meeting;

/// One suggestion as stored, with the names pages show.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Suggestion {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting_name: String,
    pub region_code: String,
    pub number: Option<i32>,
    pub kind: String,
    pub period: String,
    pub proposer_id: Option<i64>,
    pub proposer_name: Option<String>,
    pub group_name: String,
    pub title: String,
    pub body: String,
    pub category: String,
    pub category_label: Option<String>,
    pub min_cosigners: i32,
    pub stage: String,
    pub lead_unit_id: Option<i64>,
    pub lead_unit_name: Option<String>,
    pub reply_class: Option<String>,
    pub reply_text: String,
    pub explanation: String,
    pub planned_on: Option<NaiveDate>,
    pub satisfaction: Option<String>,
    pub reopen_count: i32,
    pub key_item: bool,
    pub supervisor: String,
    pub entered_by_staff: bool,
    pub event_count: i32,
    pub due_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub registered_at: Option<DateTime<Utc>>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub replied_at: Option<DateTime<Utc>>,
    pub rated_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The latest 会签 of a co-unit.
    pub signed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The SELECT of [`Suggestion`] (alias `s`).
pub(crate) const SELECT: &str = "SELECT s.id, s.meeting_id, g.name AS meeting_name, s.region_code, s.number, s.kind, \
     s.period, s.proposer_id, p.name AS proposer_name, s.group_name, s.title, s.body, s.category, \
     c.label AS category_label, s.min_cosigners, s.stage, s.lead_unit_id, u.name AS lead_unit_name, \
     s.reply_class, s.reply_text, s.explanation, s.planned_on, s.satisfaction, s.reopen_count, s.key_item, \
     s.supervisor, s.entered_by_staff, s.event_count, s.due_at, s.submitted_at, s.registered_at, \
     s.assigned_at, s.replied_at, s.rated_at, s.closed_at, \
     (SELECT MAX(x.signed_at) FROM suggestion_unit x WHERE x.suggestion_id = s.id AND x.lead = FALSE) AS signed_at, \
     s.created_at, s.updated_at \
     FROM suggestion s JOIN congress_meeting g ON g.id = s.meeting_id \
     LEFT JOIN person p ON p.id = s.proposer_id LEFT JOIN category c ON c.code = s.category \
     LEFT JOIN handling_unit u ON u.id = s.lead_unit_id";

impl Suggestion {
    pub fn stage(&self) -> Stage {
        Stage::parse(&self.stage).unwrap_or(Stage::Draft)
    }

    pub fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::Suggestion)
    }

    pub fn origin(&self) -> Origin {
        Origin {
            kind: self.kind(),
            min_cosigners: u32::try_from(self.min_cosigners).unwrap_or(0),
            proposer: self.proposer_id,
        }
    }

    pub fn region(&self) -> Result<RegionCode> {
        RegionCode::parse(&self.region_code).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// 第 N 号 once registered.
    pub fn number_label(&self) -> String {
        self.number.map(|n| format!("第{n}号")).unwrap_or_default()
    }
}

/// A co-signer of an item.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Cosigner {
    pub person_id: i64,
    pub name: String,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub by_staff: bool,
}

/// A unit on an item.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ItemUnit {
    pub unit_id: i64,
    pub name: String,
    pub lead: bool,
    pub signed_at: Option<DateTime<Utc>>,
}

/// A rating given.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Rating {
    pub person_id: i64,
    pub name: String,
    pub round: i32,
    pub satisfaction: String,
    pub comment: String,
    pub by_staff: bool,
    pub at: DateTime<Utc>,
}

/// A milestone of a class-B reply.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Milestone {
    pub id: i64,
    pub round: i32,
    pub due_on: NaiveDate,
    pub what: String,
    pub done_on: Option<NaiveDate>,
    pub done_note: String,
}

/// One event of an item's history.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Event {
    pub seq: i32,
    pub action: String,
    pub actor: String,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub note: String,
    pub at: DateTime<Utc>,
    pub who: Option<String>,
}

/// A linked citizen opinion (its receipt and stage; the words are read through the opinion's page).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LinkedOpinion {
    pub id: i64,
    pub receipt: String,
    pub stage: String,
}

/// An item the caller may see, with their capacities on it and its parts. Only
/// [`Store::suggestion`] makes one.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Seen {
    pub item: Suggestion,
    pub capacities: Vec<Capacity>,
    pub cosigners: Vec<Cosigner>,
    pub units: Vec<ItemUnit>,
}

impl Seen {
    pub fn co_units(&self) -> Vec<i64> {
        self.units.iter().filter(|u| !u.lead).map(|u| u.unit_id).collect()
    }
}

impl Store {
    /// An item in the caller's reach: its proposer, a co-signer, the office of its meeting's region,
    /// its lead unit or a co-unit. Anyone else: not found.
    pub async fn suggestion(&self, scope: &Scope, id: i64) -> Result<Seen> {
        let sql = format!("{SELECT} WHERE s.id = $1");
        let item: Suggestion = with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
        })
        .ok_or(StoreError::NotFound)?;
        let cosigners: Vec<Cosigner> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT c.person_id, p.name, c.confirmed_at, c.by_staff FROM suggestion_cosigner c \
                 JOIN person p ON p.id = c.person_id WHERE c.suggestion_id = $1 ORDER BY c.confirmed_at IS NULL, p.name",
            ).bind(id).fetch_all(p).await?
        });
        let units: Vec<ItemUnit> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT x.unit_id, u.name, x.lead, x.signed_at FROM suggestion_unit x \
                 JOIN handling_unit u ON u.id = x.unit_id WHERE x.suggestion_id = $1 ORDER BY x.lead DESC, u.name",
            ).bind(id).fetch_all(p).await?
        });
        let region = item.region()?;
        let people: Vec<i64> = cosigners.iter().map(|c| c.person_id).collect();
        let co: Vec<i64> = units.iter().filter(|u| !u.lead).map(|u| u.unit_id).collect();
        let capacities = access::capacities(
            scope,
            &Facts {
                region: Some(&region),
                proposer: item.proposer_id,
                cosigners: &people,
                lead: item.lead_unit_id,
                co_units: &co,
            },
        );
        if capacities.is_empty() {
            return Err(StoreError::NotFound);
        }
        Ok(Seen {
            item,
            capacities,
            cosigners,
            units,
        })
    }

    /// The state of an item the caller sees: its history replayed (for the forms a page offers; the
    /// step replays it again inside its transaction).
    pub async fn suggestion_status(&self, seen: &Seen) -> Result<Status> {
        let rows: Vec<(String, String)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT actor, data FROM suggestion_event WHERE suggestion_id = $1 AND seq > 0 ORDER BY seq")
                .bind(seen.item.id).fetch_all(p).await?
        });
        let corrupt = |what: &str| StoreError::Corrupt(format!("suggestion {} event {what}", seen.item.id));
        let mut events = Vec::with_capacity(rows.len());
        for (actor, data) in rows {
            let who = Capacity::parse(&actor).ok_or_else(|| corrupt(&actor))?;
            let action: Action = serde_json::from_str(&data).map_err(|_| corrupt(&data))?;
            events.push((who, action));
        }
        <Status as Workflow>::replay(seen.item.origin(), &events).map_err(|e| corrupt(&e.to_string()))
    }

    /// The history of an item the caller sees, oldest first, with who acted.
    pub async fn suggestion_history(&self, seen: &Seen) -> Result<Vec<Event>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT e.seq, e.action, e.actor, e.from_stage, e.to_stage, e.note, e.at, a.display_name AS who \
                 FROM suggestion_event e LEFT JOIN account a ON a.id = e.account_id \
                 WHERE e.suggestion_id = $1 ORDER BY e.seq",
            ).bind(seen.item.id).fetch_all(p).await?
        }))
    }

    /// The ratings, milestones and linked opinions of an item the caller sees.
    pub async fn suggestion_parts(
        &self,
        seen: &Seen,
    ) -> Result<(Vec<Rating>, Vec<Milestone>, Vec<LinkedOpinion>)> {
        let id = seen.item.id;
        let ratings = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT r.person_id, p.name, r.round, r.satisfaction, r.comment, r.by_staff, r.at FROM suggestion_rating r \
                 JOIN person p ON p.id = r.person_id WHERE r.suggestion_id = $1 ORDER BY r.round, r.at",
            ).bind(id).fetch_all(p).await?
        });
        let milestones = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT id, round, due_on, what, done_on, done_note FROM suggestion_milestone \
                 WHERE suggestion_id = $1 ORDER BY round, due_on, id",
            ).bind(id).fetch_all(p).await?
        });
        let opinions = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT o.id, o.receipt, o.stage FROM suggestion_opinion x JOIN opinion o ON o.id = x.opinion_id \
                 WHERE x.suggestion_id = $1 ORDER BY o.id",
            ).bind(id).fetch_all(p).await?
        });
        Ok((ratings, milestones, opinions))
    }
}
