//! Acting on an opinion: the shared workflow step (`crate::workflow`: replay the history through the
//! domain machine inside the write transaction, append the event, refresh the cached row guarded by
//! the event count), the checks that need the database (units in scope, the return window, the merge
//! target, decline reasons), and what an action writes besides the event.

use chrono::Utc;
use liaison_domain::audit::AuditAction;
use liaison_domain::opinion::access;
use liaison_domain::opinion::{Action, Capacity, Satisfaction, Stage, Status};
use liaison_domain::subject::{Subject, SubjectKind};
use liaison_domain::{RegionCode, Scope};

use crate::opinion::{ActInput, Opinion};
use crate::workflow::{History, NewEvent, guard};
use crate::{Actor, Result, Store, StoreError, Tx};

/// The opinion loop's event table.
const HISTORY: History = History {
    events: "SELECT actor, data FROM opinion_event WHERE opinion_id = $1 AND seq > 0 ORDER BY seq",
    append: "INSERT INTO opinion_event (opinion_id, seq, action, data, actor, account_id, from_stage, to_stage, note, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
};

impl Store {
    /// Takes an action on an item in capacity `who` (the access rules decide whether the caller has it).
    pub async fn act_on_opinion(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        who: Capacity,
        action: Action,
        input: &ActInput,
    ) -> Result<Status> {
        self.act_in_steps(scope, actor, id, who, &[action], input).await
    }

    /// Takes several actions one after the other in one transaction (登记受理 then 交办 or 上报县级):
    /// each goes through the state machine and is its own event and audit row; either all of them
    /// happen or none. The note goes with the last step; an earlier step keeps none.
    pub async fn act_in_steps(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        who: Capacity,
        steps: &[Action],
        input: &ActInput,
    ) -> Result<Status> {
        let Some((last, _)) = steps.split_last() else {
            return Err(StoreError::Refused("没有要执行的操作".into()));
        };
        if !input.attachments.is_empty() && !matches!(last, Action::Reply) {
            return Err(StoreError::Refused("只有承办单位的答复可以带附件".into()));
        }
        let visible = self.opinion(scope, id).await?;
        let relation = visible.relation();
        let mut o = visible.into_inner();
        let region = o.region()?;
        for action in steps {
            self.check_step(scope, (&o, relation), &region, who, *action, input)
                .await?;
        }
        let region = Some(region);
        let mut tx = self.begin().await?;
        let mut status = None;
        for (i, action) in steps.iter().enumerate() {
            let quiet = ActInput::default();
            let step_input = if i + 1 == steps.len() { input } else { &quiet };
            let next = self
                .apply_in(&mut tx, &o, who, actor.account_id, *action, step_input)
                .await?;
            // the cached row as the next step finds it
            o.event_count += 1;
            o.stage = next.stage.as_str().to_owned();
            o.escalated = next.escalated;
            o.lead_unit_id = next.unit;
            let detail =
                serde_json::json!({ "action": action.name(), "as": who, "stage": next.stage.as_str() })
                    .to_string();
            self.audit(
                &mut tx,
                actor,
                AuditAction::from(*action),
                &format!("opinion:{id}"),
                region.as_ref(),
                &detail,
            )
            .await?;
            status = Some(next);
        }
        let replayed: Status = self.replay_in(&mut tx, &HISTORY, id, o.channel()).await?;
        debug_assert_eq!(status.as_ref(), Some(&replayed), "{}", last.name());
        tx.commit().await?;
        Ok(replayed)
    }

