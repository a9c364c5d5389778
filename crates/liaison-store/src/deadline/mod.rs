//! Deadlines: rules as data (kind, stage → span such as `24h` or `7wd`), applied with the working-day
//! calendar when a stage begins, and the sweep that raises due-soon and overdue alerts. The sweep keeps
//! no state of its own beyond the item's `alerted` mark (reset when the stage changes), so it is
//! idempotent and a restart simply runs it again.
//!
//! The rules are read on every action, intake batch and item page, and change rarely, so the `Store`
//! keeps them for a minute like the calendar (`cache`): a change on this instance forgets them at once,
//! other instances see it within the minute.

use chrono::{DateTime, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::calendar::{Span, WorkCalendar};
use liaison_domain::deadline;

use crate::cache::Cached;
use crate::{Result, Store, StoreError, Tx};

/// Every kind's rules, `(kind, rule)` ordered by kind and stage, kept by a `Store` (see `cache`).
pub(crate) type DeadlineRuleCache = Cached<Vec<(String, DeadlineRule)>>;

/// One rule: the holder of an item in `stage` has `span`.
#[derive(Debug, Clone)]
pub struct DeadlineRule {
    pub stage: String,
    pub span: Span,
    pub label: String,
}

/// The rules and the calendar they are counted with.
#[derive(Debug, Clone)]
pub struct Deadlines {
    pub rules: Vec<DeadlineRule>,
    pub calendar: WorkCalendar,
}

impl Deadlines {
    pub fn span_of(&self, stage: &str) -> Option<Span> {
        self.rules.iter().find(|r| r.stage == stage).map(|r| r.span)
    }

    /// When a stage beginning at `start` is due (None: the stage has no deadline).
    pub fn due(&self, stage: &str, start: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.span_of(stage)
            .map(|span| deadline::due_from(&self.calendar, start, span))
    }
}

/// What one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sweep {
    pub due_soon: usize,
    pub overdue: usize,
}

/// Rows handled per sweep transaction.
const SWEEP_BATCH: i64 = 500;

impl Store {
    /// The rules for `kind` of item, with the calendar (built in + years entered by an administrator).
    pub async fn deadlines(&self, kind: &str) -> Result<Deadlines> {
        let rules = self
            .deadline_rules()
            .await?
            .into_iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, r)| r)
            .collect();
        Ok(Deadlines {
            rules,
            calendar: self.work_calendar().await?,
        })
    }

    /// Every rule, from the cache or the database.
    async fn deadline_rules(&self) -> Result<Vec<(String, DeadlineRule)>> {
        let generation = match self.deadline_rules.fresh() {
            Ok(rules) => return Ok(rules),
            Err(generation) => generation,
        };
        let rows: Vec<(String, String, String, String)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT kind, stage, span, label FROM deadline_rule ORDER BY kind, stage")
                .fetch_all(p).await?
        });
        let mut rules = Vec::with_capacity(rows.len());
        for (kind, stage, span, label) in rows {
            let span =
                Span::parse(&span).map_err(|e| StoreError::Corrupt(format!("deadline rule {stage}: {e}")))?;
            rules.push((kind, DeadlineRule { stage, span, label }));
        }
        self.deadline_rules.put(generation, &rules);
        Ok(rules)
    }

    /// Starts the clock of a stage: when it began, when it is due, no alerts sent yet.
    pub(crate) async fn start_stage_in(
        &self,
        tx: &mut Tx,
        id: i64,
        stage: &str,
        now: DateTime<Utc>,
        d: &Deadlines,
    ) -> Result<()> {
        let due = d.due(stage, now);
        with_tx!(tx, c => {
            sqlx::query("UPDATE opinion SET stage_at = $1, due_at = $2, alerted = 0 WHERE id = $3")
                .bind(now).bind(due).bind(id).execute(&mut *c).await?;
        });
        Ok(())
    }

    /// Marks items whose deadline is near (within 24 hours) or past and queues the alerts for whoever
    /// holds them. Each item is alerted once per level per stage: the mark is set in the same
    /// transaction as the notifications, guarded by the item's event count.
    pub async fn sweep_deadlines(&self, now: DateTime<Utc>) -> Result<Sweep> {
        let mut out = Sweep::default();
        let soon = now + deadline::soon_window();
        // overdue first (level 2), then due soon (level 1) among those not alerted at all
        for (level, from, until) in [(2i32, 1i32, now), (2, 0, now), (1, 0, soon)] {
            loop {
                let rows: Vec<(i64, i32)> = with_pool!(&self.read, p => {
                    sqlx::query_as(
                        "SELECT id, event_count FROM opinion WHERE alerted = $1 AND due_at <= $2 ORDER BY due_at LIMIT $3",
                    )
                    .bind(from).bind(until).bind(SWEEP_BATCH).fetch_all(p).await?
                });
                if rows.is_empty() {
                    break;
                }
                let mut tx = self.begin().await?;
                let mut done = 0;
                for (id, seq) in &rows {
                    let n = with_tx!(&mut tx, c => {
                        sqlx::query("UPDATE opinion SET alerted = $1 WHERE id = $2 AND event_count = $3 AND alerted = $4")
                            .bind(level).bind(id).bind(seq).bind(from).execute(&mut *c).await?.rows_affected()
                    });
                    if n == 1 {
                        self.deadline_alert_in(&mut tx, *id, *seq, level == 2).await?;
                        done += 1;
                    }
                }
                tx.commit().await?;
                if level == 2 {
                    out.overdue += done;
                } else {
                    out.due_soon += done;
                }
                if (rows.len() as i64) < SWEEP_BATCH {
                    break;
                }
            }
        }
        Ok(out)
    }
}

impl Store {
    /// Changes one rule (who may: those who keep the working-day calendar). Applies to stages that
    /// begin from now on; running deadlines keep theirs. Audited.
    pub async fn set_deadline_rule(
        &self,
        scope: &liaison_domain::Scope,
        actor: &crate::Actor,
        kind: &str,
        stage: &str,
        span: Span,
    ) -> Result<()> {
        if !self.may_edit_calendar(scope).await? {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.begin().await?;
        let n = with_tx!(&mut tx, c => {
            sqlx::query("UPDATE deadline_rule SET span = $1 WHERE kind = $2 AND stage = $3")
                .bind(span.to_string()).bind(kind).bind(stage).execute(&mut *c).await?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let detail =
            serde_json::json!({ "kind": kind, "stage": stage, "span": span.to_string() }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::DeadlineRuleSave,
            &format!("deadline_rule:{kind}:{stage}"),
            None,
            &detail,
        )
        .await?;
        tx.commit().await?;
        self.deadline_rules.forget();
        Ok(())
    }
}
