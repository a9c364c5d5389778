//! Editing the registry in place: a deputy's record and mandate, a handling unit — checked by the
//! rules a registration and an imported row follow, scoped to the caller's region, audited.

use liaison_domain::RegionCode;
use liaison_store::Actor;
use liaison_store::registry::unit::UnitInput;
use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

use super::registry::{DEPUTY_PHONE, seed};

/// The edit form's fields for the seeded deputy, with `changes` applied.
fn deputy_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("name", "拉毛"),
        ("gender", "female"),
        ("ethnicity", "藏族"),
        ("birth_year", "1980"),
        ("party", "中共党员"),
        ("occupation", "牧民"),
        ("employer", "合作社"),
        ("phone", ""),
        ("level", "county"),
        ("congress_region", "632521"),
        ("term", "18"),
        ("constituency", "恰卜恰镇第二选区"),
        ("constituency_region", "632521100201"),
        ("deputy_group", "恰卜恰镇代表小组"),
        ("expert_group", ""),
    ];
    for (k, v) in changes {
        if let Some(slot) = f.iter_mut().find(|(fk, _)| fk == k) {
            slot.1 = v;
        }
    }
    f
}

both_backends!(
    async fn a_deputy_is_edited_with_the_import_rules_in_scope_and_audited(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let (_, mid) = seed(&app, c.id("county_clerk")).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let form = clerk.get(&format!("/deputies/{mid}/edit")).await;
        assert_eq!(form.status.as_u16(), 200);
        let doc = form.html();
        assert_eq!(doc.attr("input[name=name]", "value").as_deref(), Some("拉毛"));
        assert_eq!(doc.attr("input[name=phone]", "value").as_deref(), Some(""), "the phone is not shown");
        // the import's rules: an unknown ethnicity, a bad term — every problem, nothing saved
        let r = clerk
            .post_form(&format!("/deputies/{mid}"), &deputy_fields(&[("ethnicity", "火星族"), ("term", "x")]))
            .await;
        assert_eq!(r.status.as_u16(), 422);
        let errors = r.html().texts("ul.errors li");
        assert!(errors.iter().any(|e| e.contains("民族")), "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("届次")), "{errors:?}");
        // moving the constituency outside the clerk's township is refused
        let r = clerk
            .post_form(&format!("/deputies/{mid}"), &deputy_fields(&[("constituency_region", "632521101")]))
            .await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().texts("ul.errors li").iter().any(|e| e.contains("管辖范围")));
        // a good edit lands; an empty phone keeps the number on file
        let r = clerk
            .post_form(&format!("/deputies/{mid}"), &deputy_fields(&[("occupation", "教师"), ("deputy_group", "第一代表小组")]))
            .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let page = clerk.get(&format!("/deputies/{mid}")).await.body;
        assert!(page.contains("教师") && page.contains("第一代表小组"));
        let r = clerk.post_form(&format!("/deputies/{mid}/contact"), &[]).await;
        assert_eq!(r.html().text("#deputy-phone"), DEPUTY_PHONE);
        // other townships cannot reach it, a deputy account may not edit
        let mut other = app.client();
        other.login("other_town_clerk", PASSWORD).await;
        assert_eq!(other.get(&format!("/deputies/{mid}/edit")).await.status.as_u16(), 404);
        other.get("/deputies").await;
        assert_eq!(other.post_form(&format!("/deputies/{mid}"), &deputy_fields(&[])).await.status.as_u16(), 404);
        let mut dep = app.client();
        dep.login("deputy", PASSWORD).await;
        assert_eq!(dep.get(&format!("/deputies/{mid}/edit")).await.status.as_u16(), 403);
        // audited, naming the fields that changed (never the phone's value)
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let items = aud.get_json("/api/v1/audit?action=deputy.update").await.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(items[0]["actor"], "town_clerk");
        let detail = items[0].to_string();
        assert!(detail.contains("occupation") && !detail.contains(DEPUTY_PHONE), "{detail}");
    }
);

both_backends!(
    async fn a_handling_unit_is_edited_in_scope_and_audited(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let scope = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&scope, "-");
        let unit = |name: &str| UnitInput {
            region: RegionCode::parse("632521100").unwrap(),
            name: name.into(),
            kind: "township_government".into(),
            phone: "0974-8512345".into(),
        };
        let (id, _) = app.db.upsert_unit(&scope, &a, &unit("恰卜恰镇政府")).await.unwrap();
        app.db.upsert_unit(&scope, &a, &unit("恰卜恰镇卫生院")).await.unwrap();
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let form = clerk.get(&format!("/units/{id}/edit")).await;
        assert_eq!(form.status.as_u16(), 200);
        assert_eq!(form.html().attr("input[name=name]", "value").as_deref(), Some("恰卜恰镇政府"));
        let fields = |name: &'static str, region: &'static str| {
            vec![("name", name), ("kind", "township_government"), ("region", region), ("phone", "0974-8512000")]
        };
        // the name of another unit of the same region, a region outside the township: refused
        let r = clerk.post_form(&format!("/units/{id}"), &fields("恰卜恰镇卫生院", "632521100")).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().texts("ul.errors li").iter().any(|e| e.contains("同名")));
        let r = clerk.post_form(&format!("/units/{id}"), &fields("恰卜恰镇人民政府", "632521101")).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().texts("ul.errors li").iter().any(|e| e.contains("管辖范围")));
        let r = clerk.post_form(&format!("/units/{id}"), &fields("恰卜恰镇人民政府", "632521100")).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let list = clerk.get("/units").await.html();
        assert!(list.texts("#units tbody td:first-child").contains(&"恰卜恰镇人民政府".to_owned()));
        let mut other = app.client();
        other.login("other_town_clerk", PASSWORD).await;
        assert_eq!(other.get(&format!("/units/{id}/edit")).await.status.as_u16(), 404);
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let items = aud.get_json("/api/v1/audit?action=unit.update").await.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 1, "{items:?}");
        assert_eq!(items[0]["actor"], "town_clerk");
    }
);
