//! Where the browser goes after login: only a path of this site; anything else goes home.

use super::*;

/// Targets that leave the site (or the header) once a browser or a proxy has read them, each as the
/// form field carries it (already decoded once).
const OFF_SITE: &[&str] = &[
    "/\t/evil.example",
    "/%09/evil.example",
    "/%2509/evil.example",
    "//evil",
    "/%2F/evil",
    "/%2f%2fevil",
    "/\\evil",
    "/%5Cevil",
    "https://evil",
    "http:/evil",
    "javascript:alert(1)",
    "/\r\nSet-Cookie:x",
    "/%0d%0aSet-Cookie:x",
    "/%0D%0ASet-Cookie:x",
    " /x",
    "\t//evil",
    "/x\n",
    "/\u{3000}/evil",
    "/\u{a0}/evil",
    "/ /evil",
    "",
];

both_backends!(
    async fn redirects_after_login_never_leave_the_site(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        for next in OFF_SITE {
            let mut c = app.client();
            let r = post_login(&mut c, "127.0.0.1", "county_clerk", PASSWORD, next).await;
            assert_eq!(r.status.as_u16(), 303, "{next:?}: {}", r.body);
            assert_eq!(r.location(), Some("/"), "{next:?}");
            // and the login page, visited while logged in, does not follow it either
            let q = form_urlencoded::Serializer::new(String::new()).append_pair("next", next).finish();
            let r = c.get(&format!("/login?{q}")).await;
            assert_eq!(r.status.as_u16(), 303, "{next:?}: {}", r.body);
            assert_eq!(r.location(), Some("/"), "GET {next:?}");
        }
        // a path of this site is followed, query and all
        let mut c = app.client();
        let r = post_login(&mut c, "127.0.0.1", "county_clerk", PASSWORD, "/opinions?status=open&page=2").await;
        assert_eq!(r.location(), Some("/opinions?status=open&page=2"));
    }
);

both_backends!(
    async fn the_text_size_switch_returns_only_to_this_site(db) {
        let app = TestApp::with_db(db);
        let mut c = app.client();
        for (referer, to) in [
            ("http://liaison.example/stations?x=1", "/stations?x=1"),
            ("http://liaison.example//evil.example/", "/"),
            ("http://liaison.example/%09/evil.example", "/"),
            ("http://liaison.example/\\evil.example", "/"),
        ] {
            c.get("/login").await;
            let body = format!("_csrf={}", c.csrf().unwrap());
            let req = Request::post("/prefs/text-size")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::REFERER, referer)
                .body(Body::from(body))
                .unwrap();
            let r = c.send(req).await;
            assert_eq!(r.location(), Some(to), "{referer}");
        }
    }
);
