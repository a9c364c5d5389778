//! Demo data only (`liaison seed-demo`): an item walked through the real workflow a moment ago is
//! moved into the past, as if each step had been taken at the time given, so a demo county shows
//! months of work. Its events, cached dates, current deadline (recomputed by the rules from the moved
//! stage start, so an item left long in a stage is overdue), notifications (text messages of the past
//! count as sent then, inbox notices older than a week as read) and 督办单 move together; the audit
//! log is not touched (it records truthfully when the demo was seeded). Never called by the
//! product's pages.

use chrono::{DateTime, Utc};
use liaison_domain::subject::SubjectKind;

use crate::{Result, Store, StoreError};

impl Store {
    /// Dates event `seq` of item `id` at `times[seq]` (one time per event, in order), and the item's
    /// notices about event `seq` with it; `notices` dates the item's 督办单 (oldest first): issued,
    /// and signed for if it was.
    pub async fn backdate_opinion(
        &self,
        id: i64,
        times: &[DateTime<Utc>],
        notices: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> Result<()> {
        if times.windows(2).any(|w| w[0] > w[1]) {
            return Err(StoreError::Refused("steps must be dated in order".into()));
        }
        let rules = self.deadlines(SubjectKind::Opinion).await?;
        let mut tx = self.begin().await?;
        let events: Vec<(i32, String, Option<String>, String)> = with_tx!(&mut tx, c => {
            sqlx::query_as("SELECT seq, action, from_stage, to_stage FROM opinion_event WHERE opinion_id = $1 ORDER BY seq")
                .bind(id).fetch_all(&mut *c).await?
        });
        if events.len() != times.len() {
            return Err(StoreError::Refused(format!(
                "item {id} has {} steps, {} times given",
                events.len(),
                times.len()
            )));
        }
        let (mut stage_at, mut closed_at, mut published_at) = (times[0], None, None);
        for ((seq, action, from, to), at) in events.iter().zip(times) {
            with_tx!(&mut tx, c => {
                sqlx::query("UPDATE opinion_event SET at = $1 WHERE opinion_id = $2 AND seq = $3")
                    .bind(at).bind(id).bind(seq).execute(&mut *c).await?;
            });
            // the same rule as the workflow step: a new stage, or passing up to the county, restarts the clock
            if from.as_deref() != Some(to.as_str()) || action == "escalate" {
                stage_at = *at;
            }
            match to.as_str() {
                "closed" => closed_at = Some(*at),
                "published" => published_at = Some(*at),
                _ => {}
            }
        }
        let last = *times.last().unwrap_or(&times[0]);
        let (stage,): (String,) = with_tx!(&mut tx, c => {
            sqlx::query_as("SELECT stage FROM opinion WHERE id = $1").bind(id).fetch_one(&mut *c).await?
        });
        let due = rules.due(&stage, stage_at);
        with_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE opinion SET submitted_at = $1, updated_at = $2, stage_at = $3, due_at = $4, alerted = 0, \
                 closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE $5 END, \
                 published_at = CASE WHEN published_at IS NULL THEN NULL ELSE $6 END WHERE id = $7",
            )
            .bind(times[0]).bind(last).bind(stage_at).bind(due).bind(closed_at.unwrap_or(last))
            .bind(published_at.unwrap_or(last)).bind(id)
            .execute(&mut *c).await?;
        });
        let notices_of: Vec<(i64,)> = with_tx!(&mut tx, c => {
            sqlx::query_as("SELECT id FROM supervision_notice WHERE subject_kind = 'opinion' AND subject_id = $1 ORDER BY id")
                .bind(id).fetch_all(&mut *c).await?
        });
        for ((nid,), (issued, signed)) in notices_of.iter().zip(notices) {
            with_tx!(&mut tx, c => {
                sqlx::query(
                    "UPDATE supervision_notice SET issued_at = $1, \
                     acknowledged_at = CASE WHEN acknowledged_at IS NULL THEN NULL ELSE $2 END WHERE id = $3",
                )
                .bind(issued).bind(signed).bind(nid).execute(&mut *c).await?;
            });
        }
        // notices about step `seq` carry the key `{id}:{seq}:…`, those about a 督办单 `supervised:{notice}:…`
        let rows: Vec<(i64, String)> = with_tx!(&mut tx, c => {
            sqlx::query_as("SELECT id, dedupe_key FROM notification WHERE subject_kind = 'opinion' AND subject_id = $1")
                .bind(id).fetch_all(&mut *c).await?
        });
        let step = format!("{id}:");
        for (nid, key) in rows {
            let first = |rest: &str| rest.split(':').next().and_then(|s| s.parse::<i64>().ok());
            let at = if let Some(rest) = key.strip_prefix(&step) {
                first(rest).and_then(|seq| times.get(seq as usize)).copied()
            } else if let Some(rest) = key.strip_prefix("supervised:") {
                let n = first(rest);
                notices_of
                    .iter()
                    .zip(notices)
                    .find(|((x,), _)| Some(*x) == n)
                    .map(|(_, (issued, _))| *issued)
            } else {
                None
            };
            let Some(at) = at else {
                continue;
            };
            // what was due then was sent then (no message of the past goes out now), and notices
            // older than a week were read
            let read = Utc::now() - chrono::Duration::days(7) > at;
            with_tx!(&mut tx, c => {
                sqlx::query(
                    "UPDATE notification SET created_at = $1, next_attempt_at = $1, \
                     status = CASE WHEN channel = 'sms' AND status = 'pending' THEN 'sent' ELSE status END, \
                     sent_at = CASE WHEN channel = 'sms' AND status = 'pending' THEN $1 ELSE sent_at END, \
                     read_at = CASE WHEN channel = 'inbox' AND $2 THEN $1 ELSE read_at END WHERE id = $3",
                )
                .bind(at).bind(read).bind(nid).execute(&mut *c).await?;
            });
        }
        tx.commit().await?;
        Ok(())
    }
}
