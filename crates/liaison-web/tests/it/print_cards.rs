//! Printing service cards in batches: every deputy of the filter gets a card, 400 to a page, and a
//! page with more after it says so and links to the next.

use liaison_domain::RegionCode;
use liaison_domain::registry::deputy::{DeputyLevel, Gender};
use liaison_store::Actor;
use liaison_store::registry::deputy::DeputyInput;
use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

both_backends!(
    async fn batch_printing_covers_every_deputy_page_by_page(db) {
        let c = cast(&db).await;
        let cfg = liaison_web::WebConfig { public_url: Some("https://rd.example.cn/".into()), ..Default::default() };
        let app = TestApp::with_config(db, cfg);
        let scope = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&scope, "-");
        for i in 0..401 {
            let d = DeputyInput {
                name: format!("代表{i:03}"),
                gender: Some(Gender::Male),
                level: Some(DeputyLevel::Township),
                congress_region: Some(RegionCode::parse("632521100").unwrap()),
                term: Some(18),
                constituency_region: Some(RegionCode::parse("632521100201").unwrap()),
                ..Default::default()
            };
            app.db.upsert_deputy(&scope, &a, &d).await.unwrap();
        }
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        let first = clerk.get("/deputies/cards?level=township").await;
        assert_eq!(first.status.as_u16(), 200);
        let doc = first.html();
        assert_eq!(doc.count("section.card"), 400);
        assert!(doc.text("#cards-more").contains("400"), "{}", doc.text(".bar"));
        let next = doc.attr("#cards-next", "href").expect("a link to the next batch");
        assert!(next.contains("level=township"), "{next}");
        let rest = clerk.get(&next).await.html();
        assert_eq!(rest.count("section.card"), 1);
        assert_eq!(rest.count("#cards-next"), 0);
        assert!(rest.text("title").contains("第 401–401 张"), "{}", rest.text("title"));
        // the two pages together: every deputy once
        let mut names = doc.texts("section.card .name");
        names.extend(rest.texts("section.card .name"));
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 401);
    }
);
