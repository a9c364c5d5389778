//! The suggestion workflow's one step, written once over the shared piece (`crate::workflow`): replay
//! the history through the domain machine inside the write transaction, append the event, refresh the
//! cached row guarded by the event count, write what the action adds (co-signers, units, the number,
//! milestones, ratings), start the new stage's clock, tell who must know, audit.

use chrono::{DateTime, Utc};
use liaison_domain::RegionCode;
use liaison_domain::audit::AuditAction;
use liaison_domain::deadline;
use liaison_domain::opinion::Satisfaction;
use liaison_domain::subject::{Subject, SubjectKind};
use liaison_domain::suggestion::{Action, Capacity, Stage, Status};

use super::{StepInput, Suggestion};
use crate::workflow::{History, NewEvent, guard};
use crate::{Actor, Result, Store, StoreError, Tx};

/// The suggestion workflow's event table.
pub(super) const HISTORY: History = History {
    events: "SELECT actor, data FROM suggestion_event WHERE suggestion_id = $1 AND seq > 0 ORDER BY seq",
    append: "INSERT INTO suggestion_event (suggestion_id, seq, action, data, actor, account_id, from_stage, to_stage, note, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
};

impl Store {
    pub(crate) async fn suggestion_row_in(&self, tx: &mut Tx, id: i64) -> Result<Suggestion> {
        let sql = format!("{} WHERE s.id = $1", super::SELECT);
        with_tx!(tx, c => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *c).await?
        })
        .ok_or(StoreError::NotFound)
    }

    /// The one step: replay, apply, append, refresh the row (guarded), write what the action adds,
    /// start the new stage's clock, tell who must know, audit.
    pub(super) async fn step_in(
        &self,
        tx: &mut Tx,
        item: &Suggestion,
        (who, actor): (Capacity, &Actor),
        action: &Action,
        input: &StepInput,
        region: &RegionCode,
    ) -> Result<Status> {
        let before: Status = self.replay_in(tx, &HISTORY, item.id, item.origin()).await?;
        let next = before
            .apply(who, action)
            .map_err(|e| StoreError::Refused(e.to_string()))?;
        let now = Utc::now();
        let seq = item.event_count;
        let data = serde_json::to_value(action).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let note = match &input.reply {
            Some(r) => r.text.clone(),
            None => input.note.trim().chars().take(2000).collect(),
        };
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
        let reply = input
            .reply
            .as_ref()
            .filter(|_| matches!(action, Action::Reply { .. }));
        let n = with_tx!(tx, c => {
            sqlx::query(
                "UPDATE suggestion SET stage = $1, lead_unit_id = $2, reply_class = $3, satisfaction = $4, reopen_count = $5, \
                 reply_text = COALESCE($6, reply_text), explanation = COALESCE($7, explanation), \
                 planned_on = CASE WHEN $6 IS NULL THEN planned_on ELSE $8 END, \
                 event_count = event_count + 1, updated_at = $9, \
                 submitted_at = CASE WHEN $1 = 'submitted' AND submitted_at IS NULL THEN $9 ELSE submitted_at END, \
                 registered_at = CASE WHEN $1 = 'registered' AND registered_at IS NULL THEN $9 ELSE registered_at END, \
                 assigned_at = CASE WHEN $10 THEN $9 ELSE assigned_at END, \
                 replied_at = CASE WHEN $1 = 'replied' AND $6 IS NOT NULL THEN $9 ELSE replied_at END, \
                 first_replied_at = CASE WHEN $6 IS NOT NULL AND first_replied_at IS NULL THEN $9 ELSE first_replied_at END, \
                 rated_at = CASE WHEN $11 THEN $9 ELSE rated_at END, \
                 closed_at = CASE WHEN $1 = 'closed' THEN COALESCE(closed_at, $9) ELSE NULL END \
                 WHERE id = $12 AND event_count = $13",
            )
            .bind(next.stage.as_str()).bind(next.lead).bind(next.class.as_deref())
            .bind(next.satisfaction.map(|s| s.as_str())).bind(next.reopens as i32)
            .bind(reply.map(|r| r.text.clone())).bind(reply.map(|r| r.explanation.clone())).bind(reply.and_then(|r| r.planned))
            .bind(now).bind(matches!(action, Action::Assign { .. }))
            .bind(matches!(action, Action::Rate { .. }))
            .bind(item.id).bind(seq)
            .execute(&mut *c).await?.rows_affected()
        });
        guard(n)?;
        self.step_parts_in(tx, item, (who, &before, &next), action, input, now)
            .await?;
        if next.stage != before.stage {
            self.start_suggestion_clock_in(tx, item, next.stage, now).await?;
        }
        self.suggestion_notify_in(tx, item, &before, action, &next)
            .await?;
        let detail =
            serde_json::json!({ "action": action.name(), "as": who.as_str(), "stage": next.stage.as_str() })
                .to_string();
        self.audit(
            tx,
            actor,
            AuditAction::from(action),
            &format!("suggestion:{}", item.id),
            Some(region),
            &detail,
        )
        .await?;
        Ok(next)
    }

    /// What an action writes besides the event and the row.
    async fn step_parts_in(
        &self,
        tx: &mut Tx,
        item: &Suggestion,
        (who, before, next): (Capacity, &Status, &Status),
        action: &Action,
        input: &StepInput,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let id = item.id;
        let staff = who == Capacity::Staff;
        match action {
            Action::Propose { cosigners, confirmed } => {
                for p in cosigners {
                    with_tx!(tx, c => {
                        sqlx::query(
                            "INSERT INTO suggestion_cosigner (suggestion_id, person_id, confirmed_at, by_staff) VALUES ($1, $2, $3, $4) \
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(id).bind(p).bind(confirmed.then_some(now)).bind(*confirmed).execute(&mut *c).await?;
                    });
                }
            }
            Action::Confirm { person } => with_tx!(tx, c => {
                sqlx::query("UPDATE suggestion_cosigner SET confirmed_at = $1, by_staff = $2 WHERE suggestion_id = $3 AND person_id = $4")
                    .bind(now).bind(staff).bind(id).bind(person).execute(&mut *c).await?;
            }),
            Action::Refuse { person } => with_tx!(tx, c => {
                sqlx::query("DELETE FROM suggestion_cosigner WHERE suggestion_id = $1 AND person_id = $2")
                    .bind(id).bind(person).execute(&mut *c).await?;
            }),
            Action::Register => with_tx!(tx, c => {
                sqlx::query(
                    "UPDATE suggestion SET number = (SELECT COALESCE(MAX(number), 0) + 1 FROM suggestion WHERE meeting_id = $1) \
                     WHERE id = $2 AND number IS NULL",
                )
                .bind(item.meeting_id).bind(id).execute(&mut *c).await?;
            }),
            Action::Assign { lead, .. } => {
                with_tx!(tx, c => {
                    sqlx::query("DELETE FROM suggestion_unit WHERE suggestion_id = $1").bind(id).execute(&mut *c).await?;
                });
                let units = std::iter::once((*lead, true)).chain(next.co_units.iter().map(|u| (*u, false)));
                for (u, is_lead) in units {
                    with_tx!(tx, c => {
                        sqlx::query("INSERT INTO suggestion_unit (suggestion_id, unit_id, lead) VALUES ($1, $2, $3)")
                            .bind(id).bind(u).bind(is_lead).execute(&mut *c).await?;
                    });
                }
            }
            Action::UnitReturn => with_tx!(tx, c => {
                sqlx::query("DELETE FROM suggestion_unit WHERE suggestion_id = $1").bind(id).execute(&mut *c).await?;
            }),
            Action::SignOff { unit } => with_tx!(tx, c => {
                sqlx::query("UPDATE suggestion_unit SET signed_at = $1 WHERE suggestion_id = $2 AND unit_id = $3")
                    .bind(now).bind(id).bind(unit).execute(&mut *c).await?;
            }),
            Action::Reply { .. } => {
                if let Some(r) = &input.reply {
                    for m in &r.milestones {
                        with_tx!(tx, c => {
                            sqlx::query("INSERT INTO suggestion_milestone (suggestion_id, round, due_on, what) VALUES ($1, $2, $3, $4)")
                                .bind(id).bind(next.replies as i32).bind(m.due_on).bind(&m.what).execute(&mut *c).await?;
                        });
                    }
                }
            }
            Action::Rate { person, satisfaction } => {
                let comment: String = input.note.trim().chars().take(500).collect();
                with_tx!(tx, c => {
                    sqlx::query(
                        "INSERT INTO suggestion_rating (suggestion_id, person_id, round, satisfaction, comment, by_staff, at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(id).bind(person).bind(before.replies as i32).bind(satisfaction.as_str()).bind(&comment)
                    .bind(staff).bind(now).execute(&mut *c).await?;
                });
                if *satisfaction == Satisfaction::Unsatisfied && next.reopens > before.reopens {
                    with_tx!(tx, c => {
                        sqlx::query("UPDATE suggestion_unit SET signed_at = NULL WHERE suggestion_id = $1").bind(id).execute(&mut *c).await?;
                    });
                }
            }
            Action::Submit | Action::Return | Action::Resubmit | Action::Reclass { .. } => {}
        }
        Ok(())
    }

    /// A new stage's clock: the office's stages by the rules kept as data, the handling by the
    /// meeting's time to answer (a re-handling after 不满意 gets it again).
    async fn start_suggestion_clock_in(
        &self,
        tx: &mut Tx,
        item: &Suggestion,
        stage: Stage,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let rules = self.deadlines(SubjectKind::Suggestion).await?;
        if stage == Stage::Assigned {
            let meeting = self.meeting_row(item.meeting_id).await?;
            let due = deadline::due_from(&rules.calendar, now, meeting.answer_span()?);
            with_tx!(tx, c => {
                sqlx::query(
                    "UPDATE suggestion SET stage_at = $1, due_at = $2, alerted = 0, \
                     answer_due_at = CASE WHEN first_replied_at IS NULL THEN $2 ELSE answer_due_at END WHERE id = $3",
                )
                .bind(now).bind(due).bind(item.id).execute(&mut *c).await?;
            });
            return Ok(());
        }
        self.start_stage_in(tx, Subject::suggestion(item.id), stage.as_str(), now, &rules)
            .await
    }
}
