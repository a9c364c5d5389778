//! Creating a review opinion and acting on one: the shared workflow step (`crate::workflow`: replay
//! the history through the domain machine inside the write transaction, append the event, refresh
//! the cached row guarded by the event count), what each step writes on the row (the report, the
//! examination, the ballots), the clock (the body's deadline while it holds the item) and the audit.

use chrono::{DateTime, Days, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::review::{Action, Capacity, Draft, Stage, Status, access};
use liaison_domain::subject::SubjectKind;
use liaison_domain::{RegionCode, Scope, time};

use super::Review;
use crate::workflow::{History, NewEvent, guard};
use crate::{Actor, Result, Store, StoreError, Tx};

/// The review workflow's event table.
pub(super) const HISTORY: History = History {
    events: "SELECT actor, data FROM review_event WHERE review_id = $1 AND seq > 0 ORDER BY seq",
    append: "INSERT INTO review_event (review_id, seq, action, data, actor, account_id, from_stage, to_stage, note, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
};

/// What goes with a step besides the action: the report, the reason or the examination.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub note: String,
}

/// The longest text kept with a step.
const MAX_NOTE: usize = 20_000;

fn field(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Field {
        field,
        message: message.into(),
    }
}

impl Store {
    /// The office creates a review opinion of its own region (the account's) and sends it to the body
    /// in the same transaction; the body's first deadline is the end of the day typed. Returns its id.
    pub async fn create_review(&self, scope: &Scope, actor: &Actor, d: &Draft) -> Result<i64> {
        if !access::is_staff(scope) {
            return Err(StoreError::Forbidden);
        }
        self.check_review_unit(scope, d.unit).await?;
        let region = scope.region.clone();
        let due = d
            .due_on
            .checked_add_days(Days::new(1))
            .and_then(time::day_start)
            .ok_or_else(|| field("due_on", "办理期限无效"))?;
        let now = Utc::now();
        let mut tx = self.begin().await?;
        let (id,): (i64,) = with_tx!(&mut tx, c => {
            sqlx::query_as(
                "INSERT INTO review (region_code, title, meeting, met_on, body, unit_id, stage, round_due_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'drafted', $7, $8, $8) RETURNING id",
            )
            .bind(region.as_str()).bind(&d.title).bind(&d.meeting).bind(d.met_on).bind(&d.body).bind(d.unit)
            .bind(due).bind(now)
            .fetch_one(&mut *c).await?
        });
        let created = serde_json::json!({ "action": "create" });
        let event = NewEvent {
            item: id,
            seq: 0,
            action: "create",
            data: &created,
            actor: Capacity::Staff.as_str(),
            account: actor.account_id,
            from_stage: "",
            to_stage: Stage::Drafted.as_str(),
            note: "",
            at: now,
        };
        self.append_event_in(&mut tx, &HISTORY, &event).await?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE review SET event_count = 1 WHERE id = $1").bind(id).execute(&mut *c).await?;
        });
        let detail =
            serde_json::json!({ "title": d.title, "meeting": d.meeting, "unit": d.unit, "due_on": d.due_on })
                .to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::ReviewCreate,
            &format!("review:{id}"),
            Some(&region),
            &detail,
        )
        .await?;
        let item = self.review_row_in(&mut tx, id).await?;
        let send = Action::Send { unit: d.unit };
        self.review_step_in(
            &mut tx,
            &item,
            (Capacity::Staff, actor),
            &send,
            &StepInput::default(),
            &region,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Takes an action on an item in capacity `who`, which the caller must have on it.
    pub async fn act_on_review(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        who: Capacity,
        action: &Action,
        input: &StepInput,
    ) -> Result<Status> {
        let seen = self.review(scope, id).await?;
        if !seen.capacities.contains(&who) {
            return Err(StoreError::Refused(format!(
                "您不能对该审议意见执行“{}”",
                action.label()
            )));
        }
        if matches!(action, Action::Send { .. }) {
            return Err(StoreError::Refused("审议意见在录入时已交办".into()));
        }
        if action.needs_note() && input.note.trim().is_empty() {
            return Err(field("note", "请填写内容"));
        }
        let region = seen.item.region()?;
        let mut tx = self.begin().await?;
        let item = self.review_row_in(&mut tx, id).await?;
        let status = self
            .review_step_in(&mut tx, &item, (who, actor), action, input, &region)
            .await?;
        tx.commit().await?;
        Ok(status)
    }

    async fn check_review_unit(&self, scope: &Scope, unit: i64) -> Result<()> {
        let row: Option<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT region_code FROM handling_unit WHERE id = $1 AND active = TRUE").bind(unit).fetch_optional(p).await?
        });
        match row.map(|r| RegionCode::parse(&r.0)) {
            Some(Ok(c)) if scope.covers(&c) => Ok(()),
            _ => Err(field("unit", "所选承办单位不存在或不在您的辖区内")),
        }
    }

    pub(crate) async fn review_row_in(&self, tx: &mut Tx, id: i64) -> Result<Review> {
        let sql = format!("{} WHERE v.id = $1", super::SELECT);
        with_tx!(tx, c => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *c).await?
        })
        .ok_or(StoreError::NotFound)
    }

    /// The one step: replay, apply, append, refresh the row (guarded), start the new stage's clock,
    /// tell the body what it must know, audit.
    async fn review_step_in(
        &self,
        tx: &mut Tx,
        item: &Review,
        (who, actor): (Capacity, &Actor),
        action: &Action,
        input: &StepInput,
        region: &RegionCode,
    ) -> Result<Status> {
        let before: Status = self.replay_in(tx, &HISTORY, item.id, ()).await?;
        let next = before
            .apply(who, action)
            .map_err(|e| StoreError::Refused(e.to_string()))?;
        let now = Utc::now();
        let seq = item.event_count;
        let data = serde_json::to_value(action).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let note: String = input.note.trim().chars().take(MAX_NOTE).collect();
        let event = NewEvent {
            item: item.id,
            seq,
            action: action.name(),
            data: &data,
            actor: who.as_str(),
            account: actor.account_id,
            from_stage: before.stage.as_str(),
            to_stage: next.stage.as_str(),
            note: &note,
            at: now,
        };
        self.append_event_in(tx, &HISTORY, &event).await?;
        let text = |a: bool| a.then(|| note.clone());
        let report = text(matches!(action, Action::Report));
        let examination = text(matches!(action, Action::Examine));
        let ballot = match action {
            Action::Test { .. } => next.ballot,
            _ => None,
        };
        let count = |n: Option<u32>| n.map(|n| i32::try_from(n).unwrap_or(i32::MAX));
        let n = with_tx!(tx, c => {
            sqlx::query(
                "UPDATE review SET stage = $1, unit_id = $2, report_text = COALESCE($3, report_text), \
                 examination = COALESCE($4, examination), satisfied = COALESCE($5, satisfied), basic = COALESCE($6, basic), \
                 unsatisfied = COALESCE($7, unsatisfied), passed = COALESCE($8, passed), report_count = $9, return_count = $10, \
                 reopen_count = $11, event_count = event_count + 1, updated_at = $12, \
                 reported_at = CASE WHEN $3 IS NULL THEN reported_at ELSE $12 END, \
                 examined_at = CASE WHEN $4 IS NULL THEN examined_at ELSE $12 END, \
                 tested_at = CASE WHEN $8 IS NULL THEN tested_at ELSE $12 END, \
                 closed_at = CASE WHEN $1 = 'closed' THEN $12 ELSE NULL END \
                 WHERE id = $13 AND event_count = $14",
            )
            .bind(next.stage.as_str()).bind(next.unit.unwrap_or(item.unit_id)).bind(report).bind(examination)
            .bind(count(ballot.map(|b| b.satisfied))).bind(count(ballot.map(|b| b.basic)))
            .bind(count(ballot.map(|b| b.unsatisfied))).bind(ballot.map(|b| b.passes()))
            .bind(next.reports as i32).bind(next.returns as i32).bind(next.reopens as i32)
            .bind(now).bind(item.id).bind(seq)
            .execute(&mut *c).await?.rows_affected()
        });
        guard(n)?;
        if next.stage != before.stage {
            self.start_review_clock_in(tx, item, action, next.stage, now)
                .await?;
        }
        self.review_notify_in(tx, item, &before, action, &next).await?;
        let mut detail =
            serde_json::json!({ "action": action.name(), "as": who.as_str(), "stage": next.stage.as_str() });
        if let Some(b) = ballot {
            detail["ballot"] = serde_json::json!([b.satisfied, b.basic, b.unsatisfied]);
            detail["passed"] = serde_json::json!(b.passes());
        }
        self.audit(
            tx,
            actor,
            AuditAction::from(action),
            &format!("review:{}", item.id),
            Some(region),
            &detail.to_string(),
        )
        .await?;
        Ok(next)
    }

    /// A new stage's clock. The body holds the item only in `sent`, and only then is it due: on the
    /// send, by the date typed; after a returned report (退回重报), by the same round's date; after a
    /// test that did not pass, a new round by the `review`/`sent` deadline rule (data). The office's
    /// stages have no deadline.
    async fn start_review_clock_in(
        &self,
        tx: &mut Tx,
        item: &Review,
        action: &Action,
        stage: Stage,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (due, round) = match (stage, action) {
            (Stage::Sent, Action::Test { .. }) => {
                let rules = self.deadlines(SubjectKind::Review).await?;
                let due = rules.due(Stage::Sent.as_str(), now);
                (due, due)
            }
            (Stage::Sent, _) => (item.round_due_at, None),
            _ => (None, None),
        };
        with_tx!(tx, c => {
            sqlx::query("UPDATE review SET stage_at = $1, due_at = $2, round_due_at = COALESCE($3, round_due_at), alerted = 0 WHERE id = $4")
                .bind(now).bind(due).bind(round).bind(item.id).execute(&mut *c).await?;
        });
        Ok(())
    }
}
