//! The authorisation matrix: every role of the fixture cast against every guarded route, in-region and
//! out-of-region, on both backends. One table, not case by case.

use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{self, PASSWORD, cast};

/// Who is asking. `anon` is nobody logged in.
const WHO: &[&str] = &[
    "anon",
    "sysadmin",
    "secadmin",
    "auditor",
    "county_clerk",
    "town_clerk",
    "other_town_clerk",
    "station_mgr",
    "deputy",
    "unit",
    "chair",
];

/// (method, path template, expected statuses in WHO order). `{town}` / `{far}` are the ids of
/// `town_clerk` (in 共和县) and `far_clerk` (乌当区, outside everyone's reach here).
/// 303 for anon means "sent to the login page"; the API answers anon with 401.
const MATRIX: &[(&str, &str, [u16; 11])] = &[
    //                                   anon sys  sec  aud  cty  twn  otw  stn  dep  unit chair
    (
        "GET",
        "/",
        [303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/account",
        [303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/inbox",
        [303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/regions/632521",
        [303, 200, 200, 200, 200, 404, 404, 404, 404, 200, 200],
    ),
    (
        "GET",
        "/regions/632521100",
        [303, 200, 200, 200, 200, 200, 404, 200, 404, 200, 200],
    ),
    (
        "GET",
        "/regions/632521101",
        [303, 200, 200, 200, 200, 404, 200, 404, 404, 200, 200],
    ),
    (
        "GET",
        "/regions/632521100201",
        [303, 200, 200, 200, 200, 200, 404, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/regions/520112",
        [303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
    ),
    (
        "GET",
        "/admin/accounts",
        [303, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/admin/accounts/new",
        [303, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/admin/accounts/{town}",
        [303, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/admin/accounts/{far}",
        [303, 404, 404, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/admin/security",
        [303, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/admin/audit",
        [303, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/admin/calendar",
        [303, 200, 403, 403, 200, 403, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/admin/sms",
        [303, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    (
        "POST",
        "/admin/sms/999999/retry",
        [303, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/api/v1/me",
        [401, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "GET",
        "/api/v1/accounts",
        [401, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    (
        "GET",
        "/api/v1/audit",
        [401, 403, 403, 200, 403, 403, 403, 403, 403, 403, 403],
    ),
    (
        "POST",
        "/admin/accounts/{far}/disable",
        [303, 404, 403, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    (
        "POST",
        "/admin/accounts/{far}/unlock",
        [303, 403, 404, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
    (
        "POST",
        "/admin/accounts/{town}/unlock",
        [303, 403, 303, 403, 403, 403, 403, 403, 403, 403, 403],
    ),
];

both_backends!(
    async fn every_role_sees_only_what_it_may(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let mut failures = Vec::new();
        for (i, who) in WHO.iter().enumerate() {
            let mut client = app.client();
            if *who != "anon" {
                let r = client.login(who, PASSWORD).await;
                assert_eq!(r.status.as_u16(), 303, "login {who}: {}", r.body);
            }
            for (method, path, expected) in MATRIX {
                let path = path
                    .replace("{town}", &c.id("town_clerk").to_string())
                    .replace("{far}", &c.id("far_clerk").to_string());
                let r = match *method {
                    "GET" => client.get(&path).await,
                    _ => client.post_form(&path, &[]).await,
                };
                if r.status.as_u16() != expected[i] {
                    failures.push(format!("{who:>16} {method} {path}: got {}, want {}", r.status.as_u16(), expected[i]));
                }
                // nothing of the other county ever shows on a page that did load
                if r.status.is_success() {
                    assert!(!r.body.contains("far_clerk") && !r.body.contains("乌当区"), "{who} {path} leaks another region");
                }
            }
        }
        assert!(failures.is_empty(), "authorisation matrix mismatches:\n{}", failures.join("\n"));
    }
);

both_backends!(
    async fn lists_are_limited_to_the_subtree(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("sysadmin", PASSWORD).await;
        let r = c.get_json("/api/v1/accounts?limit=200").await;
        let items = r.json()["items"].as_array().cloned().unwrap();
        assert!(items.len() >= 10);
        assert!(items.iter().all(|a| a["region"].as_str().unwrap().starts_with("632521")));
        let page = c.get("/admin/accounts").await.html();
        assert!(page.texts("#accounts td a").iter().any(|t| t == "town_clerk"));
    }
);

#[test]
fn the_matrix_names_only_fixture_roles() {
    for who in WHO.iter().filter(|w| **w != "anon") {
        assert!(
            fixtures::CAST.iter().any(|(u, _, _)| u == who),
            "{who} not in the cast"
        );
    }
}
