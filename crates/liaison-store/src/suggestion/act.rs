//! Raising a suggestion and acting on one: the shared workflow step (`crate::workflow`: replay the
//! history through the domain machine inside the write transaction, append the event, refresh the
//! cached row guarded by the event count), the checks that need the database (deputies of the
//! meeting, units in scope, the unit's return window, the reply's class), and what each step writes
//! besides the event (co-signers, units, the number, the reply and its milestones, ratings, the clock).

use chrono::Utc;
use liaison_domain::audit::AuditAction;
use liaison_domain::deadline;
use liaison_domain::suggestion::class::Reply;
use liaison_domain::suggestion::{Action, Capacity, Draft, Stage, Status, access};
use liaison_domain::{RegionCode, Scope};

use super::step::HISTORY;
use crate::workflow::NewEvent;
use crate::{Actor, Result, Store, StoreError};

/// A new item: the draft, and for staff entering a paper one, the proposer and whether the co-signers
/// signed on paper.
#[derive(Debug, Clone)]
pub struct NewSuggestion {
    pub draft: Draft,
    pub proposer: Option<i64>,
    pub paper_signatures: bool,
}

/// What goes with a step besides the action: the reason or comment, and a reply.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub note: String,
    pub reply: Option<Reply>,
}

fn field(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Field {
        field,
        message: message.into(),
    }
}

