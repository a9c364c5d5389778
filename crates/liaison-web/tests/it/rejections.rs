//! A malformed address, query, form or upload is answered in Chinese by the one error renderer
//! (page, htmx fragment or JSON envelope), never by the framework's English plain text; and no
//! handler takes axum's extractors, whose rejections would bypass it.

use axum::body::Body;
use axum::http::{Request, header};
use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

both_backends!(
    async fn an_id_that_is_not_a_number_is_not_found(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("town_clerk", PASSWORD).await;
        for path in ["/opinions/abc", "/stations/1x", "/deputies/%E4%B8%80", "/admin/sms/x/retry"] {
            let r = if path.ends_with("retry") { c.post_form(path, &[]).await } else { c.get(path).await };
            assert_eq!(r.status.as_u16(), 404, "{path}: {}", r.body);
            assert_eq!(r.html().text("h1"), "未找到，或不在您的管辖范围内", "{path}");
        }
        let r = c.get_json("/opinions/abc").await;
        assert_eq!(r.status.as_u16(), 404);
        assert_eq!(r.json()["error"]["code"], "not_found");
    }
);

both_backends!(
    async fn a_bad_query_value_is_named_in_chinese(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        let r = c.get("/published?station=abc").await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        assert_eq!(r.html().text("h1"), "“联络站”格式不正确");
        // a parameter no page labels gets the general message
        c.login("county_clerk", PASSWORD).await;
        let r = c.post_file("/import/deputies?wait=soon", "file", "a.xlsx", b"x").await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        assert_eq!(r.html().text("h1"), "请求中的参数格式不正确");
        // htmx asks for a fragment
        let req = Request::get("/published?station=abc").header("hx-request", "true").body(Body::empty()).unwrap();
        let r = c.send(req).await;
        assert_eq!(r.status.as_u16(), 400);
        assert!(r.body.starts_with("<div class=\"alert error\"") && r.body.contains("“联络站”格式不正确"), "{}", r.body);
    }
);

both_backends!(
    async fn a_bad_form_is_answered_in_chinese(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("town_clerk", PASSWORD).await;
        // a required field missing
        let r = c.post_form("/opinions/1/act", &[("action", "accept")]).await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        assert_eq!(r.html().text("h1"), "缺少“操作身份”，请刷新页面后重试");
        // not a form at all
        let token = c.csrf().unwrap().to_owned();
        let req = Request::post("/opinions/1/act")
            .header("x-csrf-token", &token)
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("as=staff&action=accept"))
            .unwrap();
        let r = c.send(req).await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        assert_eq!(r.html().text("h1"), "提交的格式不正确，请从页面上的表单提交");
        // an upload without its boundary
        let req = Request::post("/opinions/new")
            .header("x-csrf-token", &token)
            .header(header::CONTENT_TYPE, "multipart/form-data")
            .body(Body::from("x"))
            .unwrap();
        let r = c.send(req).await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        assert_eq!(r.html().text("h1"), "上传的表单格式不正确，请刷新页面后重试");
    }
);

both_backends!(
    async fn the_api_answers_a_bad_value_with_the_json_envelope(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("sysadmin", PASSWORD).await;
        let r = c.get("/api/v1/accounts?limit=many").await;
        assert_eq!(r.status.as_u16(), 400, "{}", r.body);
        let e = &r.json()["error"];
        assert_eq!(e["code"], "bad_request");
        assert_eq!(e["message"], "“每页条数”格式不正确");
        assert_eq!(e["fields"][0]["field"], "limit");
        // a page asked for JSON gets the envelope too
        let r = c.get_json("/published?station=abc").await;
        assert_eq!(r.status.as_u16(), 400);
        assert_eq!(r.json()["error"]["code"], "bad_request");
        assert_eq!(r.json()["error"]["message"], "“联络站”格式不正确");
    }
);

/// Every handler takes `crate::extract`'s extractors: axum's `Form`, `Query`, `Path`, `Multipart`,
/// `Json` (and axum-extra's) answer a malformed value with English plain text.
#[test]
fn handlers_use_only_the_web_layers_own_extractors() {
    const OWN: &[&str] = &[
        "Form",
        "Query",
        "Path",
        "Multipart",
        "Json",
        "RawForm",
        "RawPathParams",
    ];
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("extract.rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                // comments dropped; the lines joined, as an import group may span several
                let code: Vec<&str> = text.lines().map(|l| l.split("//").next().unwrap_or("")).collect();
                if uses_framework_extractor(&code.join(" "), OWN) {
                    offenders.push(path.display().to_string());
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "take crate::extract's extractors in:\n{}",
        offenders.join("\n")
    );
}

/// `axum::Form`, `axum::extract::{Path, …}`, `axum_extra::extract::Form`; and `Json` as a parameter
/// (`Json(x): Json<T>`; as a response type it cannot reject anything).
fn uses_framework_extractor(code: &str, names: &[&str]) -> bool {
    if code.contains("axum_extra::extract") {
        return true;
    }
    if code.contains("): Json<") || code.contains("): axum::Json<") {
        return true;
    }
    for prefix in ["axum::extract::", "axum::"] {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            rest = &rest[at + prefix.len()..];
            // one name, or a group (possibly nested) up to its closing brace
            let used = match rest.strip_prefix('{') {
                Some(group) => {
                    let mut depth = 1;
                    let end = group
                        .char_indices()
                        .find(|&(_, c)| {
                            depth += match c {
                                '{' => 1,
                                '}' => -1,
                                _ => 0,
                            };
                            depth == 0
                        })
                        .map_or(group.len(), |(i, _)| i);
                    &group[..end]
                }
                None => rest
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .unwrap_or(""),
            };
            let mut names_used = used.split(|c: char| !c.is_alphanumeric() && c != '_');
            // `axum::Json` as a response type is fine; as a parameter it is caught above
            if names_used.any(|name| names.contains(&name) && !(name == "Json" && prefix == "axum::")) {
                return true;
            }
        }
    }
    false
}

#[test]
fn the_guard_sees_the_ways_an_extractor_is_imported() {
    let names = &["Form", "Query", "Path", "Multipart", "Json"];
    for line in [
        "use axum::Form;",
        "use axum::extract::{Query, State};",
        "use axum_extra::extract::Form;",
        "    axum::extract::Path(id): axum::extract::Path<i64>,",
        "    Json(body): Json<Value>,",
        "use axum::extract::{\n    Multipart, Path,\n    State,\n};",
        "use axum::{Router, extract::{Query, State}};",
    ] {
        assert!(uses_framework_extractor(line, names), "{line}");
    }
    for line in [
        "use axum::extract::State;",
        "use axum::Json;",
        "use crate::extract::{Form, Path};",
        "use axum::extract::{FromRequestParts, Request};",
        ") -> Result<Json<Value>, WebError> {",
    ] {
        assert!(!uses_framework_extractor(line, names), "{line}");
    }
}
