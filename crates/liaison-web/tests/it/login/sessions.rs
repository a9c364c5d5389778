//! Sessions and their cookies: a password change or reset ends the account's other sessions; cookies
//! are `Secure` when the site's public address is https.

use super::*;

both_backends!(
    async fn a_password_change_ends_the_other_sessions(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let mut here = app.client();
        let mut there = app.client();
        assert_eq!(here.login("county_clerk", PASSWORD).await.status.as_u16(), 303);
        assert_eq!(there.login("county_clerk", PASSWORD).await.status.as_u16(), 303);
        assert_eq!(there.get("/account").await.status.as_u16(), 200);
        let new = "Qz8!rTw5Kp";
        let r = here.post_form("/account/password", &[("current", PASSWORD), ("new", new), ("confirm", new)]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        // the browser that changed it stays in; the other one is out
        assert_eq!(here.get("/").await.status.as_u16(), 200);
        // (`/` would show the public front door: a staff page tells)
        let r = there.get("/account").await;
        assert_eq!(r.status.as_u16(), 303);
        assert!(r.location().unwrap_or("").starts_with("/login"), "{:?}", r.location());
        assert_eq!(app.db.session_count(c.id("county_clerk")).await.unwrap(), 1);
    }
);

both_backends!(
    async fn an_administrators_password_reset_ends_every_session(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        assert_eq!(clerk.get("/account").await.status.as_u16(), 200);
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        let id = c.id("town_clerk");
        let r = admin.post_form(&format!("/admin/accounts/{id}/reset-password"), &[]).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert_eq!(clerk.get("/account").await.status.as_u16(), 303);
        assert_eq!(app.db.session_count(id).await.unwrap(), 0);
    }
);

/// The session cookie as the login response set it.
async fn session_cookie_of(app: &TestApp) -> String {
    session_cookie_for(app, "county_clerk").await
}

async fn session_cookie_for(app: &TestApp, username: &str) -> String {
    let r = post_login(&mut app.client(), "127.0.0.1", username, PASSWORD, "/").await;
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("liaison_session="))
        .expect("a session cookie")
        .to_owned()
}

both_backends!(
    async fn cookies_are_secure_when_the_public_address_is_https(db) {
        cast(&db).await;
        let https = WebConfig {
            public_url: Some("https://rd.example.gov.cn".into()),
            ..Default::default()
        };
        let app = TestApp::with_config(db, https);
        let cookie = session_cookie_of(&app).await;
        assert!(cookie.contains("; Secure"), "{cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        // the anonymous CSRF cookie too
        let r = app.client().get("/login").await;
        let csrf = r.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find(|v| v.starts_with("liaison_csrf=")).unwrap().to_owned();
        assert!(csrf.contains("; Secure"), "{csrf}");
    }
);

both_backends!(
    async fn cookies_are_not_secure_on_a_plain_http_site(db) {
        cast(&db).await;
        let http = WebConfig {
            public_url: Some("http://192.168.1.10:8080".into()),
            ..Default::default()
        };
        let app = TestApp::with_config(db, http);
        let cookie = session_cookie_of(&app).await;
        assert!(!cookie.contains("Secure"), "{cookie}");
    }
);

both_backends!(
    async fn a_deputy_s_phone_stays_signed_in_and_a_clerk_s_browser_does_not(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        // the deputy's cookie outlives closing the browser, for the policy's days (7 by default)
        let deputy = session_cookie_for(&app, "deputy").await;
        assert!(deputy.contains("; Max-Age=604800"), "{deputy}");
        // staff and administrators: a browser-session cookie, and the 30-minute idle timeout
        for who in ["county_clerk", "secadmin"] {
            let cookie = session_cookie_for(&app, who).await;
            assert!(!cookie.contains("Max-Age"), "{who}: {cookie}");
        }
    }
);
