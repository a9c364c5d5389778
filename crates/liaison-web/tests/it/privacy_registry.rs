//! Personal information in the registry, through the web on both backends: station staff phones and
//! linked households' names and phones are read only through audited reads; household writes are held
//! to the deputy themself or the staff over the household's region.

use crate::privacy::{OFFICE, audit_rows, xlsx_text};
use crate::support::*;
use liaison_domain::registry::deputy::{DeputyLevel, Gender};
use liaison_store::Actor;
use liaison_store::registry::deputy::DeputyInput;
use liaison_store::registry::station::StationInput;
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

const MANAGER_PHONE: &str = "13700001111";

both_backends!(
    async fn station_staff_phones_are_read_only_through_an_audited_read(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let st = StationInput {
            region: Some(rc("632521100201")),
            kind: Some(liaison_domain::registry::station::StationKind::Room),
            name: "东香卡村代表联络室".into(),
            phone: OFFICE.into(),
            manager_name: "周加".into(),
            manager_phone: MANAGER_PHONE.into(),
            ..Default::default()
        };
        let sid = app.db.create_station(&county, &Actor::of(&county, "-"), &st).await.unwrap();
        for who in ["town_clerk", "station_mgr", "unit"] {
            let mut cl = app.client();
            cl.login(who, PASSWORD).await;
            let page = cl.get(&format!("/stations/{sid}")).await;
            assert_eq!(page.status.as_u16(), 200, "{who}: {}", page.body);
            assert!(!page.body.contains(MANAGER_PHONE), "{who} sees the manager's phone without an audited read");
            assert!(page.body.contains("137****1111") && page.body.contains(OFFICE), "{who}");
        }
        assert!(audit_rows(&app, "personal.read").await.is_empty(), "nothing read yet");
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let r = clerk.post_form(&format!("/stations/{sid}/contact"), &[]).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert!(r.html().text("#station-staff").contains(MANAGER_PHONE));
        let reads = audit_rows(&app, "personal.read").await;
        assert_eq!(reads.len(), 1);
        assert_eq!(reads[0]["target"], format!("station:{sid}"));
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        u.get(&format!("/stations/{sid}")).await;
        assert_eq!(u.post_form(&format!("/stations/{sid}/contact"), &[]).await.status.as_u16(), 403);
        // the export names the phones only for a contact reader, and that read is audited too
        let (_, sheet) = clerk.get_bytes("/export/stations.xlsx").await;
        assert!(xlsx_text(&sheet).contains(MANAGER_PHONE));
        assert_eq!(audit_rows(&app, "personal.export").await.len(), 1);
        let (_, sheet) = u.get_bytes("/export/stations.xlsx").await;
        assert!(!xlsx_text(&sheet).contains(MANAGER_PHONE));
        // the edit form shows them to the staff who keep the registry: an audited read as well
        let form = clerk.get(&format!("/stations/{sid}/edit")).await;
        assert!(form.body.contains(MANAGER_PHONE));
        assert_eq!(audit_rows(&app, "personal.read").await.len(), 2);
    }
);

