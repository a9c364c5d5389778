//! One-time SMS codes (`liaison_domain::account::sms_login`): issued with their SMS in one transaction
//! (the code reaches the outbox or is not issued), at most one a minute and five an hour per account;
//! checked with the attempt counted first, in one conditional statement, so parallel guesses cannot
//! pass [`CODE_ATTEMPTS`]; used once.

use chrono::{DateTime, Duration, Utc};
use liaison_domain::account::sms_login::{
    CODE_ATTEMPTS, CODE_MINUTES, CODES_PER_HOUR, CodePurpose, RESEND_SECONDS, code_digest, code_sms, new_code,
};
use liaison_domain::audit::AuditAction;
use liaison_domain::notification::NoticeKind;
use liaison_domain::token::same_secret;
use liaison_domain::{RegionCode, mask};

use crate::account::LoginRecord;
use crate::notification::{Delivery, NewNotification};
use crate::{Actor, Result, Store};

/// The answer to asking for a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeIssue {
    /// Sent to this (masked) number.
    Sent { to: String },
    /// A code was sent less than a minute ago: wait this many seconds.
    TooSoon { seconds: i64 },
    /// Five codes this hour already.
    TooMany,
    /// The account has no mobile.
    NoMobile,
}

/// The answer to checking a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    Right,
    Wrong {
        left: i32,
    },
    /// No live code: expired, used, never sent, or its attempts spent.
    Expired,
}

impl Store {
    /// Issues a code for `rec` (`pending`: the digest of the half-finished login a second factor
    /// belongs to, else empty) and queues its SMS; audited.
    pub async fn issue_login_code(
        &self,
        rec: &LoginRecord,
        purpose: CodePurpose,
        pending: &str,
        ip: &str,
        now: DateTime<Utc>,
    ) -> Result<CodeIssue> {
        let mobile = self.mobile_for_code(rec.id).await?;
        if mobile.is_empty() {
            return Ok(CodeIssue::NoMobile);
        }
        let mut tx = self.begin().await?;
        let (count, last): (i64, Option<DateTime<Utc>>) = with_tx!(&mut tx, c => {
            sqlx::query_as("SELECT COUNT(*), MAX(created_at) FROM login_code WHERE account_id = $1 AND created_at > $2")
                .bind(rec.id).bind(now - Duration::hours(1)).fetch_one(&mut *c).await?
        });
        if let Some(last) = last {
            let since = (now - last).num_seconds();
            if since < RESEND_SECONDS {
                if purpose == CodePurpose::SecondFactor {
                    // the same administrator logging in again within the minute: the code already
                    // sent finishes this login instead of the earlier one
                    with_tx!(&mut tx, c => {
                        sqlx::query(
                            "UPDATE login_code SET pending_digest = $1 WHERE account_id = $2 AND purpose = $3 \
                             AND used_at IS NULL AND expires_at > $4",
                        )
                        .bind(pending).bind(rec.id).bind(purpose.as_str()).bind(now).execute(&mut *c).await?;
                    });
                    tx.commit().await?;
                }
                return Ok(CodeIssue::TooSoon {
                    seconds: RESEND_SECONDS - since,
                });
            }
        }
        if count >= CODES_PER_HOUR {
            return Ok(CodeIssue::TooMany);
        }
        let code = new_code();
        let (id,): (i64,) = with_tx!(&mut tx, c => {
            // an earlier code of the same purpose ends when a new one is issued
            sqlx::query("UPDATE login_code SET used_at = $1 WHERE account_id = $2 AND purpose = $3 AND used_at IS NULL")
                .bind(now).bind(rec.id).bind(purpose.as_str()).execute(&mut *c).await?;
            sqlx::query_as(
                "INSERT INTO login_code (account_id, purpose, code_digest, pending_digest, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(rec.id).bind(purpose.as_str()).bind(code_digest(rec.id, &code)).bind(pending).bind(now)
            .bind(now + Duration::minutes(CODE_MINUTES)).fetch_one(&mut *c).await?
        });
        let n = NewNotification {
            subject: None,
            kind: NoticeKind::LoginCode,
            to: Delivery::Sms {
                phone: mobile.clone(),
                link: String::new(),
            },
            body: code_sms(&code),
            dedupe_key: format!("code:{id}"),
            not_before: None,
        };
        self.enqueue_in(&mut tx, &n).await?;
        let actor = Actor {
            account_id: Some(rec.id),
            username: rec.username.clone(),
            ip: ip.to_owned(),
        };
        let region = RegionCode::parse(&rec.region_code).ok();
        let detail = serde_json::json!({ "purpose": purpose.as_str() }).to_string();
        self.audit(
            &mut tx,
            &actor,
            AuditAction::LoginCodeSent,
            &format!("account:{}", rec.id),
            region.as_ref(),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(CodeIssue::Sent {
            to: mask::phone(&mobile),
        })
    }

    /// The account of a login waiting for its second factor (`pending`: the cookie's digest).
    pub async fn pending_login(&self, pending: &str, now: DateTime<Utc>) -> Result<Option<i64>> {
        let row: Option<(i64,)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT account_id FROM login_code WHERE pending_digest = $1 AND pending_digest <> '' \
                 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 ORDER BY id DESC LIMIT 1",
            )
            .bind(pending).bind(CodePurpose::SecondFactor.as_str()).bind(now).fetch_optional(p).await?
        });
        Ok(row.map(|r| r.0))
    }

    /// Checks a code typed for `account_id` (and, for a second factor, the half-finished login's
    /// digest): the attempt is counted before the code is compared; a right code is used up.
    pub async fn check_login_code(
        &self,
        account_id: i64,
        purpose: CodePurpose,
        pending: &str,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<CodeCheck> {
        let mut tx = self.begin().await?;
        let row: Option<(i64, String, i32)> = with_tx!(&mut tx, c => {
            sqlx::query_as(
                "UPDATE login_code SET attempts = attempts + 1 WHERE id = (SELECT id FROM login_code \
                 WHERE account_id = $1 AND purpose = $2 AND pending_digest = $3 AND used_at IS NULL AND expires_at > $4 \
                 ORDER BY id DESC LIMIT 1) AND attempts < $5 RETURNING id, code_digest, attempts",
            )
            .bind(account_id).bind(purpose.as_str()).bind(pending).bind(now).bind(CODE_ATTEMPTS)
            .fetch_optional(&mut *c).await?
        });
        let Some((id, digest, attempts)) = row else {
            tx.commit().await?;
            return Ok(CodeCheck::Expired);
        };
        let answer = if same_secret(&digest, &code_digest(account_id, code)) {
            with_tx!(&mut tx, c => {
                sqlx::query("UPDATE login_code SET used_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut *c).await?;
            });
            CodeCheck::Right
        } else if attempts >= CODE_ATTEMPTS {
            CodeCheck::Expired
        } else {
            CodeCheck::Wrong {
                left: CODE_ATTEMPTS - attempts,
            }
        };
        tx.commit().await?;
        Ok(answer)
    }
}
