//! The system administrator's view of the SMS outbox (`Permission::ManageSms`): the messages of the
//! items in their region, chiefly those not delivered (given up after the last attempt, or waiting for
//! the next one), counts per status, and sending one again now (audited). Phone numbers are masked
//! here, before they leave the store, and numbers in a gateway's error text too: no page holds a full
//! number, so nothing here is an audited read of personal information.

use chrono::{DateTime, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::{Permission, RegionCode, Scope, mask};
use serde::Serialize;

use crate::{Actor, Result, Store, StoreError};

/// Which messages a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SmsView {
    /// Failed, or waiting for another attempt after a failure: what needs an administrator.
    #[default]
    Undelivered,
    /// Given up after the last attempt ('failed').
    Failed,
    /// Refused at least once, to be tried again at `next_attempt_at`.
    Waiting,
    /// Not tried yet.
    Queued,
    /// Taken by a sender right now (or left by one that stopped, until it is requeued).
    Sending,
    Sent,
}

impl SmsView {
    pub const ALL: [SmsView; 6] = [
        SmsView::Undelivered,
        SmsView::Failed,
        SmsView::Waiting,
        SmsView::Queued,
        SmsView::Sending,
        SmsView::Sent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SmsView::Undelivered => "undelivered",
            SmsView::Failed => "failed",
            SmsView::Waiting => "waiting",
            SmsView::Queued => "queued",
            SmsView::Sending => "sending",
            SmsView::Sent => "sent",
        }
    }

    /// Anything else is the default view.
    pub fn parse(s: &str) -> SmsView {
        SmsView::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .unwrap_or_default()
    }

    /// The predicate on `notification n` (constant SQL text, no input in it).
    fn predicate(self) -> &'static str {
        match self {
            SmsView::Undelivered => "(n.status = 'failed' OR (n.status = 'pending' AND n.attempts > 0))",
            SmsView::Failed => "n.status = 'failed'",
            SmsView::Waiting => "n.status = 'pending' AND n.attempts > 0",
            SmsView::Queued => "n.status = 'pending' AND n.attempts = 0",
            SmsView::Sending => "n.status = 'sending'",
            SmsView::Sent => "n.status = 'sent'",
        }
    }
}

/// Counts are exact up to this many, then shown as "1000+" (a province's sent messages are millions).
pub const COUNT_CAP: i64 = 1000;

/// One message as the administrator sees it.
#[derive(Debug, Clone, Serialize)]
pub struct OutboxSms {
    pub id: i64,
    pub opinion_id: i64,
    pub receipt: String,
    pub kind: String,
    pub status: String,
    pub attempts: i32,
    /// The gateway's last answer, numbers masked.
    pub last_error: String,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// Masked (`139****5678`).
    pub phone: String,
}

impl OutboxSms {
    /// Whether 重新发送 applies (not sent, not being sent).
    pub fn can_retry(&self) -> bool {
        self.status == "failed" || self.status == "pending"
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    opinion_id: i64,
    receipt: String,
    kind: String,
    status: String,
    attempts: i32,
    last_error: String,
    next_attempt_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    phone: String,
}

impl From<Row> for OutboxSms {
    fn from(r: Row) -> OutboxSms {
        OutboxSms {
            id: r.id,
            opinion_id: r.opinion_id,
            receipt: r.receipt,
            kind: r.kind,
            status: r.status,
            attempts: r.attempts,
            last_error: mask::free_text(&r.last_error),
            next_attempt_at: r.next_attempt_at,
            created_at: r.created_at,
            sent_at: r.sent_at,
            phone: mask::phone(&r.phone),
        }
    }
}

const FROM: &str = "FROM notification n JOIN opinion o ON n.subject_kind = 'opinion' AND o.id = n.subject_id \
                    WHERE n.channel = 'sms' AND o.region_code BETWEEN $1 AND $2";

fn require(scope: &Scope) -> Result<()> {
    if scope.can(Permission::ManageSms) {
        Ok(())
    } else {
        Err(StoreError::Forbidden)
    }
}

impl Store {
    /// The messages of `view` about items in the caller's region, newest first, `limit` of them
    /// before the message `before` (keyset by id).
    pub async fn outbox_sms(
        &self,
        scope: &Scope,
        view: SmsView,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<OutboxSms>> {
        require(scope)?;
        let (lo, hi) = scope.range();
        let sql = format!(
            "SELECT n.id, o.id AS opinion_id, o.receipt, n.kind, n.status, n.attempts, n.last_error, \
             n.next_attempt_at, n.created_at, n.sent_at, n.phone {FROM} AND {} AND n.id < $3 \
             ORDER BY n.id DESC LIMIT $4",
            view.predicate()
        );
        let rows: Vec<Row> = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql))
                .bind(&lo).bind(&hi).bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(p).await?
        });
        Ok(rows.into_iter().map(OutboxSms::from).collect())
    }

    /// How many messages each view (but the default one, the sum of two others) holds in the caller's
    /// region, each counted up to [`COUNT_CAP`] + 1.
    pub async fn outbox_counts(&self, scope: &Scope) -> Result<Vec<(SmsView, i64)>> {
        require(scope)?;
        let (lo, hi) = scope.range();
        let mut out = Vec::new();
        for view in SmsView::ALL.into_iter().skip(1) {
            let sql = format!(
                "SELECT COUNT(*) FROM (SELECT 1 AS one {FROM} AND {} LIMIT $3) x",
                view.predicate()
            );
            let (n,): (i64,) = with_pool!(&self.read, p => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(&lo).bind(&hi).bind(COUNT_CAP + 1).fetch_one(p).await?
            });
            out.push((view, n));
        }
        Ok(out)
    }

    /// Sends a message that failed (or waits for its next attempt) again now: back to 'pending', due
    /// at once, its attempts kept (a retry that fails again is given up again). Audited as
    /// `sms.retry`. A message of an item outside the caller's region is not found.
    pub async fn retry_sms(&self, scope: &Scope, actor: &Actor, id: i64) -> Result<()> {
        require(scope)?;
        let row: Option<(String, i32, String)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT n.status, n.attempts, o.region_code FROM notification n JOIN opinion o ON n.subject_kind = 'opinion' AND o.id = n.subject_id \
                 WHERE n.id = $1 AND n.channel = 'sms'",
            )
            .bind(id).fetch_optional(p).await?
        });
        let (status, attempts, region) = row.ok_or(StoreError::NotFound)?;
        let region = RegionCode::parse(&region).map_err(|_| StoreError::Corrupt(region.clone()))?;
        if !scope.covers(&region) {
            return Err(StoreError::NotFound);
        }
        match status.as_str() {
            "sent" => return Err(StoreError::Refused("这条短信已发送成功，无需重新发送".into())),
            "sending" => {
                return Err(StoreError::Refused(
                    "这条短信正在发送，请稍后刷新页面查看结果".into(),
                ));
            }
            _ => {}
        }
        let mut tx = self.begin().await?;
        let n = with_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE notification SET status = 'pending', next_attempt_at = $2, claimed_at = NULL \
                 WHERE id = $1 AND status IN ('failed', 'pending')",
            )
            .bind(id).bind(Utc::now()).execute(&mut *c).await?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::Refused(
                "这条短信刚刚已被发送或正在发送，请刷新页面".into(),
            ));
        }
        let detail = serde_json::json!({ "status": status, "attempts": attempts }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::SmsRetry,
            &format!("notification:{id}"),
            Some(&region),
            &detail,
        )
        .await?;
        tx.commit().await
    }
}
