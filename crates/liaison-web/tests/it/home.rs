//! Every role's home page starts with its own work, and no menu item leads to a refusal.

use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{CAST, PASSWORD, cast};

use crate::support::{report, world};

const SITE: &str = "https://rd.example.cn";

fn app_with_public_url(db: liaison_testkit::TestDb) -> TestApp {
    let cfg = liaison_web::WebConfig {
        public_url: Some(SITE.into()),
        ..Default::default()
    };
    TestApp::with_config(db, cfg)
}

both_backends!(
    async fn every_menu_item_of_every_role_opens(db) {
        let c = cast(&db).await;
        let app = app_with_public_url(db);
        world(&app, &c).await;
        for (name, _, role) in CAST {
            let mut u = app.client();
            u.login(name, PASSWORD).await;
            let home = u.get("/").await;
            assert_eq!(home.status.as_u16(), 200, "{name}: home");
            let links = home.html().attrs("nav.main a", "href");
            assert!(!links.is_empty(), "{name} has a menu");
            for href in links {
                let mut r = u.get(&href).await;
                // a menu item may forward once (e.g. 行政区划 to the caller's own region)
                if r.status.as_u16() == 303 {
                    let to = r.location().unwrap().to_owned();
                    assert!(!to.starts_with("/login"), "{name}: {href} sent to the login page");
                    r = u.get(&to).await;
                }
                assert_eq!(r.status.as_u16(), 200, "{name} ({}) menu item {href}", role.label());
            }
        }
    }
);

both_backends!(
    async fn each_role_s_home_page_starts_with_its_own_work(db) {
        let c = cast(&db).await;
        let app = app_with_public_url(db);
        let w = world(&app, &c).await;
        let mut v = app.client();
        for text in ["村口路灯坏了三个月", "冬季供暖管道漏水"] {
            let r = report(&mut v, &w.deputy_code, &[("category", "street_lights"), ("description", text)], None).await;
            assert_eq!(r.status.as_u16(), 200);
        }
        let tallies = |doc: &liaison_testkit::html::Doc, panel: &str| -> Vec<String> {
            doc.texts(&format!("#{panel} .tally"))
        };
        // the deputy: their inbox, the two new items first, their code and card
        let mut d = app.client();
        d.login("deputy", PASSWORD).await;
        let doc = d.get("/").await.html();
        let t = tallies(&doc, "panel-deputy");
        assert!(t.iter().any(|s| s.contains('2') && s.contains("待办理")), "{t:?}");
        assert!(t.iter().any(|s| s.contains('2') && s.contains("本月收件")), "{t:?}");
        assert_eq!(doc.count("#panel-deputy .now li a"), 2);
        assert!(doc.text("#panel-deputy .now").contains("路灯"));
        assert_eq!(doc.attr("#my-qr img", "src").as_deref(), Some("/me/qr.svg"));
        assert!(doc.text("#panel-me").contains("收到群众意见"));
        assert_eq!(doc.count("#figures"), 0);
        let qr = d.get("/me/qr.svg").await;
        assert_eq!(qr.status.as_u16(), 200);
        assert!(qr.body.contains("<svg"));
        let card = d.get("/me/card").await;
        assert_eq!(card.status.as_u16(), 200);
        assert!(card.body.contains("拉毛"));
        // the deputy sees no registry in the menu and cannot export the roster, but opens their own
        // record (households) from the home page
        let menu = doc.texts("nav.main a");
        assert!(!menu.iter().any(|m| m == "代表" || m == "站点" || m == "承办单位"), "{menu:?}");
        assert_eq!(d.get("/export/deputies.xlsx").await.status.as_u16(), 403);
        assert_eq!(d.get("/deputies").await.status.as_u16(), 403);
        let own = doc.attrs("#panel-me a", "href").into_iter().find(|h| h.starts_with("/deputies/")).unwrap();
        let page = d.get(&own).await;
        assert_eq!(page.status.as_u16(), 200);
        assert!(page.body.contains("拉毛"));
        // the township clerk: the region's queue (nothing to accept yet: the items wait on the deputy)
        // and the township's figures by village
        let mut t = app.client();
        t.login("town_clerk", PASSWORD).await;
        let doc = t.get("/").await.html();
        assert!(tallies(&doc, "panel-region").iter().any(|s| s.contains('2') && s.contains("本月收件")));
        assert!(doc.text("#figures tfoot").contains('2'));
        assert!(doc.text("#figures-table tbody").contains("东香卡村"));
        // someone else's own code and card are nobody's business
        assert_eq!(t.get("/me/card").await.status.as_u16(), 404);
        assert_eq!(t.get("/me/qr.svg").await.status.as_u16(), 404);
        // the county clerk drills from the townships into one; a region outside is not found
        let mut k = app.client();
        k.login("county_clerk", PASSWORD).await;
        let doc = k.get("/").await.html();
        let town = doc.attr("#figures-table tbody a[href^='/?region=']", "href").unwrap();
        assert_eq!(town, "/?region=632521100");
        let doc = k.get(&town).await.html();
        assert!(doc.text("#figures-table tbody").contains("东香卡村"));
        assert_eq!(k.get("/?region=520112").await.status.as_u16(), 404);
        assert_eq!(k.get("/?region=abc").await.status.as_u16(), 422);
        // the chair meeting: the county's figures, no queue and no 群众意见 menu
        let mut ch = app.client();
        ch.login("chair", PASSWORD).await;
        let doc = ch.get("/").await.html();
        assert!(doc.text("#figures tfoot").contains('2'));
        assert_eq!(doc.count("#panel-region"), 0);
        assert!(!doc.texts("nav.main a").iter().any(|m| m == "群众意见"));
        assert_eq!(doc.count("#figures-table a[href^='/opinions']"), 0);
        // the handling unit: its queue (nothing assigned yet)
        let mut un = app.client();
        un.login("unit", PASSWORD).await;
        let doc = un.get("/").await.html();
        assert!(tallies(&doc, "panel-unit").iter().any(|s| s.contains('0') && s.contains("待办理")));
        assert!(doc.text("#panel-unit .now").contains("眼下没有"));
        // the three administrators: their own duties only
        for (name, panel) in [("sysadmin", "panel-accounts"), ("secadmin", "panel-security"), ("auditor", "panel-audit")] {
            let mut a = app.client();
            a.login(name, PASSWORD).await;
            let doc = a.get("/").await.html();
            assert_eq!(doc.count(&format!("#{panel}")), 1, "{name}");
            assert_eq!(doc.count("#figures"), 0, "{name}");
            assert_eq!(doc.count("#panel-region"), 0, "{name}");
            assert_eq!(doc.count("#panel-requests"), 1, "{name}");
        }
    }
);