    /// The checks of one step that need the database: the caller's capacity, the units in scope, the
    /// return window, the merge target, the decline reason.
    async fn check_step(
        &self,
        scope: &Scope,
        (o, relation): (&Opinion, access::Relation),
        region: &RegionCode,
        who: Capacity,
        action: Action,
        input: &ActInput,
    ) -> Result<()> {
        if let Some(why) = access::refusal(scope, &o.facts(region, &[]), relation, who, &action) {
            return Err(StoreError::Refused(why));
        }
        if let Action::Assign { unit } = action {
            for u in std::iter::once(unit).chain(input.co_units.iter().copied()) {
                self.check_unit_in_scope(scope, u).await?;
            }
        }
        if let Action::TakeOver = action {
            liaison_domain::opinion::takeover::may_take_over(&o.status(), o.due_at, Utc::now())
                .map_err(|e| StoreError::Refused(e.to_string()))?;
        }
        if let Action::Return = action {
            let d = self.deadlines(SubjectKind::Opinion).await?;
            let window = d.due("return", o.stage_at.unwrap_or(o.updated_at));
            if window.is_some_and(|w| Utc::now() > w) {
                let span = d.span_of("return").map(|s| s.label()).unwrap_or_default();
                return Err(StoreError::Refused(format!(
                    "交办已超过{span}，不能再退回；请办理答复，或联系交办人员"
                )));
            }
        }
        if let Action::Merge { into } = action {
            let survivor = self
                .opinion(scope, into)
                .await
                .map_err(|_| StoreError::Refused("要并入的事项不存在或不在您的辖区内".into()))?;
            if survivor.id == o.id
                || survivor.merged_into.is_some()
                || matches!(survivor.stage(), Stage::Declined | Stage::Merged)
            {
                return Err(StoreError::Refused(
                    "只能并入另一件有效的事项（不能是本事项、已合并或不予受理的事项）".into(),
                ));
            }
        }
        if let Action::Decline = action {
            action.check_input(&input.note, input.reason.as_deref())?;
            let code = input.reason.as_deref().unwrap_or("");
            let ok: Option<(String,)> = with_pool!(&self.read, p => {
                sqlx::query_as("SELECT code FROM decline_reason WHERE code = $1 AND active = TRUE").bind(code).fetch_optional(p).await?
            });
            if ok.is_none() {
                return Err(StoreError::Domain(liaison_domain::DomainError::Field {
                    field: "reason",
                    message: "请选择不予受理的理由",
                }));
            }
        }
        Ok(())
    }

