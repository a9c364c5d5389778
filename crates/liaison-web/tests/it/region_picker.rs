//! Regions picked by name, drilling down, with or without JavaScript (the form comes back with
//! everything typed), and long lists narrowed by a search on the server.

use liaison_domain::RegionCode;
use liaison_domain::registry::deputy::{DeputyLevel, Gender};
use liaison_store::Actor;
use liaison_store::registry::deputy::DeputyInput;
use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

use super::registry::seed;

fn county_deputy(name: &str, village: &str) -> DeputyInput {
    DeputyInput {
        name: name.into(),
        gender: Some(Gender::Female),
        level: Some(DeputyLevel::County),
        congress_region: Some(RegionCode::parse("632521").unwrap()),
        term: Some(18),
        constituency_region: Some(RegionCode::parse(village).unwrap()),
        ..Default::default()
    }
}

both_backends!(
    async fn regions_are_picked_by_name_and_drilled_without_javascript(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let (_, mid) = seed(&app, c.id("county_clerk")).await;
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        // a list's filter: no code to type; "全部", the county's townships, then a township's villages
        let doc = clerk.get("/deputies").await.html();
        assert_eq!(doc.count("input[name=region]"), 0);
        assert_eq!(doc.attr("select[name=region] option[selected]", "value").as_deref(), Some(""));
        assert!(doc.texts("select[name=region] option").iter().any(|o| o.contains("恰卜恰镇")));
        let doc = clerk.get("/deputies?region=632521100").await.html();
        assert_eq!(doc.attr("select[name=region] option[selected]", "value").as_deref(), Some("632521100"));
        assert!(doc.texts("select[name=region] option").iter().any(|o| o.contains("东香卡村")));
        assert_eq!(doc.texts("#deputies tbody td a"), ["拉毛"]);
        // a form without JavaScript: 选下级 shows the form again, everything typed kept, nothing saved
        clerk.get("/stations/new").await;
        let typed = [("name", "西台村代表联络点"), ("kind", "point"), ("region", "632521100"), ("address", "西台村委会"), ("_drill", "region")];
        let r = clerk.post_form("/stations", &typed).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let doc = r.html();
        assert_eq!(doc.attr("input[name=name]", "value").as_deref(), Some("西台村代表联络点"));
        assert_eq!(doc.attr("input[name=address]", "value").as_deref(), Some("西台村委会"));
        assert_eq!(doc.attr("select[name=region] option[selected]", "value").as_deref(), Some("632521100"));
        assert!(doc.attrs("select[name=region] option", "value").contains(&"632521100202".to_owned()));
        assert_eq!(clerk.get("/stations?q=西台村").await.html().count("#stations tbody td a"), 0, "nothing saved");
        // the deputy form's two regions, the household form and the routing table use the same picker
        let doc = clerk.get("/deputies/new").await.html();
        assert_eq!(doc.count("select[name=congress_region]"), 1);
        assert_eq!(doc.count("select[name=constituency_region]"), 1);
        assert!(doc.texts("select[name=congress_region] option").iter().any(|o| o.contains("青海省")), "the congresses above");
        let r = clerk
            .post_form(&format!("/deputies/{mid}/households"), &[("kind", "local_notable"), ("name", "多杰"), ("region", "632521100"), ("_drill", "region")])
            .await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let doc = r.html();
        assert_eq!(doc.attr("form[action$='/households'] input[name=name]", "value").as_deref(), Some("多杰"));
        assert!(doc.attrs("select[name=region] option", "value").contains(&"632521100201".to_owned()));
        let doc = clerk.get("/units/routing?region=632521100").await.html();
        assert_eq!(doc.attr("select[name=region] option[selected]", "value").as_deref(), Some("632521100"));
        for page in ["/stations", "/units", "/public-phones"] {
            let doc = clerk.get(page).await.html();
            assert_eq!(doc.count("input[name=region]"), 0, "{page}");
            assert_eq!(doc.count("select[name=region]"), 1, "{page}");
        }
    }
);

both_backends!(
    async fn long_lists_are_narrowed_by_a_search_on_the_server(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let (sid, mid) = seed(&app, c.id("county_clerk")).await;
        let scope = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&scope, "-");
        app.db.upsert_deputy(&scope, &a, &county_deputy("卓玛", "632521100201")).await.unwrap();
        app.db.upsert_deputy(&scope, &a, &county_deputy("才让", "632521100202")).await.unwrap();
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        // deputies to add to a station: by name, or by village
        let doc = clerk.get(&format!("/stations/{sid}")).await.html();
        assert_eq!(doc.count("select[name=mandate] option"), 2);
        let doc = clerk.get(&format!("/stations/{sid}?who=卓玛")).await.html();
        let offered = doc.texts("select[name=mandate] option");
        assert_eq!(offered.len(), 1, "{offered:?}");
        assert!(offered[0].starts_with("卓玛") && offered[0].contains("东香卡村"), "the village beside the name: {offered:?}");
        assert_eq!(doc.attr("#resident-search input[name=who]", "value").as_deref(), Some("卓玛"));
        let doc = clerk.get(&format!("/stations/{sid}?who=西台")).await.html();
        assert!(doc.texts("select[name=mandate] option")[0].starts_with("才让"));
        // standing-committee members on a deputy's page
        let doc = clerk.get(&format!("/deputies/{mid}?who=才让")).await.html();
        let members = doc.texts("select[name=member] option");
        assert_eq!(members.len(), 1, "{members:?}");
        assert!(members[0].starts_with("才让"));
        // the deputy an account is bound to: 查找 narrows the list and keeps what was typed
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        admin.get("/admin/accounts/new").await;
        let typed = [("username", "lamao"), ("display_name", "拉毛"), ("region", "632521"), ("roles", "deputy"), ("person_q", "拉毛"), ("_drill", "person_id")];
        let r = admin.post_form("/admin/accounts", &typed).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let doc = r.html();
        let persons: Vec<String> = doc.texts("select[name=person_id] option").into_iter().filter(|o| o != "（无）").collect();
        assert_eq!(persons.len(), 1, "{persons:?}");
        assert!(persons[0].starts_with("拉毛") && persons[0].contains("东香卡村"), "{persons:?}");
        assert_eq!(doc.attr("input[name=username]", "value").as_deref(), Some("lamao"));
        assert_eq!(doc.attr("input[name=display_name]", "value").as_deref(), Some("拉毛"));
        let r = admin.post_form("/admin/accounts", &[("username", "x"), ("person_q", "东香卡"), ("_drill", "person_id")]).await;
        let persons: Vec<String> = r.html().texts("select[name=person_id] option").into_iter().filter(|o| o != "（无）").collect();
        assert_eq!(persons.len(), 2, "by village: {persons:?}");
    }
);