impl Store {
    /// Raises a suggestion or motion: a deputy their own, the office one handed in on paper (naming
    /// the proposer). The proposer and co-signers must be deputies in office of the meeting; linked
    /// opinions must be the caller's to see. Returns its id.
    pub async fn propose_suggestion(&self, scope: &Scope, actor: &Actor, new: &NewSuggestion) -> Result<i64> {
        let d = &new.draft;
        let meeting = self
            .meeting(scope, d.meeting)
            .await
            .map_err(|_| field("meeting", "请选择您所在的届次"))?;
        if !meeting.active {
            return Err(field("meeting", "该届次已停止接收建议"));
        }
        let (who, proposer) = if access::is_staff(scope) && new.proposer.is_some() {
            (Capacity::Staff, new.proposer)
        } else if access::is_deputy(scope) {
            (Capacity::Proposer, scope.person_id)
        } else if access::is_staff(scope) {
            return Err(field("proposer", "请选择领衔代表"));
        } else {
            return Err(StoreError::Forbidden);
        };
        let mut people: Vec<i64> = d.cosigners.clone();
        people.extend(proposer);
        let known = self.deputies_of(&meeting.region_code, &people).await?;
        if proposer.is_some_and(|p| !known.contains(&p)) {
            return Err(field("proposer", "领衔代表须是本届人民代表大会的在任代表"));
        }
        if d.cosigners.iter().any(|c| !known.contains(c)) {
            return Err(field("cosigners", "联名代表须是本届人民代表大会的在任代表"));
        }
        let mut linked = Vec::new();
        for r in &d.opinions {
            let id = self.opinion_by_reference(scope, r).await?;
            linked.push(
                id.ok_or_else(|| field("opinions", format!("群众意见“{r}”不存在，或不在您可查看的范围内")))?,
            );
        }
        let region =
            RegionCode::parse(&meeting.region_code).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let now = Utc::now();
        let mut tx = self.begin().await?;
        let (id,): (i64,) = with_tx!(&mut tx, c => {
            sqlx::query_as(
                "INSERT INTO suggestion (meeting_id, region_code, kind, period, proposer_id, title, body, category, \
                 min_cosigners, stage, entered_by_staff, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $11, $11) RETURNING id",
            )
            .bind(meeting.id).bind(&meeting.region_code).bind(d.kind.as_str()).bind(d.period.as_str())
            .bind(proposer).bind(&d.title).bind(&d.body).bind(&d.category).bind(meeting.min_cosigners)
            .bind(who == Capacity::Staff).bind(now)
            .fetch_one(&mut *c).await?
        });
        let created = serde_json::json!({ "action": "create" });
        let event = NewEvent {
            item: id,
            seq: 0,
            action: "create",
            data: &created,
            actor: who.as_str(),
            account: actor.account_id,
            from_stage: "",
            to_stage: Stage::Draft.as_str(),
            note: "",
            at: now,
        };
        self.append_event_in(&mut tx, &HISTORY, &event).await?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE suggestion SET event_count = 1 WHERE id = $1").bind(id).execute(&mut *c).await?;
        });
        for o in &linked {
            with_tx!(&mut tx, c => {
                sqlx::query("INSERT INTO suggestion_opinion (suggestion_id, opinion_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(id).bind(o).execute(&mut *c).await?;
            });
        }
        let item = self.suggestion_row_in(&mut tx, id).await?;
        let action = Action::Propose {
            cosigners: d.cosigners.clone(),
            confirmed: new.paper_signatures && who == Capacity::Staff,
        };
        self.step_in(
            &mut tx,
            &item,
            (who, actor),
            &action,
            &StepInput::default(),
            &region,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Takes an action on an item in capacity `who`, which the caller must have on it. A deputy
    /// confirms, refuses and rates for themself; a co-unit signs off for its own unit; the office may
    /// act for anyone (paper signatures and ratings).
    pub async fn act_on_suggestion(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        who: Capacity,
        action: &Action,
        input: &StepInput,
    ) -> Result<Status> {
        let seen = self.suggestion(scope, id).await?;
        if !seen.capacities.contains(&who) {
            return Err(StoreError::Refused(format!(
                "您不能对该建议执行“{}”",
                action.label()
            )));
        }
        let me = match who {
            Capacity::Proposer | Capacity::Cosigner => scope.person_id,
            Capacity::CoUnit => scope.unit_id,
            _ => None,
        };
        let own = match action {
            Action::Confirm { person } | Action::Refuse { person } | Action::Rate { person, .. } => {
                Some(*person)
            }
            Action::SignOff { unit } => Some(*unit),
            _ => None,
        };
        if me.is_some() && own.is_some() && me != own {
            return Err(StoreError::Refused("只能以本人（本单位）的名义操作".into()));
        }
        if action.needs_note() && input.note.trim().is_empty() && input.reply.is_none() {
            return Err(field("note", "请填写理由或说明"));
        }
        let region = seen.item.region()?;
        match action {
            Action::Assign { lead, co } => {
                for u in std::iter::once(lead).chain(co.iter()) {
                    self.check_suggestion_unit(scope, *u).await?;
                }
            }
            Action::UnitReturn => {
                let meeting = self.meeting_row(seen.item.meeting_id).await?;
                let cal = self.work_calendar().await?;
                let from = seen.item.assigned_at.unwrap_or(seen.item.updated_at);
                let until = deadline::due_from(&cal, from, meeting.return_span()?);
                if Utc::now() > until {
                    return Err(StoreError::Refused(format!(
                        "交办已超过{}，不能再退回；请办理答复，或联系交办人员",
                        meeting.return_span()?.label()
                    )));
                }
            }
            Action::Reply { class } | Action::Reclass { class } => {
                if !self.reply_classes().await?.iter().any(|c| &c.code == class) {
                    return Err(field("class", "请选择答复类别"));
                }
                if matches!(action, Action::Reply { .. }) && input.reply.is_none() {
                    return Err(field("text", "请填写答复内容"));
                }
            }
            _ => {}
        }
        let mut tx = self.begin().await?;
        let item = self.suggestion_row_in(&mut tx, id).await?;
        let status = self
            .step_in(&mut tx, &item, (who, actor), action, input, &region)
            .await?;
        tx.commit().await?;
        Ok(status)
    }

    /// 重点督办 on or off, with the supervising leader (the office). Audited.
    pub async fn set_suggestion_key(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        on: bool,
        supervisor: &str,
    ) -> Result<()> {
        let seen = self.suggestion(scope, id).await?;
        if !seen.capacities.contains(&Capacity::Staff) {
            return Err(StoreError::Forbidden);
        }
        let supervisor: String = supervisor.trim().chars().take(40).collect();
        let region = seen.item.region()?;
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE suggestion SET key_item = $1, supervisor = $2 WHERE id = $3")
                .bind(on).bind(&supervisor).bind(id).execute(&mut *c).await?;
        });
        let detail = serde_json::json!({ "key": on, "supervisor": supervisor }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::SuggestionKey,
            &format!("suggestion:{id}"),
            Some(&region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A milestone of a class-B reply done (the lead unit or the office), with what was done. Audited.
    pub async fn suggestion_milestone_done(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        milestone: i64,
        note: &str,
    ) -> Result<()> {
        let seen = self.suggestion(scope, id).await?;
        if !seen
            .capacities
            .iter()
            .any(|c| matches!(c, Capacity::LeadUnit | Capacity::Staff))
        {
            return Err(StoreError::Forbidden);
        }
        let note: String = note.trim().chars().take(500).collect();
        if note.is_empty() {
            return Err(field("done_note", "请写明完成情况"));
        }
        let region = seen.item.region()?;
        let mut tx = self.begin().await?;
        let n = with_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE suggestion_milestone SET done_on = $1, done_note = $2 WHERE id = $3 AND suggestion_id = $4 AND done_on IS NULL",
            )
            .bind(liaison_domain::time::today()).bind(&note).bind(milestone).bind(id)
            .execute(&mut *c).await?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let detail = serde_json::json!({ "milestone": milestone, "note": note }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::SuggestionMilestone,
            &format!("suggestion:{id}"),
            Some(&region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Of `people`, the deputies in office elected by the meeting of `region`.
    async fn deputies_of(&self, region: &str, people: &[i64]) -> Result<Vec<i64>> {
        if people.is_empty() {
            return Ok(vec![]);
        }
        // ids are integers parsed at the edge
        let list: Vec<String> = people.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT DISTINCT person_id FROM mandate WHERE congress_region = $1 AND status = 'in_office' AND person_id IN ({})",
            list.join(",")
        );
        let rows: Vec<(i64,)> = with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(region).fetch_all(p).await?
        });
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// A citizen opinion by its id or receipt, if the caller may see it.
    async fn opinion_by_reference(&self, scope: &Scope, r: &str) -> Result<Option<i64>> {
        let id: Option<(i64,)> = match r.parse::<i64>() {
            Ok(n) => with_pool!(&self.read, p => {
                sqlx::query_as("SELECT id FROM opinion WHERE id = $1").bind(n).fetch_optional(p).await?
            }),
            Err(_) => with_pool!(&self.read, p => {
                sqlx::query_as("SELECT id FROM opinion WHERE receipt = $1").bind(r).fetch_optional(p).await?
            }),
        };
        let Some((id,)) = id else { return Ok(None) };
        match self.opinion(scope, id).await {
            Ok(_) => Ok(Some(id)),
            Err(StoreError::NotFound | StoreError::OutOfScope | StoreError::Forbidden) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn check_suggestion_unit(&self, scope: &Scope, unit: i64) -> Result<()> {
        let row: Option<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT region_code FROM handling_unit WHERE id = $1 AND active = TRUE").bind(unit).fetch_optional(p).await?
        });
        match row.map(|r| RegionCode::parse(&r.0)) {
            Some(Ok(c)) if scope.covers(&c) => Ok(()),
            _ => Err(field("lead", "所选承办单位不存在或不在您的辖区内")),
        }
    }
}