both_backends!(
    async fn linked_households_are_masked_for_those_who_may_not_read_contacts(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        world(&app, &c).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let mid = deputy_mandate(&mut clerk).await;
        let r = clerk.post_form(&format!("/deputies/{mid}/households"), &[("kind", "needy"), ("name", "马成贵"), ("phone", "136-1111-2222"), ("region", "632521100201")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        // a unit and the chair see the deputy's page, not who the households are
        for who in ["unit", "chair"] {
            let mut cl = app.client();
            cl.login(who, PASSWORD).await;
            let page = cl.get(&format!("/deputies/{mid}")).await;
            assert_eq!(page.status.as_u16(), 200);
            assert!(!page.body.contains("马成贵") && page.body.contains("马**"), "{who}: {}", page.html().text("#household-list"));
            assert!(!page.body.contains("13611112222"));
        }
        assert!(audit_rows(&app, "personal.read").await.is_empty());
        // the clerk reads the names (audited), the phone only on a deliberate read (audited)
        let page = clerk.get(&format!("/deputies/{mid}")).await;
        assert!(page.html().text("#household-list").contains("马成贵"));
        assert!(!page.body.contains("13611112222") && page.body.contains("136****2222"));
        assert_eq!(audit_rows(&app, "personal.read").await.len(), 1);
        let r = clerk.post_form(&format!("/deputies/{mid}/households/contact"), &[]).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert!(r.html().text("#household-list").contains("13611112222"));
        assert_eq!(audit_rows(&app, "personal.read").await.len(), 2, "the page read and the contact read");
        // the deputy reads their own households' contacts
        let mut dep = app.client();
        dep.login("deputy", PASSWORD).await;
        dep.get(&format!("/deputies/{mid}")).await;
        let r = dep.post_form(&format!("/deputies/{mid}/households/contact"), &[]).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert!(r.html().text("#household-list").contains("13611112222"));
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        u.get(&format!("/deputies/{mid}")).await;
        assert_eq!(u.post_form(&format!("/deputies/{mid}/households/contact"), &[]).await.status.as_u16(), 403);
    }
);

/// The room's deputy's mandate, as the clerk finds it.
async fn deputy_mandate(clerk: &mut Client<'_>) -> i64 {
    let hrefs = clerk
        .get("/deputies")
        .await
        .html()
        .attrs("#deputies tbody td a", "href");
    hrefs[0].trim_start_matches("/deputies/").parse().unwrap()
}

/// Records a meeting today with household `h` through deputy `mid`'s page; the status.
async fn meet(c: &mut Client<'_>, mid: i64, h: &str) -> u16 {
    let today = liaison_domain::time::today().to_string();
    let fields = [("household", h), ("on", today.as_str()), ("note", "走访")];
    c.post_form(&format!("/deputies/{mid}/households/meeting"), &fields)
        .await
        .status
        .as_u16()
}

/// How many meetings the deputy's page counts this year.
async fn meetings(clerk: &mut Client<'_>, mid: i64) -> i64 {
    clerk
        .get(&format!("/deputies/{mid}"))
        .await
        .html()
        .texts("#household-list tbody tr td:nth-child(5)")
        .iter()
        .map(|t| t.trim_end_matches(" 次").parse::<i64>().unwrap_or(0))
        .sum()
}

both_backends!(
    async fn household_writes_are_held_to_the_deputy_and_the_households_region(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        world(&app, &c).await;
        let mut cc = app.client();
        cc.login("county_clerk", PASSWORD).await;
        let own_mid = deputy_mandate(&mut cc).await;
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&county, "-");
        // a second deputy in the same village, not bound to the `deputy` account
        let d = DeputyInput {
            name: "才让".into(),
            gender: Some(Gender::Male),
            level: Some(DeputyLevel::County),
            congress_region: Some(rc("632521")),
            term: Some(18),
            constituency_region: Some(rc("632521100201")),
            ..Default::default()
        };
        let (other_mid, _) = app.db.upsert_deputy(&county, &a, &d).await.unwrap();
        // the county links a household in the next township to the room's deputy, one to the other deputy
        for (mid, region) in [(own_mid, "632521101201"), (other_mid, "632521100201")] {
            let r = cc.post_form(&format!("/deputies/{mid}/households"), &[("kind", "needy"), ("name", "韩有德"), ("region", region)]).await;
            assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        }
        let away = cc.get(&format!("/deputies/{own_mid}")).await.html().attrs("select[name=household] option", "value")[0].clone();
        let others = cc.get(&format!("/deputies/{other_mid}")).await.html().attrs("select[name=household] option", "value")[0].clone();
        // the township clerk keeps the registry of their township only: not a household in the next one
        let mut town = app.client();
        town.login("town_clerk", PASSWORD).await;
        town.get(&format!("/deputies/{own_mid}")).await;
        assert_eq!(meet(&mut town, own_mid, &away).await, 404);
        // a deputy records meetings with their own households only
        let mut dep = app.client();
        dep.login("deputy", PASSWORD).await;
        dep.get(&format!("/deputies/{other_mid}")).await;
        assert_eq!(meet(&mut dep, other_mid, &others).await, 403);
        assert_eq!(meet(&mut dep, own_mid, &others).await, 422, "another deputy's household through one's own page");
        assert_eq!(meet(&mut dep, own_mid, &away).await, 303, "their own household, wherever it lives");
        assert_eq!(meetings(&mut cc, own_mid).await, 1);
        assert_eq!(meetings(&mut cc, other_mid).await, 0, "nothing recorded on the other deputy's");
        // and the township clerk cannot link a household in the next township either
        let r = town.post_form(&format!("/deputies/{own_mid}/households"), &[("kind", "needy"), ("name", "x"), ("region", "632521101201")]).await;
        assert_eq!(r.status.as_u16(), 422);
    }
);
