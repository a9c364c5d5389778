//! The whole router in process (`tower::ServiceExt::oneshot`), with a cookie-keeping client that
//! echoes the CSRF token of the last page it saw, as a browser would.

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use liaison_web::{AppState, WebConfig};
use tower::ServiceExt;

use crate::{Backend, TestDb};

pub struct TestApp {
    pub db: TestDb,
    pub router: Router,
    /// The data folder (files) of this app.
    pub files: tempfile::TempDir,
}

impl TestApp {
    pub async fn new(backend: Backend) -> TestApp {
        Self::with_db(TestDb::new(backend).await)
    }

    pub fn with_db(db: TestDb) -> TestApp {
        Self::with_config(db, WebConfig::default())
    }

    /// An app with its own web settings (a public URL, an SMS gateway).
    pub fn with_config(db: TestDb, config: WebConfig) -> TestApp {
        let files = tempfile::tempdir().expect("tempdir");
        let blobs = liaison_store::blob::Blobs::new(files.path());
        let state = AppState::new(db.store.clone(), blobs, config);
        TestApp {
            router: liaison_web::router(state),
            db,
            files,
        }
    }

    pub fn client(&self) -> Client<'_> {
        Client {
            app: self,
            cookies: HashMap::new(),
            csrf: None,
        }
    }
}

pub struct Client<'a> {
    app: &'a TestApp,
    cookies: HashMap<String, String>,
    csrf: Option<String>,
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn html(&self) -> crate::html::Doc {
        crate::html::Doc::parse(&self.body)
    }
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Client<'_> {
    pub async fn send(&mut self, mut req: Request<Body>) -> TestResponse {
        let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if !cookie.is_empty() {
            req.headers_mut()
                .insert(header::COOKIE, cookie.join("; ").parse().expect("cookie header"));
        }
        let res = self.app.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        for v in headers.get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap_or("");
            let kv = v.split_once(';').map_or(v, |(kv, _)| kv);
            if let Some((k, val)) = kv.split_once('=') {
                if val.is_empty() || v.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_owned(), val.to_owned());
                }
            }
        }
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(t) = crate::html::csrf_of(&body) {
            self.csrf = Some(t);
        }
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn get_json(&mut self, path: &str) -> TestResponse {
        let req = Request::get(path)
            .header(header::ACCEPT, "application/json")
            .body(Body::empty())
            .expect("request");
        self.send(req).await
    }

    /// Posts a form; adds `_csrf` from the last page seen unless the fields carry one.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        if self.csrf.is_none() && !fields.iter().any(|(k, _)| *k == "_csrf") {
            self.get("/login").await;
        }
        let mut body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        if !fields.iter().any(|(k, _)| *k == "_csrf")
            && let Some(t) = &self.csrf
        {
            body.push(format!("_csrf={t}"));
        }
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.join("&")))
            .expect("request");
        self.send(req).await
    }

    /// Posts a multipart form with one file part (`file_field`), adding `_csrf` as a part like a browser
    /// form would.
    pub async fn post_file(
        &mut self,
        path: &str,
        file_field: &str,
        filename: &str,
        bytes: &[u8],
    ) -> TestResponse {
        self.post_multipart(path, &[], &[(file_field, filename, bytes)])
            .await
    }

    /// A multipart form as a browser sends it: the CSRF token, text fields, then files
    /// (field, file name, bytes).
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> TestResponse {
        let boundary = "----liaisontestboundary7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = Vec::new();
        let csrf = self.csrf.clone();
        let text = csrf
            .iter()
            .map(|t| ("_csrf", t.as_str()))
            .chain(fields.iter().copied());
        for (k, v) in text {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                    .as_bytes(),
            );
        }
        for (field, filename, bytes) in files {
            body.extend(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend(*bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }

    /// Response body bytes of a GET (for downloads).
    pub async fn get_bytes(&mut self, path: &str) -> (StatusCode, Vec<u8>) {
        let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut req = Request::get(path).body(Body::empty()).expect("request");
        if !cookie.is_empty() {
            req.headers_mut()
                .insert(header::COOKIE, cookie.join("; ").parse().expect("cookie"));
        }
        let res = self.app.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        (
            status,
            res.into_body().collect().await.expect("body").to_bytes().to_vec(),
        )
    }

    /// Logs in as a browser would: load the form, post it, follow the redirect (which brings the
    /// session's CSRF token) and any further redirect. Returns the response to the post.
    pub async fn login(&mut self, username: &str, password: &str) -> TestResponse {
        self.get("/login").await;
        let fields = [("username", username), ("password", password), ("next", "/")];
        let r = self.post_form("/login", &fields).await;
        let mut next = r.location().map(str::to_owned);
        for _ in 0..3 {
            let Some(to) = next.take() else { break };
            next = self.get(&to).await.location().map(str::to_owned);
        }
        r
    }

    /// The session cookie's value, if logged in.
    pub fn session_cookie(&self) -> Option<String> {
        self.cookies.get("liaison_session").cloned()
    }

    pub fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }

    pub fn forget_csrf(&mut self) {
        self.csrf = None;
    }
}
