//! Creating a candidate and acting on a project: the shared workflow step (`crate::workflow`: replay
//! inside the write transaction, append the event, refresh the row guarded by the event count), the
//! unit checked in scope, the clock (the year's end once assigned, alerted by the shared sweep), the
//! unit's notices, the audit row.

use chrono::{NaiveDate, Utc};
use liaison_domain::Role;
use liaison_domain::audit::AuditAction;
use liaison_domain::notification::{self as notify, NoticeChannel, NoticeKind, Recipient};
use liaison_domain::project::{Action, Capacity, ProjectDraft, Stage, Status};
use liaison_domain::subject::Subject;
use liaison_domain::workflow::Workflow;
use liaison_domain::{RegionCode, Scope};

use super::{Project, SELECT, is_staff};
use crate::notification::alert::Alert;
use crate::notification::{Delivery, NewNotification};
use crate::workflow::{History, NewEvent, guard};
use crate::{Actor, Result, Store, StoreError, Tx};

const HISTORY: History = History {
    events: "SELECT actor, data FROM project_event WHERE project_id = $1 AND seq > 0 ORDER BY seq",
    append: "INSERT INTO project_event (project_id, seq, action, data, actor, account_id, from_stage, to_stage, note, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
};

/// The words that go with a step (a progress report, an inspection's findings, the test's remarks).
#[derive(Debug, Clone, Default)]
pub struct ProjectInput {
    pub note: String,
}

impl Store {
    /// Adds a candidate project of the office's own region. Audited.
    pub async fn create_project(&self, scope: &Scope, actor: &Actor, d: &ProjectDraft) -> Result<i64> {
        if !is_staff(scope) {
            return Err(StoreError::Forbidden);
        }
        let now = Utc::now();
        let mut tx = self.begin().await?;
        let (id,): (i64,) = with_tx!(&mut tx, c => {
            sqlx::query_as(
                "INSERT INTO project (region_code, year, title, body, origin, budget, stage, event_count, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'candidate', 1, $7, $7) RETURNING id",
            )
            .bind(scope.region.as_str()).bind(d.year).bind(&d.title).bind(&d.body).bind(d.origin.as_str())
            .bind(d.budget).bind(now).fetch_one(&mut *c).await?
        });
        let data = serde_json::json!({ "action": "create" });
        let event = NewEvent {
            item: id,
            seq: 0,
            action: "create",
            data: &data,
            actor: Capacity::Staff.as_str(),
            account: actor.account_id,
            from_stage: "",
            to_stage: Stage::Candidate.as_str(),
            note: "",
            at: now,
        };
        self.append_event_in(&mut tx, &HISTORY, &event).await?;
        let detail = serde_json::json!({ "title": d.title, "year": d.year }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::ProjectCreate,
            &format!("project:{id}"),
            Some(&scope.region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Takes an action on a project in capacity `who`, which the caller must have on it.
    pub async fn act_on_project(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        who: Capacity,
        action: &Action,
        input: &ProjectInput,
    ) -> Result<Status> {
        let seen = self.project(scope, id).await?;
        if !seen.capacities.contains(&who) {
            return Err(StoreError::Refused(format!(
                "您不能对该项目执行“{}”",
                action.label()
            )));
        }
        if let Action::Assign { unit } = action {
            let row: Option<(String,)> = with_pool!(&self.read, p => {
                sqlx::query_as("SELECT region_code FROM handling_unit WHERE id = $1 AND active = TRUE").bind(unit).fetch_optional(p).await?
            });
            match row.map(|r| RegionCode::parse(&r.0)) {
                Some(Ok(c)) if scope.covers(&c) => {}
                _ => {
                    return Err(StoreError::Field {
                        field: "unit",
                        message: "所选承办单位不存在或不在您的辖区内".into(),
                    });
                }
            }
        }
        if matches!(action, Action::Report { .. } | Action::Inspect) && input.note.trim().chars().count() < 5
        {
            return Err(StoreError::Field {
                field: "note",
                message: "请写明情况（至少 5 个字）".into(),
            });
        }
        let region = seen.item.region()?;
        let mut tx = self.begin().await?;
        let sql = format!("{SELECT} WHERE p.id = $1");
        let item: Project = with_tx!(&mut tx, c => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(&mut *c).await?
        });
        let before: Status = self.replay_in(&mut tx, &HISTORY, id, ()).await?;
        let next = before
            .apply(who, action)
            .map_err(|e| StoreError::Refused(e.to_string()))?;
        let now = Utc::now();
        let seq = item.event_count;
        let data = serde_json::to_value(action).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let note: String = input.note.trim().chars().take(2000).collect();
        self.append_event_in(
            &mut tx,
            &HISTORY,
            &NewEvent {
                item: id,
                seq,
                action: action.name(),
                data: &data,
                actor: who.as_str(),
                account: actor.account_id,
                from_stage: before.stage.as_str(),
                to_stage: next.stage.as_str(),
                note: &note,
                at: now,
            },
        )
        .await?;
        let vote = next.vote.unwrap_or_default();
        let test = next.test.unwrap_or_default();
        let n = with_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE project SET stage = $1, unit_id = $2, progress = $3, reopen_count = $4, \
                 vote_present = $5, vote_yes = $6, vote_no = $7, vote_abstain = $8, \
                 test_satisfied = $9, test_basic = $10, test_unsatisfied = $11, event_count = event_count + 1, updated_at = $12 \
                 WHERE id = $13 AND event_count = $14",
            )
            .bind(next.stage.as_str()).bind(next.unit).bind(i32::from(next.progress)).bind(next.reopens as i32)
            .bind(next.vote.map(|_| vote.present as i32)).bind(next.vote.map(|_| vote.yes as i32))
            .bind(next.vote.map(|_| vote.no as i32)).bind(next.vote.map(|_| vote.abstain as i32))
            .bind(next.test.map(|_| test.satisfied as i32)).bind(next.test.map(|_| test.basic as i32))
            .bind(next.test.map(|_| test.unsatisfied as i32)).bind(now).bind(id).bind(seq)
            .execute(&mut *c).await?.rows_affected()
        });
        guard(n)?;
        if next.stage != before.stage {
            // underway: due at the year's end (the sweep alerts the unit); otherwise no clock
            let due = (next.stage == Stage::Underway)
                .then(|| NaiveDate::from_ymd_opt(item.year, 12, 31))
                .flatten()
                .and_then(|d| d.and_hms_opt(15, 59, 59))
                .map(|t| t.and_utc());
            with_tx!(&mut tx, c => {
                sqlx::query("UPDATE project SET stage_at = $1, due_at = $2, alerted = 0 WHERE id = $3")
                    .bind(now).bind(due).bind(id).execute(&mut *c).await?;
            });
        }
        let tell = match action {
            Action::Assign { .. } => Some(NoticeKind::Assigned),
            Action::Test { .. } if next.reopens > before.reopens => Some(NoticeKind::Reopened),
            _ => None,
        };
        if let (Some(kind), Some(unit)) = (tell, next.unit) {
            self.tell_project_unit_in(&mut tx, &item, unit, kind, &format!("project:{id}:{seq}"))
                .await?;
        }
        let detail =
            serde_json::json!({ "action": action.name(), "as": who.as_str(), "stage": next.stage.as_str() })
                .to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::from(action),
            &format!("project:{id}"),
            Some(&region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// The state of a project the caller sees, replayed (for the forms a page offers).
    pub async fn project_status(&self, seen: &super::ProjectSeen) -> Result<Status> {
        let rows: Vec<(String, String)> = with_pool!(&self.read, p => {
            sqlx::query_as(HISTORY.events).bind(seen.item.id).fetch_all(p).await?
        });
        let corrupt = |what: &str| StoreError::Corrupt(format!("project {} event {what}", seen.item.id));
        let mut events = Vec::with_capacity(rows.len());
        for (actor, data) in rows {
            let who = Capacity::parse(&actor).ok_or_else(|| corrupt(&actor))?;
            let action: Action = serde_json::from_str(&data).map_err(|_| corrupt(&data))?;
            events.push((who, action));
        }
        <Status as Workflow>::replay((), &events).map_err(|e| corrupt(&e.to_string()))
    }

    /// The deadline sweep found a project due soon or overdue: its unit hears of it.
    pub(crate) async fn project_deadline_alert_in(
        &self,
        tx: &mut Tx,
        id: i64,
        seq: i32,
        overdue: bool,
    ) -> Result<()> {
        let sql = format!("{SELECT} WHERE p.id = $1");
        let item: Project = with_tx!(tx, c => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(&mut *c).await?
        });
        let (kind, name) = if overdue {
            (NoticeKind::Overdue, "overdue")
        } else {
            (NoticeKind::DueSoon, "due_soon")
        };
        if let Some(unit) = item.unit_id {
            self.tell_project_unit_in(tx, &item, unit, kind, &format!("{name}:project:{id}:{seq}"))
                .await?;
        }
        Ok(())
    }

