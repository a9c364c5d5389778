//! Security headers on every response, no inline script anywhere, and the framework's own refusals
//! (405, 413) answered in Chinese like every other error.

use axum::body::Body;
use axum::http::{Request, header};
use liaison_testkit::app::{TestApp, TestResponse};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

fn assert_secured(what: &str, r: &TestResponse) {
    let h = |name: &str| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("{what}: no {name} header ({})", r.status))
            .to_owned()
    };
    let csp = h("content-security-policy");
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(part), "{what}: CSP lacks {part}: {csp}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{what}: {csp}"
    );
    assert_eq!(h("x-frame-options"), "DENY", "{what}");
    assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(h("referrer-policy"), "same-origin", "{what}");
}

fn assert_not_stored(what: &str, r: &TestResponse) {
    let cc = r
        .headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(cc.contains("no-store"), "{what}: Cache-Control is {cc:?}");
}

both_backends!(
    async fn every_response_carries_the_security_headers_and_personal_data_is_never_cached(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut anon = app.client();
        for path in ["/login", "/find", "/t", "/no/such/page", "/api/v1/regions/632521", "/healthz"] {
            let r = anon.get(path).await;
            assert_secured(path, &r);
            assert_not_stored(path, &r);
        }
        // static files may be cached, but carry the same headers
        let r = anon.get("/static/app.css").await;
        assert_secured("app.css", &r);
        assert!(r.headers[header::CACHE_CONTROL].to_str().unwrap().contains("max-age"));
        let mut c = app.client();
        c.login("county_clerk", PASSWORD).await;
        for path in ["/", "/opinions", "/deputies", "/stations", "/opinions/export.xlsx", "/export/deputies.xlsx"] {
            let r = c.get(path).await;
            assert!(r.status.is_success(), "{path}: {}", r.status);
            assert_secured(path, &r);
            assert_not_stored(path, &r);
        }
    }
);

both_backends!(
    async fn the_frameworks_own_refusals_are_chinese_pages(db) {
        let app = TestApp::with_db(db);
        let mut c = app.client();
        // a method the route does not answer
        let r = c.get("/admin/sms/1/retry").await;
        assert_eq!(r.status.as_u16(), 405);
        assert!(r.headers.contains_key(header::ALLOW), "405 keeps Allow");
        assert_eq!(r.html().text("h1"), "此地址不支持这种请求方式");
        assert_secured("405", &r);
        let r = c.get_json("/admin/sms/1/retry").await;
        assert_eq!(r.status.as_u16(), 405);
        assert_eq!(r.json()["error"]["code"], "method_not_allowed");
        // a body announced over the limit is refused before it is read, in Chinese
        let req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, (liaison_web::MAX_BODY + 1).to_string())
            .body(Body::from(vec![b'a'; liaison_web::MAX_BODY + 1]))
            .unwrap();
        let r = c.send(req).await;
        assert!(matches!(r.status.as_u16(), 413 | 422), "{}", r.status);
        let h1 = r.html().text("h1");
        assert!(h1.contains("太大") || h1.contains("过大"), "{}", r.body);
    }
);

/// The Content-Security-Policy allows no inline script: no template may carry one (a `<script>`
/// without `src`, an `on…=` handler attribute or a `javascript:` address), nor an inline style.
#[test]
fn no_template_carries_inline_script_or_style() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut bad = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap().to_lowercase();
            let inline_script = text.match_indices("<script").any(|(i, _)| {
                let tag_end = text[i..].find('>').map_or(text.len(), |e| i + e);
                !text[i..tag_end].contains("src=")
            });
            let handler = regex_lite_on(&text);
            if inline_script
                || handler
                || text.contains("javascript:")
                || text.contains(" style=\"")
                || text.contains("<style")
            {
                bad.push(p.display().to_string());
            }
        }
    }
    assert!(bad.is_empty(), "inline script or style in: {bad:?}");
}

/// ` onclick=`, ` onload=`, … : an event-handler attribute.
fn regex_lite_on(text: &str) -> bool {
    text.match_indices(" on").any(|(i, _)| {
        let rest = &text[i + 3..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        !name.is_empty() && rest[name.len()..].starts_with('=')
    })
}
