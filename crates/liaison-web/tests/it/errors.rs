//! Errors: a stable code and a Chinese message, as JSON for the API and as a page for people.

use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

both_backends!(
    async fn api_errors_are_json_with_code_and_chinese_message(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        let r = c.get("/api/v1/regions/12x").await;
        assert_eq!(r.status.as_u16(), 422);
        let e = &r.json()["error"];
        assert_eq!(e["code"], "invalid_input");
        assert!(e["message"].as_str().unwrap().contains("行政区划代码"));
        assert_eq!(e["fields"][0]["field"], "code");
        let r = c.get("/api/v1/regions/632599").await;
        assert_eq!(r.status.as_u16(), 404);
        assert_eq!(r.json()["error"]["code"], "not_found");
        let r = c.get("/api/v1/me").await;
        assert_eq!(r.status.as_u16(), 401);
        assert_eq!(r.json()["error"]["code"], "unauthenticated");
        // public region data
        let r = c.get("/api/v1/regions/632521").await;
        assert_eq!(r.json()["children"].as_array().unwrap().len(), 15);
    }
);

both_backends!(
    async fn pages_show_chinese_errors(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("town_clerk", PASSWORD).await;
        let r = c.get("/no/such/page").await;
        assert_eq!(r.status.as_u16(), 404);
        assert_eq!(r.html().text("h1"), "未找到，或不在您的管辖范围内");
        let r = c.get("/admin/audit").await;
        assert_eq!(r.status.as_u16(), 403);
        assert_eq!(r.html().text("h1"), "您没有权限执行此操作");
        // htmx asks for a fragment
        let req = axum::http::Request::get("/admin/audit").header("hx-request", "true").body(axum::body::Body::empty()).unwrap();
        let r = c.send(req).await;
        assert!(r.body.starts_with("<div class=\"alert error\""), "{}", r.body);
    }
);

both_backends!(
    async fn health_answers_when_the_database_does(db) {
        let app = TestApp::with_db(db);
        let r = app.client().get("/healthz").await;
        assert_eq!(r.status.as_u16(), 200);
        assert_eq!(r.json()["status"], "ok");
    }
);
