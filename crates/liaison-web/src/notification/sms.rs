//! The SMS gateway adapter and the sender job. The outbox (`notification` rows, channel 'sms') is
//! filled by the store in the event's transaction; this module takes due rows, posts each to the
//! gateway and records the outcome:
//!
//! `POST {LIAISON_SMS_URL}` with `{"id": dedupe_key, "to": phone, "text": body}` and the header
//! `Idempotency-Key: dedupe_key`; a 2xx answer within 10 s is sent, anything else is a failure retried
//! after 30 s × 2^(attempts−1) (at most an hour), given up after 8 attempts. A row is claimed before
//! it is posted, so two senders never post it at once; a sender that dies after posting leaves the
//! row 'sending', which is requeued later and posted again with the same key, for the gateway to drop.
//!
//! Without a gateway URL nothing is sent and the rows wait (nothing is lost). Plain HTTP only (the
//! legacy hyper client, no TLS stack): point it at the 政务短信 platform's intranet address or a local
//! relay.

use std::time::Duration;

use axum::body::Bytes;
use axum::http::{Request, Uri, header};
use chrono::{DateTime, Utc};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use liaison_domain::notification as notify;
use liaison_store::notification::ClaimedSms;
use liaison_store::{Store, StoreError};

/// How long the gateway has to answer one message.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// Messages taken per round.
const BATCH: i64 = 10;
/// A row 'sending' for this long belongs to a sender that stopped (far above BATCH × TIMEOUT).
const STALE_SECS: i64 = 300;
/// How often the sender job looks for due messages.
const TICK: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error("短信网关地址无效（只支持 http://）：{0}")]
    Url(String),
}

/// The gateway client. Cheap to clone.
#[derive(Clone)]
pub struct SmsSender {
    url: Option<Uri>,
    /// Prefixed to the tracking link (`{link}` in the templates).
    public_url: String,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl SmsSender {
    /// `url`: the gateway (empty or `None`: sending is off); `public_url`: the site's public address.
    pub fn new(url: Option<&str>, public_url: Option<&str>) -> Result<SmsSender, SmsError> {
        let url = match url.map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(u) => {
                let parsed: Uri = u.parse().map_err(|_| SmsError::Url(u.to_owned()))?;
                if parsed.scheme_str() != Some("http") || parsed.host().is_none() {
                    return Err(SmsError::Url(u.to_owned()));
                }
                Some(parsed)
            }
        };
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(TIMEOUT));
        Ok(SmsSender {
            url,
            public_url: public_url.unwrap_or("").trim_end_matches('/').to_owned(),
            client: Client::builder(TokioExecutor::new()).build(connector),
        })
    }

    /// From the web configuration (`sms_url`, `public_url`).
    pub fn from_config(c: &crate::WebConfig) -> Result<SmsSender, SmsError> {
        SmsSender::new(c.sms_url.as_deref(), c.public_url.as_deref())
    }

    pub fn enabled(&self) -> bool {
        self.url.is_some()
    }

    /// Sends what is due at `now`; returns the messages the gateway took. Failures are recorded on
    /// their rows (retry time counted from `now`), not returned.
    pub async fn send_due(&self, store: &Store, now: DateTime<Utc>) -> Result<usize, StoreError> {
        if !self.enabled() {
            return Ok(0);
        }
        let mut sent = 0;
        loop {
            let rows = store.claim_sms(now, BATCH).await?;
            if rows.is_empty() {
                return Ok(sent);
            }
            for row in rows {
                match self.post(&row).await {
                    Ok(()) => {
                        store.sms_sent(row.id).await?;
                        sent += 1;
                    }
                    Err(e) => {
                        let retry = now + chrono::Duration::seconds(notify::retry_delay_secs(row.attempts));
                        let status = store.sms_failed(row.id, &e, retry).await?;
                        tracing::warn!(id = row.id, attempts = row.attempts, status, error = %e, "SMS not sent");
                    }
                }
            }
        }
    }

    /// The text as sent: the tracking link filled in.
    pub fn text_of(&self, row: &ClaimedSms) -> String {
        row.body
            .replace("{link}", &format!("{}{}", self.public_url, row.link))
    }

    async fn post(&self, row: &ClaimedSms) -> Result<(), String> {
        let url = self.url.clone().ok_or("短信网关未配置")?;
        let body = serde_json::json!({ "id": row.dedupe_key, "to": row.phone, "text": self.text_of(row) });
        let req = Request::post(url)
            .header(header::CONTENT_TYPE, "application/json")
            .header("Idempotency-Key", row.dedupe_key.as_str())
            .body(Full::new(Bytes::from(body.to_string())))
            .map_err(|e| format!("bad request: {e}"))?;
        let exchange = async {
            let res = self
                .client
                .request(req)
                .await
                .map_err(|e| format!("gateway: {e}"))?;
            let status = res.status();
            // read the answer to the end so the connection can be reused
            let answer = res
                .into_body()
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            if status.is_success() {
                Ok(())
            } else {
                let text: String = String::from_utf8_lossy(&answer).chars().take(200).collect();
                Err(format!("HTTP {}: {text}", status.as_u16()))
            }
        };
        tokio::time::timeout(TIMEOUT, exchange)
            .await
            .unwrap_or_else(|_| Err(format!("gateway: no answer in {} s", TIMEOUT.as_secs())))
    }
}

/// Sends what is due now (what the sender job does every tick); for tests, which do not wait for
/// timers.
pub async fn send_due_sms(store: &Store, sender: &SmsSender) -> Result<usize, StoreError> {
    sender.send_due(store, Utc::now()).await
}

/// The sender job: at start and every few minutes, requeues messages a stopped sender left
/// 'sending'; every tick, sends what is due. Runs until the process ends.
pub async fn run(store: Store, sender: SmsSender) {
    let mut ticks: u64 = 0;
    loop {
        if ticks.is_multiple_of(60) {
            let older = Utc::now() - chrono::Duration::seconds(STALE_SECS);
            match store.requeue_stale_sending(older).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(n, "SMS left 'sending' by a stopped sender were queued again"),
                Err(e) => tracing::error!(error = %e, "requeueing stale SMS failed"),
            }
        }
        if let Err(e) = send_due_sms(&store, &sender).await {
            tracing::error!(error = %e, "sending SMS failed");
        }
        ticks = ticks.wrapping_add(1);
        tokio::time::sleep(TICK).await;
    }
}