    async fn tell_project_unit_in(
        &self,
        tx: &mut Tx,
        item: &Project,
        unit: i64,
        kind: NoticeKind,
        occasion: &str,
    ) -> Result<()> {
        let rows: Vec<(i64,)> = with_tx!(tx, c => {
            sqlx::query_as(
                "SELECT a.id FROM account a JOIN account_role r ON r.account_id = a.id AND r.role = $2 \
                 WHERE a.unit_id = $1 AND a.disabled = FALSE ORDER BY a.id",
            ).bind(unit).bind(Role::HandlingUnit.as_str()).fetch_all(&mut *c).await?
        });
        let accounts: Vec<i64> = rows.into_iter().map(|r| r.0).collect();
        let about = format!("民生实事《{}》", item.title);
        for account_id in &accounts {
            let n = NewNotification {
                subject: Some(Subject::project(item.id)),
                kind,
                to: Delivery::Inbox {
                    account_id: *account_id,
                },
                body: format!("{}：{about}", liaison_domain::project::headline(kind)),
                dedupe_key: notify::dedupe_key(
                    occasion,
                    Recipient::Unit,
                    &account_id.to_string(),
                    NoticeChannel::Inbox,
                ),
                not_before: None,
            };
            self.enqueue_in(tx, &n).await?;
        }
        let alert = Alert {
            subject: Subject::project(item.id),
            kind,
            who: Recipient::Unit,
            occasion,
            body: notify::alert_text(liaison_domain::project::headline(kind), &about),
            link: format!("/projects/{}", item.id),
        };
        self.alert_accounts_in(tx, &accounts, &alert).await?;
        Ok(())
    }
}
