//! First run: the one-time setup link creates the system administrator and the deployment region.

use liaison_domain::token::token_digest;
use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;

both_backends!(
    async fn setup_link_creates_the_first_admin_once(db) {
        db.set_setup_token(&token_digest("the-token")).await.unwrap();
        let app = TestApp::with_db(db);
        let mut c = app.client();
        // the login page says the system is not set up
        assert!(c.get("/login").await.body.contains("系统尚未初始化"));
        // a wrong token gets nothing
        assert_eq!(c.get("/setup?token=guess").await.status.as_u16(), 403);
        let r = c.get("/setup?token=the-token").await;
        assert_eq!(r.status.as_u16(), 200);
        // a township is not a deployment region; a weak password is refused
        let bad = [("token", "the-token"), ("region", "632521100"), ("username", "admin"), ("display_name", "管理员"), ("password", "short"), ("confirm", "short")];
        let r = c.post_form("/setup", &bad).await;
        assert_eq!(r.status.as_u16(), 422);
        let errs = r.html().texts("ul.errors li");
        assert!(errs.iter().any(|e| e.contains("省、市或县")), "{errs:?}");
        assert!(errs.iter().any(|e| e.contains("长度至少")), "{errs:?}");
        assert_eq!(app.db.account_count().await.unwrap(), 0);
        let good = [("token", "the-token"), ("region", "632521"), ("username", "admin"), ("display_name", "管理员"), ("password", "Qz8!rTw5Kp"), ("confirm", "Qz8!rTw5Kp")];
        let r = c.post_form("/setup", &good).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(app.db.deployment_region().await.unwrap().unwrap().short(), "632521");
        // the link is spent
        assert_eq!(c.get("/setup?token=the-token").await.status.as_u16(), 409);
        assert_eq!(c.login("admin", "Qz8!rTw5Kp").await.status.as_u16(), 303);
        let me = c.get_json("/api/v1/me").await.json();
        assert_eq!(me["roles"], serde_json::json!(["system_admin"]));
    }
);
