//! Notifications: an outbox filled in the same transaction as the event it reports, so a notice is
//! never lost (it commits with the event) and never doubled (`dedupe_key` is unique and every insert
//! is `ON CONFLICT DO NOTHING`). Inbox rows are delivered by being written; SMS rows are taken by the
//! sender jobs (`claim_sms`), posted to the gateway and marked sent, retried later, or failed.
//!
//! A notification is about a [`Subject`] (kind + id), so every workflow uses the same outbox and
//! inbox; who hears what is each workflow's rule (e.g. `opinion::notify`, which turns recipients into
//! accounts or the citizen's phone and calls [`Store::enqueue_in`]). This module knows no workflow.

pub mod alert;
pub mod quiet;
pub mod sms;

use chrono::{DateTime, Utc};
use liaison_domain::Scope;
use liaison_domain::notification::{self as notify, NoticeChannel, NoticeKind};
use liaison_domain::subject::Subject;
use serde::Serialize;

use crate::{Result, Store, StoreError, Tx};

/// Where one notice goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// An account's inbox (delivered when written).
    Inbox { account_id: i64 },
    /// An SMS; `link` is the path `{link}` in the body stands for (the sender adds the public URL).
    Sms { phone: String, link: String },
}

/// One outbox row to write (see [`Store::enqueue_in`]).
#[derive(Debug, Clone)]
pub struct NewNotification {
    /// What it is about (`None`: nothing in particular).
    pub subject: Option<Subject>,
    pub kind: NoticeKind,
    pub to: Delivery,
    pub body: String,
    /// Unique: a second row with the same key is not written. Make it name the event, the recipient
    /// and the channel (e.g. `overdue:{opinion}:{stage_at}:{account}:inbox`).
    pub dedupe_key: String,
    /// An SMS not to be sent before then (an alert held back by the quiet hours); `None`: at once.
    pub not_before: Option<DateTime<Utc>>,
}

/// An inbox entry.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct InboxItem {
    pub id: i64,
    pub subject_kind: Option<String>,
    pub subject_id: Option<i64>,
    pub kind: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl InboxItem {
    pub fn unread(&self) -> bool {
        self.read_at.is_none()
    }

    /// What the entry is about, when it names something this version knows.
    pub fn subject(&self) -> Option<Subject> {
        Subject::from_columns(self.subject_kind.as_deref()?, self.subject_id?)
    }

    pub fn kind_label(&self) -> &'static str {
        NoticeKind::parse(&self.kind).map_or("通知", |k| k.label())
    }
}

/// An SMS a sender has claimed (status 'sending').
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedSms {
    pub id: i64,
    pub phone: String,
    pub body: String,
    pub link: String,
    pub dedupe_key: String,
    /// Attempts including this one.
    pub attempts: i32,
}

/// An SMS row as staff (and tests) see it; the phone is left out.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SmsRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub attempts: i32,
    pub body: String,
    pub last_error: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Unread counts stop here (shown as "99+").
pub const UNREAD_CAP: i64 = 100;

