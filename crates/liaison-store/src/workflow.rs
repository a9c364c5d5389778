//! The step every workflow takes on an item, written once: inside the write transaction, replay the
//! item's history through its pure state machine (`liaison_domain::workflow::Workflow`), append the
//! new event (its number is the item's event count, unique per item, so two people acting at once
//! cannot both append it), and refresh the item's cached row only where its event count is still the
//! one read ([`guard`]). A workflow supplies its [`History`] (the SQL over its event table) and its
//! row update; the opinion loop is the first (`opinion::act`).

use chrono::{DateTime, Utc};
use liaison_domain::workflow::Workflow;
use serde::de::DeserializeOwned;

use crate::{Result, Store, StoreError, Tx};

/// The SQL over one workflow's event table. Every event table has the columns of `opinion_event`:
/// (item id, `seq`, `action`, `data`, `actor`, `account_id`, `from_stage`, `to_stage`, `note`, `at`),
/// unique on (item id, `seq`); event 0 is the submission and is not replayed.
pub(crate) struct History {
    /// `$1` item id → (`actor`, `data`) of events after the first, in order.
    pub events: &'static str,
    /// Inserts one event: `$1` item id, `$2` seq, `$3` action, `$4` data, `$5` actor, `$6` account,
    /// `$7` from stage, `$8` to stage, `$9` note, `$10` at.
    pub append: &'static str,
}

/// One event to append.
pub(crate) struct NewEvent<'a> {
    pub item: i64,
    /// The item's event count before this event.
    pub seq: i32,
    pub action: &'a str,
    pub data: &'a serde_json::Value,
    pub actor: &'a str,
    pub account: Option<i64>,
    pub from_stage: &'a str,
    pub to_stage: &'a str,
    pub note: &'a str,
    pub at: DateTime<Utc>,
}

/// What a user reads when someone else acted on the item between their read and their write.
pub const CHANGED: &str = "该事项刚刚被其他人处理过，请刷新后再试";

/// The refresh of an item's cached row, guarded by its event count, must have hit its row.
pub(crate) fn guard(rows_affected: u64) -> Result<()> {
    if rows_affected == 0 {
        return Err(StoreError::Refused(CHANGED.into()));
    }
    Ok(())
}

fn decode<T: DeserializeOwned>(value: serde_json::Value, what: &str) -> Result<T> {
    serde_json::from_value(value).map_err(|_| StoreError::Corrupt(what.to_owned()))
}

impl Store {
    /// The item's history replayed by its machine: the state it is in.
    pub(crate) async fn replay_in<W: Workflow>(
        &self,
        tx: &mut Tx,
        history: &History,
        id: i64,
        origin: W::Origin,
    ) -> Result<W> {
        let rows: Vec<(String, String)> = with_tx!(tx, c => {
            sqlx::query_as(history.events).bind(id).fetch_all(&mut *c).await?
        });
        let mut events = Vec::with_capacity(rows.len());
        for (actor, data) in rows {
            let who: W::Capacity = decode(
                serde_json::Value::String(actor.clone()),
                &format!("event actor {actor}"),
            )?;
            let value: serde_json::Value =
                serde_json::from_str(&data).map_err(|_| StoreError::Corrupt(format!("event {data}")))?;
            let action: W::Action = decode(value, &format!("event {data}"))?;
            events.push((who, action));
        }
        W::replay(origin, &events).map_err(|e| StoreError::Corrupt(format!("history of item {id}: {e}")))
    }

    /// Appends one event; a second event with the same number (someone else acted first) is refused.
    pub(crate) async fn append_event_in(
        &self,
        tx: &mut Tx,
        history: &History,
        e: &NewEvent<'_>,
    ) -> Result<()> {
        let changed = |err: sqlx::Error| match &err {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Refused(CHANGED.into()),
            _ => StoreError::Db(err),
        };
        with_tx!(tx, c => {
            sqlx::query(history.append)
                .bind(e.item).bind(e.seq).bind(e.action).bind(e.data.to_string()).bind(e.actor).bind(e.account)
                .bind(e.from_stage).bind(e.to_stage).bind(e.note).bind(e.at)
                .execute(&mut *c).await.map_err(changed)?;
        });
        Ok(())
    }
}
