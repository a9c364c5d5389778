//! A stand-in SMS gateway on 127.0.0.1: records every request it gets and answers 200, or 500 for
//! the first `fail_first` requests.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

/// One request the stub received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StubSms {
    /// The body's `id`.
    pub id: String,
    /// The `Idempotency-Key` header.
    pub key: String,
    pub to: String,
    pub text: String,
    /// What the stub answered.
    pub status: u16,
}

#[derive(Default)]
struct Inner {
    received: Vec<StubSms>,
    fail_left: usize,
}

pub struct SmsStub {
    /// `http://127.0.0.1:PORT/sms`.
    pub url: String,
    inner: Arc<Mutex<Inner>>,
    task: tokio::task::JoinHandle<()>,
}

impl SmsStub {
    /// Starts a stub that answers 500 to its first `fail_first` requests, then 200.
    pub async fn start(fail_first: usize) -> SmsStub {
        let inner = Arc::new(Mutex::new(Inner {
            received: Vec::new(),
            fail_left: fail_first,
        }));
        let app = Router::new()
            .route("/sms", post(receive))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the SMS stub");
        let addr = listener.local_addr().expect("stub address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        SmsStub {
            url: format!("http://{addr}/sms"),
            inner,
            task,
        }
    }

    /// Every request so far, in order (including the refused ones).
    pub fn received(&self) -> Vec<StubSms> {
        self.inner.lock().expect("stub lock").received.clone()
    }

    /// The requests answered 200.
    pub fn delivered(&self) -> Vec<StubSms> {
        self.received().into_iter().filter(|s| s.status == 200).collect()
    }
}

impl Drop for SmsStub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn receive(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> StatusCode {
    let field = |k: &str| body.get(k).and_then(|v| v.as_str()).unwrap_or("").to_owned();
    let mut g = inner.lock().expect("stub lock");
    let status = if g.fail_left > 0 {
        g.fail_left -= 1;
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    };
    let sms = StubSms {
        id: field("id"),
        key: headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned(),
        to: field("to"),
        text: field("text"),
        status: status.as_u16(),
    };
    g.received.push(sms);
    status
}
