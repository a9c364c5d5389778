//! 审议意见 in the store: the items and their scoped read ([`Store::review`], the only maker of a
//! [`Seen`]), the replayed status and history, the creation and the workflow step (`act`: the shared
//! `workflow` piece over `review_event`, the clock), the lists, counts and the public board (`list`),
//! and who hears what (`notify`).

mod act;
pub mod list;
mod notify;

use chrono::{DateTime, NaiveDate, Utc};
use liaison_domain::review::access::{self, Facts};
use liaison_domain::review::{Action, Ballot, Capacity, Stage, Status};
use liaison_domain::workflow::Workflow;
use liaison_domain::{RegionCode, Scope};
use serde::Serialize;

use crate::{Result, Store, StoreError};

pub use act::StepInput;

/// One review opinion as stored, with the names pages show.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Review {
    pub id: i64,
    pub region_code: String,
    pub title: String,
    pub meeting: String,
    pub met_on: NaiveDate,
    pub body: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub stage: String,
    pub report_text: String,
    pub examination: String,
    pub satisfied: Option<i32>,
    pub basic: Option<i32>,
    pub unsatisfied: Option<i32>,
    pub passed: Option<bool>,
    pub report_count: i32,
    pub return_count: i32,
    pub reopen_count: i32,
    pub event_count: i32,
    pub round_due_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub reported_at: Option<DateTime<Utc>>,
    pub examined_at: Option<DateTime<Utc>>,
    pub tested_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The SELECT of [`Review`] (alias `v`).
pub(crate) const SELECT: &str = "SELECT v.id, v.region_code, v.title, v.meeting, v.met_on, v.body, v.unit_id, \
     u.name AS unit_name, v.stage, v.report_text, v.examination, v.satisfied, v.basic, v.unsatisfied, v.passed, \
     v.report_count, v.return_count, v.reopen_count, v.event_count, v.round_due_at, v.due_at, v.reported_at, \
     v.examined_at, v.tested_at, v.closed_at, v.created_at, v.updated_at \
     FROM review v JOIN handling_unit u ON u.id = v.unit_id";

impl Review {
    pub fn stage(&self) -> Stage {
        Stage::parse(&self.stage).unwrap_or(Stage::Drafted)
    }

    pub fn region(&self) -> Result<RegionCode> {
        RegionCode::parse(&self.region_code).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// The latest test's ballots, if there was one.
    pub fn ballot(&self) -> Option<Ballot> {
        let n = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
        Ballot::new(n(self.satisfied)?, n(self.basic)?, n(self.unsatisfied)?).ok()
    }
}

/// One event of an item's history.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Event {
    pub seq: i32,
    pub action: String,
    pub actor: String,
    pub data: String,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub note: String,
    pub at: DateTime<Utc>,
    pub who: Option<String>,
}

impl Event {
    /// The test's ballots, for a `test` event.
    pub fn ballot(&self) -> Option<Ballot> {
        match serde_json::from_str(&self.data) {
            Ok(Action::Test {
                satisfied,
                basic,
                unsatisfied,
            }) => Ballot::new(satisfied, basic, unsatisfied).ok(),
            _ => None,
        }
    }
}

/// An item the caller may see, with their capacities on it. Only [`Store::review`] makes one.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Seen {
    pub item: Review,
    pub capacities: Vec<Capacity>,
}

impl Store {
    /// An item in the caller's reach: the committee's office of its region or the body it was sent to.
    /// Anyone else: not found.
    pub async fn review(&self, scope: &Scope, id: i64) -> Result<Seen> {
        let sql = format!("{SELECT} WHERE v.id = $1 AND v.stage <> 'drafted'");
        let item: Review = with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
        })
        .ok_or(StoreError::NotFound)?;
        let region = item.region()?;
        let capacities = access::capacities(
            scope,
            &Facts {
                region: Some(&region),
                unit: Some(item.unit_id),
            },
        );
        if capacities.is_empty() {
            return Err(StoreError::NotFound);
        }
        Ok(Seen { item, capacities })
    }

    /// The state of an item the caller sees: its history replayed (for the forms a page offers; the
    /// step replays it again inside its transaction).
    pub async fn review_status(&self, seen: &Seen) -> Result<Status> {
        let rows: Vec<(String, String)> = with_pool!(&self.read, p => {
            sqlx::query_as(act::HISTORY.events).bind(seen.item.id).fetch_all(p).await?
        });
        let corrupt = |what: &str| StoreError::Corrupt(format!("review {} event {what}", seen.item.id));
        let mut events = Vec::with_capacity(rows.len());
        for (actor, data) in rows {
            let who = Capacity::parse(&actor).ok_or_else(|| corrupt(&actor))?;
            let action: Action = serde_json::from_str(&data).map_err(|_| corrupt(&data))?;
            events.push((who, action));
        }
        <Status as Workflow>::replay((), &events).map_err(|e| corrupt(&e.to_string()))
    }

    /// The history of an item the caller sees, oldest first, with who acted.
    pub async fn review_history(&self, seen: &Seen) -> Result<Vec<Event>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT e.seq, e.action, e.actor, e.data, e.from_stage, e.to_stage, e.note, e.at, a.display_name AS who \
                 FROM review_event e LEFT JOIN account a ON a.id = e.account_id \
                 WHERE e.review_id = $1 ORDER BY e.seq",
            ).bind(seen.item.id).fetch_all(p).await?
        }))
    }
}
