//! Taking in opinions durably and fast. A submission is acknowledged only after its transaction has
//! committed (SQLite `synchronous=FULL`; PostgreSQL's default synchronous commit), and its photos were
//! fsync'd by the file store before it was queued. Concurrent submissions are written by one task in
//! shared transactions (group commit): each carries its rate-limit counters, the opinion row, its first
//! event, its photos and its audit row, and a batch costs one disk sync instead of one per submission.
//! A batch that fails is retried one submission at a time, so one bad submission fails alone.

mod new;
pub use new::{NewOpinion, Placement};

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use chrono::Utc;
use liaison_domain::RegionCode;
use liaison_domain::audit::AuditAction;
use liaison_domain::opinion::{self, Channel, Stage, Status};
use liaison_domain::subject::SubjectKind;
use tokio::sync::{mpsc, oneshot};

use crate::opinion::notify::{Arrival, ArrivalCache};
use crate::{Actor, Result, Store, StoreError, Tx};

/// Per-window limits for the public form (fixed windows of an hour).
pub const WINDOW_SECS: i64 = 3600;
/// Submissions one address may make per window.
pub const PER_IP: i64 = 20;
/// Submissions one deputy's or station's code may take per window.
pub const PER_CODE: i64 = 120;
const MAX_BATCH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub id: i64,
    pub receipt: String,
    /// The same form was sent before; this is that submission.
    pub repeated: bool,
}

struct Pending {
    new: NewOpinion,
    /// Its search keywords, segmented by the submitting task so the single writer does not.
    terms: String,
    reply: oneshot::Sender<Result<Submitted>>,
}

/// The queue into the writer task, started on first use.
#[derive(Default)]
pub(crate) struct IntakeQueue(OnceLock<mpsc::Sender<Pending>>);

impl std::fmt::Debug for IntakeQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IntakeQueue")
    }
}

pub(crate) fn new_queue() -> Arc<IntakeQueue> {
    Arc::new(IntakeQueue::default())
}

impl Store {
    /// Records a submission; returns once it is committed. See the module notes.
    pub async fn submit_opinion(&self, new: NewOpinion) -> Result<Submitted> {
        let tx = self.intake.0.get_or_init(|| {
            let (tx, rx) = mpsc::channel(1024);
            tokio::spawn(self.clone().intake_writer(rx));
            tx
        });
        let (reply, answer) = oneshot::channel();
        let terms = liaison_domain::opinion::similar::search_terms(&new.description);
        match tx.send(Pending { new, terms, reply }).await {
            Ok(()) => answer
                .await
                .map_err(|_| StoreError::Corrupt("intake writer stopped".into()))?,
            // the writer's runtime is gone (tests): write directly
            Err(mpsc::error::SendError(p)) => self
                .write_batch(std::slice::from_ref(&p.new), std::slice::from_ref(&p.terms))
                .await?
                .remove(0),
        }
    }