impl Store {
    /// Writes one outbox row unless its `dedupe_key` is already there; true when written.
    pub async fn enqueue_in(&self, tx: &mut Tx, n: &NewNotification) -> Result<bool> {
        let now = Utc::now();
        let (channel, account, phone, link, status, sent_at) = match &n.to {
            Delivery::Inbox { account_id } => {
                (NoticeChannel::Inbox, Some(*account_id), "", "", "sent", Some(now))
            }
            Delivery::Sms { phone, link } => (
                NoticeChannel::Sms,
                None,
                phone.as_str(),
                link.as_str(),
                "pending",
                None,
            ),
        };
        let done = with_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO notification (subject_kind, subject_id, kind, channel, account_id, phone, body, link, dedupe_key, status, \
                 next_attempt_at, created_at, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                 ON CONFLICT (dedupe_key) DO NOTHING",
            )
            .bind(n.subject.map(|s| s.kind.as_str())).bind(n.subject.map(|s| s.id)).bind(n.kind.as_str()).bind(channel.as_str()).bind(account).bind(phone).bind(&n.body)
            .bind(link).bind(&n.dedupe_key).bind(status).bind(n.not_before.unwrap_or(now)).bind(now).bind(sent_at)
            .execute(&mut *c).await?.rows_affected()
        });
        Ok(done > 0)
    }

    /// The caller's inbox, newest first, keyset by id.
    pub async fn inbox(&self, scope: &Scope, before: Option<i64>, limit: i64) -> Result<Vec<InboxItem>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, InboxItem>(
                "SELECT id, subject_kind, subject_id, kind, body, created_at, read_at FROM notification \
                 WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
            )
            .bind(scope.account_id).bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(p).await?
        }))
    }

    /// Marks one of the caller's entries read; returns what it is about. `NotFound` for an entry
    /// that is not the caller's.
    pub async fn mark_read(&self, scope: &Scope, id: i64) -> Result<Option<Subject>> {
        type Row = (Option<String>, Option<i64>, Option<DateTime<Utc>>);
        let row: Option<Row> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT subject_kind, subject_id, read_at FROM notification WHERE id = $1 AND account_id = $2")
                .bind(id).bind(scope.account_id).fetch_optional(p).await?
        });
        let (kind, subject_id, read_at) = row.ok_or(StoreError::NotFound)?;
        if read_at.is_none() {
            with_pool!(&self.write, p => {
                sqlx::query("UPDATE notification SET read_at = $1 WHERE id = $2 AND account_id = $3 AND read_at IS NULL")
                    .bind(Utc::now()).bind(id).bind(scope.account_id).execute(p).await?;
            });
        }
        Ok(kind
            .zip(subject_id)
            .and_then(|(k, i)| Subject::from_columns(&k, i)))
    }

    /// Marks all the caller's entries read; returns how many were unread.
    pub async fn mark_all_read(&self, scope: &Scope) -> Result<u64> {
        Ok(with_pool!(&self.write, p => {
            sqlx::query("UPDATE notification SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL")
                .bind(Utc::now()).bind(scope.account_id).execute(p).await?.rows_affected()
        }))
    }

    /// Takes up to `limit` SMS due at `now` (pending -> sending, attempts + 1) so no other sender
    /// takes them: PostgreSQL skips rows another instance has locked; SQLite's single writer
    /// serialises claims.
    pub async fn claim_sms(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<ClaimedSms>> {
        let mut tx = self.begin().await?;
        let rows = match &mut tx {
            Tx::Sqlite(c) => {
                sqlx::query_as::<_, ClaimedSms>(
                    "UPDATE notification SET status = 'sending', claimed_at = $1, attempts = attempts + 1 \
                     WHERE status = 'pending' AND id IN (SELECT id FROM notification WHERE status = 'pending' \
                     AND channel = 'sms' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2) \
                     RETURNING id, phone, body, link, dedupe_key, attempts",
                )
                .bind(now)
                .bind(limit)
                .fetch_all(&mut **c)
                .await?
            }
            Tx::Postgres(c) => {
                sqlx::query_as::<_, ClaimedSms>(
                    "UPDATE notification SET status = 'sending', claimed_at = $1, attempts = attempts + 1 \
                     WHERE status = 'pending' AND id IN (SELECT id FROM notification WHERE status = 'pending' \
                     AND channel = 'sms' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2 \
                     FOR UPDATE SKIP LOCKED) \
                     RETURNING id, phone, body, link, dedupe_key, attempts",
                )
                .bind(now)
                .bind(limit)
                .fetch_all(&mut **c)
                .await?
            }
        };
        tx.commit().await?;
        Ok(rows)
    }

    /// The gateway took a claimed SMS.
    pub async fn sms_sent(&self, id: i64) -> Result<()> {
        with_pool!(&self.write, p => {
            sqlx::query(
                "UPDATE notification SET status = 'sent', sent_at = $2, last_error = '', claimed_at = NULL \
                 WHERE id = $1 AND status = 'sending'",
            )
            .bind(id).bind(Utc::now()).execute(p).await?;
        });
        Ok(())
    }

    /// The gateway refused a claimed SMS: try again at `next_attempt_at`, or give up ('failed', kept
    /// for an administrator) after `notify::MAX_ATTEMPTS`. Returns the new status.
    pub async fn sms_failed(&self, id: i64, error: &str, next_attempt_at: DateTime<Utc>) -> Result<String> {
        let error: String = error.chars().take(500).collect();
        let row: Option<(String,)> = with_pool!(&self.write, p => {
            sqlx::query_as(
                "UPDATE notification SET status = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'pending' END, \
                 last_error = $2, next_attempt_at = $3, claimed_at = NULL WHERE id = $1 AND status = 'sending' \
                 RETURNING status",
            )
            .bind(id).bind(&error).bind(next_attempt_at).bind(notify::MAX_ATTEMPTS).fetch_optional(p).await?
        });
        Ok(row.map(|r| r.0).unwrap_or_default())
    }

    /// SMS left 'sending' by a sender that stopped (crash, restart) since before `older_than` go back
    /// to 'pending'. The gateway sees the same idempotency key again and can drop a duplicate.
    pub async fn requeue_stale_sending(&self, older_than: DateTime<Utc>) -> Result<u64> {
        Ok(with_pool!(&self.write, p => {
            sqlx::query(
                "UPDATE notification SET status = 'pending', claimed_at = NULL \
                 WHERE status = 'sending' AND claimed_at < $1",
            )
            .bind(older_than).execute(p).await?.rows_affected()
        }))
    }

    /// The SMS about a subject, oldest first. The caller checks that the reader may see the subject.
    pub(crate) async fn subject_sms(&self, subject: Subject) -> Result<Vec<SmsRow>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, SmsRow>(
                "SELECT id, kind, status, attempts, body, last_error, created_at, sent_at FROM notification \
                 WHERE subject_kind = $1 AND subject_id = $2 AND channel = 'sms' ORDER BY id",
            )
            .bind(subject.kind.as_str()).bind(subject.id).fetch_all(p).await?
        }))
    }
}