    /// The citizen rates on the tracking page (holding the receipt, and the phone's last 4 digits if a
    /// phone was given — the caller checked them).
    pub async fn rate_by_citizen(
        &self,
        id: i64,
        satisfaction: Satisfaction,
        note: &str,
        ip: &str,
    ) -> Result<Status> {
        let o = self.opinion_row(id).await?;
        let input = ActInput {
            note: note.to_owned(),
            ..ActInput::default()
        };
        let mut tx = self.begin().await?;
        let status = self
            .apply_in(
                &mut tx,
                &o,
                Capacity::Citizen,
                None,
                Action::Rate { satisfaction },
                &input,
            )
            .await?;
        let region = RegionCode::parse(&o.region_code).ok();
        let actor = Actor {
            account_id: None,
            username: "public".into(),
            ip: ip.to_owned(),
        };
        let detail = serde_json::json!({ "rating": satisfaction.as_str() }).to_string();
        self.audit(
            &mut tx,
            &actor,
            AuditAction::from(Action::Rate { satisfaction }),
            &format!("opinion:{id}"),
            region.as_ref(),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(status)
    }

    async fn check_unit_in_scope(&self, scope: &Scope, unit: i64) -> Result<()> {
        let row: Option<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT region_code FROM handling_unit WHERE id = $1 AND active = TRUE").bind(unit).fetch_optional(p).await?
        });
        let code = row
            .ok_or_else(|| StoreError::Refused("所选承办单位不存在".into()))?
            .0;
        match RegionCode::parse(&code) {
            Ok(c) if scope.covers(&c) => Ok(()),
            _ => Err(StoreError::Refused(
                "所选承办单位不在您的辖区内；县级事项请“上报县级”，由县人大常委会交办".into(),
            )),
        }
    }

    /// Replays, applies, records the event and refreshes the cached columns (guarded by the event
    /// count, so two people acting at once cannot both win).
    async fn apply_in(
        &self,
        tx: &mut Tx,
        o: &Opinion,
        who: Capacity,
        account: Option<i64>,
        action: Action,
        input: &ActInput,
    ) -> Result<Status> {
        let before: Status = self.replay_in(tx, &HISTORY, o.id, o.channel()).await?;
        let next = before
            .apply(who, &action)
            .map_err(|e| StoreError::Refused(e.to_string()))?;
        let note = input.note.trim();
        action.check_input(note, input.reason.as_deref())?;
        let now = Utc::now();
        let seq = o.event_count;
        let mut data = serde_json::to_value(action).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if let Some(r) = &input.reason {
            data["reason"] = serde_json::Value::String(r.clone());
        }
        if !input.co_units.is_empty() {
            data["co_units"] = serde_json::json!(input.co_units);
        }
        let event = NewEvent {
            item: o.id,
            seq,
            action: action.name(),
            data: &data,
            actor: who.as_str(),
            account,
            from_stage: before.stage.as_str(),
            to_stage: next.stage.as_str(),
            note,
            at: now,
        };
        self.append_event_in(tx, &HISTORY, &event).await?;
        // what the citizen reads on the tracking page
        let answer = match action {
            Action::DeputyAnswer | Action::AnswerOnSpot | Action::Reply => Some(note.to_owned()),
            Action::Feedback if !note.is_empty() => Some(note.to_owned()),
            Action::Decline => {
                let code = input.reason.clone().unwrap_or_default();
                let label: Option<(String,)> = with_tx!(tx, c => {
                    sqlx::query_as("SELECT label FROM decline_reason WHERE code = $1").bind(&code).fetch_optional(&mut *c).await?
                });
                let label = label.map(|l| l.0).unwrap_or_default();
                Some(if note.is_empty() {
                    label
                } else {
                    format!("{label}。{note}")
                })
            }
            _ => None,
        };
        let public_text = match action {
            // numbers typed into the text (but the public ones) and the citizen's name never reach
            // the public list
            Action::Publish => {
                let r = self.public_redactor(o).await?;
                Some(liaison_domain::opinion::public_text(
                    input.public_text.as_deref().unwrap_or(""),
                    &r,
                )?)
            }
            _ => None,
        };
        let n = with_tx!(tx, c => {
            sqlx::query(
                "UPDATE opinion SET stage = $1, holder = $2, escalated = $3, lead_unit_id = $4, reopen_count = $5, \
                 return_count = $6, rating = $7, answer = COALESCE($8, answer), public_text = COALESCE($9, public_text), \
                 event_count = event_count + 1, updated_at = $10, \
                 closed_at = CASE WHEN $1 = 'closed' THEN $10 ELSE closed_at END, \
                 published_at = CASE WHEN $1 = 'published' THEN $10 ELSE published_at END \
                 WHERE id = $11 AND event_count = $12",
            )
            .bind(next.stage.as_str()).bind(next.holder().as_str()).bind(next.escalated).bind(next.unit)
            .bind(next.reopens as i32).bind(next.returns as i32).bind(next.satisfaction.map(|r| r.as_str()))
            .bind(answer).bind(public_text).bind(now).bind(o.id).bind(seq)
            .execute(&mut *c).await?.rows_affected()
        });
        guard(n)?;
        self.notify_in(tx, o, &before, &action, &next, seq).await?;
        // a new stage (or a new holder, when passed up to the county) starts a new deadline
        if next.stage != before.stage || matches!(action, Action::Escalate) {
            let rules = self.deadlines(SubjectKind::Opinion).await?;
            self.start_stage_in(tx, Subject::opinion(o.id), next.stage.as_str(), now, &rules)
                .await?;
        }
        if let Action::Reply = action
            && !input.attachments.is_empty()
        {
            self.attach_in(tx, o, i64::from(seq), before.unit, &input.attachments)
                .await?;
        }
        if let Action::Merge { into } = action {
            with_tx!(tx, c => {
                sqlx::query("UPDATE opinion SET merged_into = $1 WHERE id = $2").bind(into).bind(o.id).execute(&mut *c).await?;
            });
        }
        match action {
            Action::Assign { unit } => {
                with_tx!(tx, c => {
                    sqlx::query("DELETE FROM opinion_unit WHERE opinion_id = $1").bind(o.id).execute(&mut *c).await?;
                });
                let mut units = vec![(unit, true)];
                units.extend(input.co_units.iter().filter(|u| **u != unit).map(|u| (*u, false)));
                units.dedup();
                for (u, lead) in units {
                    with_tx!(tx, c => {
                        sqlx::query("INSERT INTO opinion_unit (opinion_id, unit_id, lead) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                            .bind(o.id).bind(u).bind(lead).execute(&mut *c).await?;
                    });
                }
            }
            Action::Return => {
                with_tx!(tx, c => {
                    sqlx::query("DELETE FROM opinion_unit WHERE opinion_id = $1").bind(o.id).execute(&mut *c).await?;
                });
            }
            _ => {}
        }
        Ok(next)
    }
}