    async fn intake_writer(self, mut rx: mpsc::Receiver<Pending>) {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(p) => batch.push(p),
                    Err(_) => break,
                }
            }
            let news: Vec<NewOpinion> = batch.iter().map(|p| p.new.clone()).collect();
            let terms: Vec<String> = batch.iter().map(|p| p.terms.clone()).collect();
            match self.write_batch(&news, &terms).await {
                Ok(results) => {
                    for (p, r) in batch.into_iter().zip(results) {
                        let _ = p.reply.send(r);
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, size = news.len(), "intake batch failed; writing one by one");
                    for p in batch {
                        let one =
                            self.write_batch(std::slice::from_ref(&p.new), std::slice::from_ref(&p.terms));
                        let r = match one.await {
                            Ok(mut v) => v.remove(0),
                            Err(e) => Err(e),
                        };
                        let _ = p.reply.send(r);
                    }
                }
            }
        }
    }

    /// One transaction for the batch. The outer error fails the whole batch (rolled back); an inner
    /// error (rate limit) fails only its submission. Per batch, not per submission: one query finds
    /// resent forms, one upsert per rate-limit bucket counts them, one audit row per region records
    /// the public submissions (staff and deputy records are audited one by one, under their account).
    async fn write_batch(&self, batch: &[NewOpinion], terms: &[String]) -> Result<Vec<Result<Submitted>>> {
        // the first response is due by the rules (one read per batch; the rules are data)
        let deadlines = self.deadlines(SubjectKind::Opinion).await?;
        let mut tx = self.begin().await?;
        let now = Utc::now();
        let due = deadlines.due(Stage::Submitted.as_str(), now);
        let mut arrivals = ArrivalCache::default();
        let window = window_start(now.timestamp());
        // resent forms (earlier, or twice in this batch) are the submission already made, not counted
        let nonces: Vec<&str> = batch.iter().map(|n| n.nonce.as_str()).collect();
        let found: Vec<(String, i64, String)> = with_tx!(&mut tx, c => {
            let mut qb = sqlx::QueryBuilder::new("SELECT nonce, id, receipt FROM opinion WHERE nonce IN (");
            let mut sep = qb.separated(", ");
            for n in &nonces {
                sep.push_bind(*n);
            }
            qb.push(")");
            qb.build_query_as().fetch_all(&mut *c).await?
        });
        let mut known: HashMap<String, Submitted> = found
            .into_iter()
            .map(|(n, id, receipt)| {
                (
                    n,
                    Submitted {
                        id,
                        receipt,
                        repeated: true,
                    },
                )
            })
            .collect();
        let mut fresh: Vec<usize> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, n) in batch.iter().enumerate() {
            if !known.contains_key(&n.nonce) && seen.insert(n.nonce.as_str()) {
                fresh.push(i);
            }
        }
        // rate limits: count each bucket once for the batch, then let the first ones through
        let mut demand: HashMap<(&str, i64), i64> = HashMap::new();
        for &i in &fresh {
            for (bucket, limit) in &batch[i].limit_buckets {
                *demand.entry((bucket.as_str(), *limit)).or_default() += 1;
            }
        }
        let mut room: HashMap<&str, i64> = HashMap::new();
        for ((bucket, limit), k) in &demand {
            let hits = bump(&mut tx, bucket, window, *k).await?;
            room.insert(bucket, (limit - (hits - k)).max(0));
        }
        let mut results: HashMap<usize, Result<Submitted>> = HashMap::new();
        let mut public: HashMap<String, Vec<i64>> = HashMap::new();
        for &i in &fresh {
            let new = &batch[i];
            let allowed = new
                .limit_buckets
                .iter()
                .all(|(b, _)| room.get(b.as_str()).is_some_and(|r| *r > 0));
            if !allowed {
                results.insert(i, Err(StoreError::RateLimited));
                continue;
            }
            for (b, _) in &new.limit_buckets {
                if let Some(r) = room.get_mut(b.as_str()) {
                    *r -= 1;
                }
            }
            let words = terms.get(i).map_or("", String::as_str);
            // a staff record entered later counts from the day it was received
            let (at, due) = match new.received_at {
                Some(at) => (at, deadlines.due(Stage::Submitted.as_str(), at)),
                None => (now, due),
            };
            let s = self.write_one(&mut tx, new, words, at, due).await?;
            let arrival = Arrival {
                channel: new.channel,
                person_id: new.person_id,
                station_id: new.station_id,
                region: &new.region,
                category: &new.category,
                phone: new.citizen_phone.expose(),
                recorder: new.actor.account_id,
            };
            self.notify_arrival_in(&mut tx, s.id, &s.receipt, &arrival, &mut arrivals)
                .await?;
            if new.actor.account_id.is_some() {
                let action = if new.channel == Channel::DeputyVisit || new.channel.recorded_by_staff() {
                    AuditAction::OpinionRecord
                } else {
                    AuditAction::OpinionSubmit
                };
                let detail =
                    serde_json::json!({ "channel": new.channel.as_str(), "photos": new.photos.len() })
                        .to_string();
                self.audit(
                    &mut tx,
                    &new.actor,
                    action,
                    &format!("opinion:{}", s.id),
                    Some(&new.region),
                    &detail,
                )
                .await?;
            } else {
                public
                    .entry(new.region.as_str().to_owned())
                    .or_default()
                    .push(s.id);
            }
            known.insert(
                new.nonce.clone(),
                Submitted {
                    repeated: true,
                    ..s.clone()
                },
            );
            results.insert(i, Ok(s));
        }
        for (region, ids) in public {
            let region = RegionCode::parse(&region).ok();
            let actor = Actor {
                account_id: None,
                username: "public".into(),
                ip: "-".into(),
            };
            let detail = serde_json::json!({ "ids": ids }).to_string();
            self.audit(
                &mut tx,
                &actor,
                AuditAction::OpinionSubmit,
                &format!("opinion:{}", ids[0]),
                region.as_ref(),
                &detail,
            )
            .await?;
        }
        tx.commit().await?;
        Ok((0..batch.len())
            .map(|i| match results.remove(&i) {
                Some(r) => r,
                None => known
                    .get(&batch[i].nonce)
                    .cloned()
                    .ok_or_else(|| StoreError::Corrupt("intake lost a submission".into())),
            })
            .collect())
    }

    async fn write_one(
        &self,
        tx: &mut Tx,
        new: &NewOpinion,
        terms: &str,
        now: chrono::DateTime<Utc>,
        due: Option<chrono::DateTime<Utc>>,
    ) -> Result<Submitted> {
        let status = Status::new(new.channel);
        let last4: String = {
            let d: Vec<char> = new
                .citizen_phone
                .expose()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            d[d.len().saturating_sub(4)..].iter().collect()
        };
        let recorded_by = if new.channel.recorded_by_staff() || new.channel == Channel::DeputyVisit {
            new.actor.account_id
        } else {
            None
        };
        // similar_checked = FALSE: the duplicate pass (duplicate_flags) looks at it within the minute
        let mut inserted = None;
        for _ in 0..8 {
            let receipt = opinion::new_receipt();
            let row: Option<(i64,)> = with_tx!(tx, c => {
                sqlx::query_as(
                    "INSERT INTO opinion (receipt, nonce, channel, person_id, station_id, region_code, category, description, \
                     citizen_name, citizen_phone, phone_last4, callback_ok, share_contact, recorded_by, stage, holder, \
                     event_count, submitted_at, updated_at, stage_at, due_at, terms, similar_checked) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $17, $17, $18, $19, FALSE) \
                     ON CONFLICT DO NOTHING RETURNING id",
                )
                .bind(&receipt).bind(&new.nonce).bind(new.channel.as_str()).bind(new.person_id).bind(new.station_id)
                .bind(new.region.as_str()).bind(&new.category).bind(&new.description).bind(new.citizen_name.expose())
                .bind(new.citizen_phone.expose()).bind(&last4).bind(new.callback_ok).bind(new.share_contact).bind(recorded_by)
                .bind(status.stage.as_str()).bind(status.holder().as_str()).bind(now).bind(due).bind(terms)
                .fetch_optional(&mut *c).await?
            });
            if let Some((id,)) = row {
                inserted = Some((id, receipt));
                break;
            }
            // the only other unique key is the receipt: draw again
        }
        let (id, receipt) = inserted.ok_or_else(|| StoreError::Corrupt("no free receipt code".into()))?;
        let actor_kind = match new.channel {
            Channel::DeputyVisit => "deputy",
            c if c.recorded_by_staff() => "staff",
            _ => "citizen",
        };
        with_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO opinion_event (opinion_id, seq, action, data, actor, account_id, from_stage, to_stage, note, at) \
                 VALUES ($1, 0, 'submit', $2, $3, $4, NULL, 'submitted', '', $5)",
            )
            .bind(id).bind(serde_json::json!({ "channel": new.channel.as_str() }).to_string())
            .bind(actor_kind).bind(new.actor.account_id).bind(now)
            .execute(&mut *c).await?;
        });
        for blob in &new.photos {
            with_tx!(tx, c => {
                sqlx::query("INSERT INTO opinion_photo (opinion_id, blob, created_at) VALUES ($1, $2, $3)")
                    .bind(id).bind(blob).bind(now).execute(&mut *c).await?;
            });
        }
        Ok(Submitted {
            id,
            receipt,
            repeated: false,
        })
    }

    /// Counts one failed tracking lookup from `bucket`; true while under `limit` per window. (Only
    /// failures are counted, so the write happens only for someone guessing.)
    pub async fn count_failure(&self, bucket: &str, limit: i64) -> Result<bool> {
        let mut tx = self.begin().await?;
        let hits = bump(&mut tx, bucket, window_start(Utc::now().timestamp()), 1).await?;
        tx.commit().await?;
        Ok(hits <= limit)
    }

    /// Failed lookups so far in this window for `bucket`.
    pub async fn failures(&self, bucket: &str) -> Result<i64> {
        let window = window_start(Utc::now().timestamp());
        let row: Option<(i64,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT hits FROM rate_limit WHERE bucket = $1 AND window_start = $2")
                .bind(bucket).bind(window).fetch_optional(p).await?
        });
        Ok(row.map_or(0, |r| r.0))
    }
}

