//! The web layer's own `Form`, `MultiForm`, `Query`, `Path` and `Multipart` extractors: the same
//! parsing as axum's, but a value that does not parse becomes a `WebError` with a Chinese message, so
//! it is rendered like every other error (page, htmx fragment or JSON envelope). Handlers import these,
//! never axum's (a test in `tests/rejections.rs` keeps it so).
//!
//! Per extractor: a query or form that does not parse is a request no page of ours sends, so it is
//! 400 naming the parameter where the page has a label for it. A path parameter that does not parse
//! (`/opinions/abc`) names nothing, like an id outside the caller's scope, so it is the same 404:
//! the answer does not tell which part of an address was wrong.

use std::fmt::Display;

use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::{PathRejection, RawFormRejection};
use axum::extract::{FromRequest, FromRequestParts, RawForm, RawQuery, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::WebError;
use crate::error::FieldError;

/// The labels the pages give to parameters that can fail to parse (a number, a required field),
/// so a message can name them. Parameters without a label get the general message.
const LABELS: &[(&str, &str)] = &[
    ("as", "操作身份"),
    ("action", "操作"),
    ("r", "回执码"),
    ("station", "联络站"),
    ("tpl", "答复模板"),
    ("limit", "每页条数"),
    ("min_length", "密码最小长度"),
    ("min_classes", "至少包含的字符类别数"),
    ("max_age_days", "密码有效期"),
    ("lockout_threshold", "连续登录失败几次后锁定"),
    ("lockout_minutes", "锁定时长"),
    ("session_idle_minutes", "无操作自动退出"),
    ("deputy_session_days", "代表手机登录保持天数"),
    ("deputy_max_age_days", "代表账号密码有效期"),
];

/// `application/x-www-form-urlencoded` (or the query of a GET) into `T`, as `axum::Form` does.
pub struct Form<T>(pub T);

/// A form whose fields may repeat (ticked boxes, multiple selects) and collect into a `Vec`, as
/// `axum_extra::extract::Form` does; an empty value of an `Option` field is `None` here.
pub struct MultiForm<T>(pub T);

/// The query string into `T`, as `axum::extract::Query` does.
pub struct Query<T>(pub T);

/// Path parameters into `T`; one that does not parse is 404 (see the module doc).
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(WebError))]
pub struct Path<T>(pub T);

/// A multipart upload; a body that is not one (no boundary) is 400. Errors inside the parts are
/// answered by `upload::read`.
pub struct Multipart(pub axum::extract::Multipart);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        let RawForm(bytes) = RawForm::from_request(req, state).await.map_err(raw_form)?;
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(&bytes));
        serde_path_to_error::deserialize(de)
            .map(Form)
            .map_err(|e| malformed(e, FORM))
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for MultiForm<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        let RawForm(bytes) = RawForm::from_request(req, state).await.map_err(raw_form)?;
        let de = serde_html_form::Deserializer::new(form_urlencoded::parse(&bytes));
        serde_path_to_error::deserialize(de)
            .map(MultiForm)
            .map_err(|e| malformed(e, FORM))
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        let Ok(RawQuery(query)) = RawQuery::from_request_parts(parts, state).await;
        let query = query.unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| malformed(e, QUERY))
    }
}

impl<S: Send + Sync> FromRequest<S> for Multipart {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        // paced: the parser reads the form piece by piece as it arrives (see `upload::paced`)
        let req = req.map(|body| crate::upload::paced(axum::body::Bytes::new(), body));
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(Multipart)
            .map_err(|e: MultipartRejection| {
                bad_request("上传的表单格式不正确，请刷新页面后重试", e.body_text(), vec![])
            })
    }
}

impl From<PathRejection> for WebError {
    fn from(e: PathRejection) -> WebError {
        match e {
            // A route and its handler that disagree on the parameters: our bug, not the caller's.
            PathRejection::FailedToDeserializePathParams(e) if e.status().is_server_error() => {
                WebError::Internal(e.body_text())
            }
            PathRejection::FailedToDeserializePathParams(_) => WebError::NotFound,
            other => WebError::Internal(other.body_text()),
        }
    }
}

const FORM: &str = "提交的内容格式不正确，请刷新页面后重试";

/// A form (not an upload) over `crate::MAX_BODY`.
pub(crate) fn too_large() -> String {
    format!("提交的内容过大（上限 {} MB）", crate::MAX_BODY / (1024 * 1024))
}
const QUERY: &str = "请求中的参数格式不正确";

fn raw_form(e: RawFormRejection) -> WebError {
    match e {
        RawFormRejection::InvalidFormContentType(e) => {
            bad_request("提交的格式不正确，请从页面上的表单提交", e.body_text(), vec![])
        }
        RawFormRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            WebError::TooLarge {
                message: too_large(),
                fields: vec![],
            }
        }
        other => bad_request("提交中断，请重试", other.body_text(), vec![]),
    }
}

/// The message for a query or form that did not deserialize: the parameter named by its label when
/// the deserializer says which one and the page has a label for it, else `general`.
fn malformed<E: Display>(e: serde_path_to_error::Error<E>, general: &str) -> WebError {
    let inner = e.inner().to_string();
    // serde reports a missing field at the struct itself, naming it in the message.
    let missing = inner
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'));
    let field = match missing {
        Some(name) => name.to_owned(),
        None => e.path().to_string(),
    };
    let label = LABELS.iter().find(|(name, _)| *name == field).map(|(_, l)| *l);
    let message = match (label, missing) {
        (Some(label), Some(_)) => format!("缺少“{label}”，请刷新页面后重试"),
        (Some(label), None) => format!("“{label}”格式不正确"),
        (None, _) => general.to_owned(),
    };
    let fields = match label {
        Some(_) => vec![FieldError {
            field,
            message: message.clone(),
        }],
        None => vec![],
    };
    bad_request(&message, e.to_string(), fields)
}

fn bad_request(message: &str, cause: String, fields: Vec<FieldError>) -> WebError {
    tracing::debug!("malformed request: {cause}");
    WebError::BadRequest {
        message: message.to_owned(),
        fields,
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Q {
        tpl: Option<i64>,
        wait: Option<u64>,
        r: String,
    }

    fn parse(query: &str) -> Result<Q, WebError> {
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de).map_err(|e| malformed(e, QUERY))
    }

    fn message(e: WebError) -> (String, Vec<String>) {
        match e {
            WebError::BadRequest { message, fields } => {
                (message, fields.into_iter().map(|f| f.field).collect())
            }
            other => panic!("not a bad request: {other:?}"),
        }
    }

    #[test]
    fn a_labelled_parameter_is_named_in_chinese() {
        let (m, fields) = message(parse("r=ABCD-EFGH&tpl=x").unwrap_err());
        assert_eq!(m, "“答复模板”格式不正确");
        assert_eq!(fields, ["tpl"]);
        let (m, fields) = message(parse("tpl=1").unwrap_err());
        assert_eq!(m, "缺少“回执码”，请刷新页面后重试");
        assert_eq!(fields, ["r"]);
    }

    #[test]
    fn an_unlabelled_parameter_gets_the_general_message() {
        let (m, fields) = message(parse("r=x&wait=-1").unwrap_err());
        assert_eq!(m, QUERY);
        assert!(fields.is_empty());
        assert!(
            parse("r=x&wait=5&tpl=").is_err(),
            "an empty number is malformed, as with axum"
        );
    }
}
