//! The authorisation matrix: every role of the fixture cast against every guarded route, in-region and
//! out-of-region, on both backends. One table, not case by case; a test holds it to the router's own
//! route table, so every route has a row or a stated reason to be open to all.

use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{self, PASSWORD, cast};

use crate::matrix::{EXEMPT, MATRIX, WHO};

both_backends!(
    async fn every_role_sees_only_what_it_may(db) {
        let c = cast(&db).await;
        // a deployment with its public address set, so QR codes can be printed
        let cfg = liaison_web::WebConfig { public_url: Some("https://rd.example.cn".into()), ..Default::default() };
        let app = TestApp::with_config(db, cfg);
        let ids = crate::matrix::setup(&app, &c).await;
        let fill = |s: &str| crate::matrix::fill(&ids, s);
        let mut failures = Vec::new();
        for (i, who) in WHO.iter().enumerate() {
            let mut client = app.client();
            if *who != "anon" {
                let r = client.login(who, PASSWORD).await;
                assert_eq!(r.status.as_u16(), 303, "login {who}: {}", r.body);
            }
            for (how, _, path, fields, expected) in MATRIX {
                let path = fill(path);
                let values: Vec<String> = fields.iter().map(|(_, v)| fill(v)).collect();
                let fields: Vec<(&str, &str)> = fields.iter().zip(&values).map(|((k, _), v)| (*k, v.as_str())).collect();
                let r = match *how {
                    "GET" => client.get(&path).await,
                    "POST" => client.post_form(&path, &fields).await,
                    _ => client.post_multipart(&path, &fields, &[]).await,
                };
                if r.status.as_u16() != expected[i] {
                    failures.push(format!("{who:>16} {how} {path}: got {}, want {}", r.status.as_u16(), expected[i]));
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

/// Every route the app has is in the matrix or exempt with a reason, and neither names a route the
/// app does not have: a new route cannot ship without saying who may use it.
#[test]
fn every_route_has_a_row_or_a_reason() {
    let table = liaison_web::route_table();
    let method = |how: &str| if how == "GET" { "GET" } else { "POST" };
    let covered: std::collections::BTreeSet<(&str, &str)> = MATRIX
        .iter()
        .map(|(how, route, ..)| (method(how), *route))
        .chain(EXEMPT.iter().map(|(m, route, _)| (*m, *route)))
        .collect();
    let missing: Vec<_> = table.iter().filter(|r| !covered.contains(r)).collect();
    assert!(
        missing.is_empty(),
        "routes with no row in the authorisation matrix and no exemption: {missing:?}"
    );
    let unknown: Vec<_> = covered.iter().filter(|r| !table.contains(r)).collect();
    assert!(
        unknown.is_empty(),
        "matrix rows or exemptions for routes the app does not have: {unknown:?}"
    );
    for (m, route, _) in EXEMPT {
        assert!(
            !MATRIX.iter().any(|(how, r, ..)| method(how) == *m && r == route),
            "{m} {route} is both exempt and in the matrix"
        );
    }
    // each row's path is an instance of its route
    for (_, route, path, ..) in MATRIX {
        let (r, p): (Vec<&str>, Vec<&str>) = (route.split('/').collect(), path.split('/').collect());
        assert!(
            r.len() == p.len() && r.iter().zip(&p).all(|(a, b)| a == b || a.starts_with('{')),
            "{path} is not a path of {route}"
        );
    }
}

#[test]
fn the_matrix_names_only_fixture_roles() {
    for who in WHO.iter().filter(|w| **w != "anon") {
        assert!(
            fixtures::CAST.iter().any(|(u, _, _)| u == who),
            "{who} not in the cast"
        );
    }
}
