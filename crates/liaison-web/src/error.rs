//! `WebError`: the one error type of the web layer, and the one place that turns errors into responses.
//!
//! A handler returns `WebError`; its `IntoResponse` only records what went wrong. The `render`
//! middleware, which sees the request, then writes it as JSON (`/api/…` or `Accept: application/json`),
//! as an htmx fragment (`HX-Request`), or as a full Chinese HTML page. 5xx responses carry the request id
//! and the cause is logged, never shown.

use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_store::StoreError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Input that does not parse or validate: 422 with per-field messages.
    #[error("{message}")]
    Invalid {
        code: &'static str,
        message: String,
        fields: Vec<FieldError>,
    },
    /// A request no page of ours sends: a query, form or upload that does not parse (400). Raised by
    /// the extractors in `extract.rs`; `fields` names the parameter when it is known.
    #[error("{message}")]
    BadRequest {
        message: String,
        fields: Vec<FieldError>,
    },
    /// Not logged in: HTML pages redirect to the login page, the API answers 401.
    #[error("请先登录")]
    Unauthenticated,
    /// Logged in but the password must be changed first.
    #[error("请先修改密码")]
    MustChangePassword,
    #[error("您没有权限执行此操作")]
    Forbidden,
    #[error("未找到，或不在您的管辖范围内")]
    NotFound,
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("页面已过期或来源不明，请刷新页面后重试")]
    Csrf,
    #[error("提交太频繁，请稍后再试")]
    RateLimited,
    /// An upload over its route's body limit (413), named per field like `Invalid`.
    #[error("{message}")]
    TooLarge {
        message: String,
        fields: Vec<FieldError>,
    },
    #[error("服务器内部错误")]
    Internal(String),
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl WebError {
    pub fn invalid(field: &str, message: impl Into<String>) -> WebError {
        let message = message.into();
        WebError::Invalid {
            code: "invalid_input",
            message: message.clone(),
            fields: vec![FieldError {
                field: field.to_owned(),
                message,
            }],
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            WebError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            WebError::Unauthenticated => StatusCode::UNAUTHORIZED,
            WebError::MustChangePassword | WebError::Forbidden | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Conflict { .. } => StatusCode::CONFLICT,
            WebError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            WebError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            WebError::Invalid { code, .. } | WebError::Conflict { code, .. } => code,
            WebError::BadRequest { .. } => "bad_request",
            WebError::Unauthenticated => "unauthenticated",
            WebError::MustChangePassword => "password_change_required",
            WebError::Forbidden => "forbidden",
            WebError::NotFound => "not_found",
            WebError::Csrf => "csrf",
            WebError::RateLimited => "rate_limited",
            WebError::TooLarge { .. } => "too_large",
            WebError::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> WebError {
        match e {
            StoreError::NotFound | StoreError::OutOfScope => WebError::NotFound,
            StoreError::Forbidden => WebError::Forbidden,
            StoreError::Conflict(field) => {
                let message = match field {
                    "username" => "该用户名已被使用",
                    "bootstrap" => "系统已初始化，不能再次初始化",
                    "self_roles" => "不能修改自己的角色",
                    "self_disable" => "不能停用自己的账号",
                    "link" => "这两位之间已建立联系",
                    "unit_binding" => "所选承办单位不在该账号的行政区内",
                    "station_binding" => "所选站点不在该账号的行政区内",
                    "person_binding" => "所选代表不在任，或其选区不在该账号的行政区内",
                    "self_link" => "不能与自己建立联系",
                    _ => "与现有数据冲突",
                };
                WebError::Conflict {
                    code: "conflict",
                    message: message.to_owned(),
                }
            }
            StoreError::Refused(message) => WebError::Conflict {
                code: "refused",
                message,
            },
            StoreError::RateLimited => WebError::RateLimited,
            StoreError::Field { field, message } => WebError::Invalid {
                code: "invalid_input",
                message: message.clone(),
                fields: vec![FieldError {
                    field: field.to_owned(),
                    message,
                }],
            },
            StoreError::Domain(d) => d.into(),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<liaison_domain::DomainError> for WebError {
    fn from(e: liaison_domain::DomainError) -> WebError {
        match e {
            liaison_domain::DomainError::Field { field, message } => WebError::invalid(field, message),
            e => WebError::Invalid {
                code: "invalid_input",
                message: e.to_string(),
                fields: vec![],
            },
        }
    }
}

/// What a failed handler leaves for the `render` middleware.
#[derive(Debug, Clone)]
struct Failure {
    code: &'static str,
    message: String,
    fields: Vec<FieldError>,
    cause: Option<String>,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut res = self.status().into_response();
        res.extensions_mut().insert(Failure {
            code: self.code(),
            message: self.to_string(),
            fields: match &self {
                WebError::Invalid { fields, .. }
                | WebError::BadRequest { fields, .. }
                | WebError::TooLarge { fields, .. } => fields.clone(),
                _ => vec![],
            },
            cause: match self {
                WebError::Internal(c) => Some(c),
                _ => None,
            },
        });
        res
    }
}

#[derive(Serialize)]
struct JsonError<'a> {
    error: JsonErrorBody<'a>,
}

#[derive(Serialize)]
struct JsonErrorBody<'a> {
    code: &'a str,
    message: &'a str,
    fields: &'a [FieldError],
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    message: &'a str,
    fields: &'a [FieldError],
    request_id: Option<&'a str>,
    fragment: bool,
}

/// Middleware: turns a recorded `Failure` into the body the client can read.
pub async fn render(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let wants_json = path.starts_with("/api/")
        || path == "/healthz"
        || req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.starts_with("application/json"));
    let htmx = req.headers().contains_key("hx-request");
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let res = next.run(req).await;
    let Some(f) = res.extensions().get::<Failure>().cloned().or_else(|| bare(&res)) else {
        return res;
    };
    let status = res.status();
    let allow = res.headers().get(header::ALLOW).cloned();
    let mut out = written(status, f, wants_json, htmx, &path, query, request_id);
    if let Some(allow) = allow {
        out.headers_mut().insert(header::ALLOW, allow);
    }
    out
}

fn written(
    status: StatusCode,
    f: Failure,
    wants_json: bool,
    htmx: bool,
    path: &str,
    query: Option<String>,
    request_id: Option<String>,
) -> Response {
    if let Some(cause) = &f.cause {
        tracing::error!(request_id = request_id.as_deref().unwrap_or("-"), %path, "internal error: {cause}");
    }
    let rid = status
        .is_server_error()
        .then_some(request_id.as_deref())
        .flatten();
    if wants_json {
        let body = JsonError {
            error: JsonErrorBody {
                code: f.code,
                message: &f.message,
                fields: &f.fields,
                request_id: rid,
            },
        };
        return (status, axum::Json(body)).into_response();
    }
    match f.code {
        "unauthenticated" if !htmx => {
            let next = match query {
                Some(q) => format!("{path}?{q}"),
                None => path.to_owned(),
            };
            let to = format!("/login?next={}", urlencode(&next));
            return Redirect::to(&to).into_response();
        }
        "password_change_required" if !htmx => return Redirect::to("/account/password").into_response(),
        _ => {}
    }
    let page = ErrorPage {
        status: status.as_u16(),
        message: &f.message,
        fields: &f.fields,
        request_id: rid,
        fragment: htmx,
    };
    let html = page.render().unwrap_or_else(|_| f.message.clone());
    let mut out = (status, html).into_response();
    out.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    out
}

/// A refusal the framework wrote itself (a method the route does not answer, a body over the limit,
/// a request that timed out), with an empty or English plain-text body: the same Chinese page, fragment
/// or JSON as every other error.
fn bare(res: &Response) -> Option<Failure> {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return None;
    }
    let ours = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"));
    if ours {
        return None;
    }
    let (code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "此地址不支持这种请求方式"),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "上传的内容太大，请缩小文件后重试"),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "请求超时，请重试"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("bad_request", "提交的内容格式不正确，请刷新页面后重试"),
        StatusCode::NOT_FOUND => ("not_found", "未找到"),
        s if s.is_server_error() => ("internal", "服务器内部错误"),
        _ => ("bad_request", "请求无法处理，请刷新页面后重试"),
    };
    Some(Failure {
        code,
        message: message.to_owned(),
        fields: vec![],
        cause: None,
    })
}

/// Percent-encodes a path for a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_./~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