/// The start of the fixed window holding Unix time `t`.
/// What a public submission would meet, looked up before its photos are decoded or stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precheck {
    /// Within the limits: go on.
    Open,
    /// The same form was submitted before: `submit_opinion` answers with that submission.
    Resent,
    /// A rate-limit bucket is full for this window.
    Limited,
}

impl Store {
    /// Read-only and only a forecast: `submit_opinion` still enforces the limits in its transaction
    /// (two requests may both pass here and one be refused there).
    pub async fn intake_precheck(&self, nonce: &str, buckets: &[(String, i64)]) -> Result<Precheck> {
        let known: Option<(i64,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT id FROM opinion WHERE nonce = $1").bind(nonce).fetch_optional(p).await?
        });
        if known.is_some() {
            return Ok(Precheck::Resent);
        }
        let window = window_start(Utc::now().timestamp());
        for (bucket, limit) in buckets {
            let hits: Option<(i64,)> = with_pool!(&self.read, p => {
                sqlx::query_as("SELECT hits FROM rate_limit WHERE bucket = $1 AND window_start = $2")
                    .bind(bucket).bind(window).fetch_optional(p).await?
            });
            if hits.is_some_and(|(h,)| h >= *limit) {
                return Ok(Precheck::Limited);
            }
        }
        Ok(Precheck::Open)
    }
}

fn window_start(t: i64) -> i64 {
    t - t.rem_euclid(WINDOW_SECS)
}

/// Adds `k` hits to `bucket` in `window`; returns the window's total.
async fn bump(tx: &mut Tx, bucket: &str, window: i64, k: i64) -> Result<i64> {
    let (hits,): (i64,) = with_tx!(tx, c => {
        sqlx::query_as(
            "INSERT INTO rate_limit (bucket, window_start, hits) VALUES ($1, $2, $3) \
             ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit.hits + $3 RETURNING hits",
        )
        .bind(bucket).bind(window).bind(k).fetch_one(&mut *c).await?
    });
    Ok(hits)
}
