//! Deadlines for every kind of item: rules as data (kind, stage → span such as `24h`, `7wd` or `3mo`),
//! applied with the working-day calendar when a stage begins, and one sweep over every kind that raises
//! due-soon and overdue alerts. Each kind keeps its clock in its own row (`stage_at`, `due_at`,
//! `alerted`, guarded by `event_count`: see [`Clock`]), so its queue indexes serve its deadline sort;
//! a new workflow adds its [`Clock`] and its alert recipient, not a sweep. The sweep keeps no state of
//! its own beyond the item's `alerted` mark (reset when the stage changes), so it is idempotent and a
//! restart simply runs it again.
//!
//! The rules are read on every action, intake batch and item page, and change rarely, so the `Store`
//! keeps them for a minute like the calendar (`cache`): a change on this instance forgets them at once,
//! other instances see it within the minute.

use chrono::{DateTime, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::calendar::{Span, WorkCalendar};
use liaison_domain::deadline;
use liaison_domain::subject::{Subject, SubjectKind};

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

/// The SQL over one kind's clock columns: `stage_at` (when the current stage began), `due_at`,
/// `alerted` (0 none, 1 due soon, 2 overdue sent for this stage) and `event_count` (the guard that
/// makes a mark lose to a concurrent step).
struct Clock {
    /// `$1` alerted level, `$2` due before, `$3` limit → (id, event_count), earliest due first.
    select_due: &'static str,
    /// `$1` new level, `$2` id, `$3` event count, `$4` old level.
    mark: &'static str,
    /// `$1` stage start, `$2` due (NULL: no deadline), `$3` id.
    start: &'static str,
}

fn clock(kind: SubjectKind) -> Clock {
    match kind {
        SubjectKind::Opinion => Clock {
            select_due: "SELECT id, event_count FROM opinion WHERE alerted = $1 AND due_at <= $2 ORDER BY due_at LIMIT $3",
            mark: "UPDATE opinion SET alerted = $1 WHERE id = $2 AND event_count = $3 AND alerted = $4",
            start: "UPDATE opinion SET stage_at = $1, due_at = $2, alerted = 0 WHERE id = $3",
        },
        SubjectKind::Project => Clock {
            select_due: "SELECT id, event_count FROM project WHERE alerted = $1 AND due_at <= $2 ORDER BY due_at LIMIT $3",
            mark: "UPDATE project SET alerted = $1 WHERE id = $2 AND event_count = $3 AND alerted = $4",
            start: "UPDATE project SET stage_at = $1, due_at = $2, alerted = 0 WHERE id = $3",
        },
        SubjectKind::Suggestion => Clock {
            select_due: "SELECT id, event_count FROM suggestion WHERE alerted = $1 AND due_at <= $2 ORDER BY due_at LIMIT $3",
            mark: "UPDATE suggestion SET alerted = $1 WHERE id = $2 AND event_count = $3 AND alerted = $4",
            start: "UPDATE suggestion SET stage_at = $1, due_at = $2, alerted = 0 WHERE id = $3",
        },
        SubjectKind::Review => Clock {
            select_due: "SELECT id, event_count FROM review WHERE alerted = $1 AND due_at <= $2 ORDER BY due_at LIMIT $3",
            mark: "UPDATE review SET alerted = $1 WHERE id = $2 AND event_count = $3 AND alerted = $4",
            start: "UPDATE review SET stage_at = $1, due_at = $2, alerted = 0 WHERE id = $3",
        },
    }
}

impl Store {
    /// The rules for `kind` of item, with the calendar (built in + years entered by an administrator).
    pub async fn deadlines(&self, kind: SubjectKind) -> Result<Deadlines> {
        let rules = self
            .deadline_rules()
            .await?
            .into_iter()
            .filter(|(k, _)| k == kind.as_str())
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
        subject: Subject,
        stage: &str,
        now: DateTime<Utc>,
        d: &Deadlines,
    ) -> Result<()> {
        let due = d.due(stage, now);
        let sql = clock(subject.kind).start;
        with_tx!(tx, c => {
            sqlx::query(sql).bind(now).bind(due).bind(subject.id).execute(&mut *c).await?;
        });
        Ok(())
    }

    /// Marks items of every kind whose deadline is near (within 24 hours) or past and queues the
    /// alerts for whoever holds them. Each item is alerted once per level per stage: the mark is set in
    /// the same transaction as the notifications, guarded by the item's event count.
    pub async fn sweep_deadlines(&self, now: DateTime<Utc>) -> Result<Sweep> {
        let mut out = Sweep::default();
        for kind in SubjectKind::ALL {
            let s = self.sweep_kind(kind, now).await?;
            out.due_soon += s.due_soon;
            out.overdue += s.overdue;
        }
        Ok(out)
    }

    async fn sweep_kind(&self, kind: SubjectKind, now: DateTime<Utc>) -> Result<Sweep> {
        let mut out = Sweep::default();
        let Clock { select_due, mark, .. } = clock(kind);
        let soon = now + deadline::soon_window();
        // overdue first (level 2), then due soon (level 1) among those not alerted at all
        for (level, from, until) in [(2i32, 1i32, now), (2, 0, now), (1, 0, soon)] {
            loop {
                let rows: Vec<(i64, i32)> = with_pool!(&self.read, p => {
                    sqlx::query_as(select_due)
                    .bind(from).bind(until).bind(SWEEP_BATCH).fetch_all(p).await?
                });
                if rows.is_empty() {
                    break;
                }
                let mut tx = self.begin().await?;
                let mut done = 0;
                for (id, seq) in &rows {
                    let n = with_tx!(&mut tx, c => {
                        sqlx::query(mark)
                            .bind(level).bind(id).bind(seq).bind(from).execute(&mut *c).await?.rows_affected()
                    });
                    if n == 1 {
                        let subject = Subject { kind, id: *id };
                        match kind {
                            SubjectKind::Opinion => {
                                self.opinion_deadline_alert_in(&mut tx, subject.id, *seq, level == 2)
                                    .await?
                            }
                            SubjectKind::Suggestion => {
                                self.suggestion_deadline_alert_in(&mut tx, subject.id, *seq, level == 2)
                                    .await?
                            }
                            SubjectKind::Project => {
                                self.project_deadline_alert_in(&mut tx, subject.id, *seq, level == 2)
                                    .await?
                            }
                            SubjectKind::Review => {
                                self.review_deadline_alert_in(&mut tx, subject.id, *seq, level == 2)
                                    .await?
                            }
                        }
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
        kind: SubjectKind,
        stage: &str,
        span: Span,
    ) -> Result<()> {
        if !self.may_edit_calendar(scope).await? {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.begin().await?;
        let n = with_tx!(&mut tx, c => {
            sqlx::query("UPDATE deadline_rule SET span = $1 WHERE kind = $2 AND stage = $3")
                .bind(span.to_string()).bind(kind.as_str()).bind(stage).execute(&mut *c).await?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let kind = kind.as_str();
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
