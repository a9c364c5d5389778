//! The work queue's pickers and the 疑似重复 flag on both backends: a county clerk picks a township,
//! then one of its stations or deputies (never another township's), and the choice filters the queue
//! and survives in its links; a province clerk is asked to pick a township first. Two similar citizen
//! submissions: after the duplicate pass the second is flagged with the first (a different topic, and
//! an item of another township at the same station, are not); the pass is idempotent; the queue shows
//! the tag, `dup=1` lists the flagged ones, the item page offers the merge at the top, and merging
//! ends the flag.

use crate::support::*;
use liaison_domain::Role;
use liaison_domain::opinion::Channel;
use liaison_domain::password::hash_password;
use liaison_domain::registry::deputy::{DeputyLevel, Gender};
use liaison_store::Actor;
use liaison_store::account::NewAccount;
use liaison_store::opinion::duplicate::DuplicatePass;
use liaison_store::opinion::intake::NewOpinion;
use liaison_store::registry::deputy::DeputyInput;
use liaison_store::registry::qr::QrTarget;
use liaison_store::registry::station::StationInput;
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{Cast, PASSWORD, cast};

async fn ids_in(c: &mut Client<'_>, path: &str) -> Vec<i64> {
    let r = c.get(path).await;
    assert_eq!(r.status.as_u16(), 200, "{path}: {}", r.body);
    r.html()
        .attrs("#queue a", "href")
        .iter()
        .map(|h| h.trim_start_matches("/opinions/").parse().unwrap())
        .collect()
}

/// A citizen's report of a broken street light at a station, in a region.
fn street_light(nonce: &str, station: i64, region: &str) -> NewOpinion {
    NewOpinion {
        nonce: nonce.into(),
        channel: Channel::StationCode,
        person_id: None,
        station_id: Some(station),
        region: rc(region),
        category: "street_lights".into(),
        description: "村口的路灯坏了好几天了，晚上很黑".into(),
        citizen_name: Default::default(),
        citizen_phone: Default::default(),
        callback_ok: false,
        share_contact: false,
        actor: Actor::system("test"),
        photos: vec![],
        limit_buckets: vec![],
        received_at: None,
    }
}

/// A station and a deputy in the other township (倒淌河镇): (station id, its QR code, person id).
async fn other_township(app: &TestApp, c: &Cast) -> (i64, String, i64) {
    let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
    let a = Actor::of(&county, "-");
    let st = StationInput {
        region: Some(rc("632521101")),
        name: "倒淌河镇人大代表联络站".into(),
        ..Default::default()
    };
    let sid = app.db.create_station(&county, &a, &st).await.unwrap();
    let d = DeputyInput {
        name: "才让".into(),
        gender: Some(Gender::Male),
        level: Some(DeputyLevel::Township),
        congress_region: Some(rc("632521101")),
        term: Some(18),
        constituency_region: Some(rc("632521101")),
        ..Default::default()
    };
    let (mid, _) = app.db.upsert_deputy(&county, &a, &d).await.unwrap();
    let person = app.db.deputy(&county, mid).await.unwrap().person_id;
    (
        sid,
        app.db.qr_code_for(QrTarget::Station(sid)).await.unwrap(),
        person,
    )
}

/// (value, label) of a select's options.
fn options(doc: &liaison_testkit::html::Doc, select: &str) -> Vec<(String, String)> {
    let values = doc.attrs(&format!("{select} option"), "value");
    let labels = doc.texts(&format!("{select} option"));
    values.into_iter().zip(labels).collect()
}

both_backends!(
    async fn station_and_deputy_pickers(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let (far_station, far_code, far_person) = other_township(&app, &c).await;
        let mut voter = app.client();
        let r = report(&mut voter, &w.station_code, &[("category", "street_lights"), ("description", "东香卡村村口路灯坏了")], None).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let r = report(&mut voter, &w.deputy_code, &[("category", "roads"), ("description", "村道坑洼，雨天积水")], None).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let r = report(&mut voter, &far_code, &[("category", "utilities"), ("description", "倒淌河镇街上停水两天")], None).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        // newest first: the other township's, the deputy's (at the deputy's station), the station's
        let all = ids_in(&mut clerk, "/opinions").await;
        assert_eq!(all.len(), 3);
        let (far_item, deputy_item, station_item) = (all[0], all[1], all[2]);
        // the county's townships to choose from
        let page = clerk.get("/opinions").await.html();
        let towns: Vec<String> = options(&page, "#pick-region").into_iter().map(|o| o.0).collect();
        assert!(towns.contains(&"632521100".to_owned()) && towns.contains(&"632521101".to_owned()), "{towns:?}");
        // one township: its stations and deputies only
        let page = clerk.get("/opinions?region=632521100").await.html();
        assert_eq!(page.attrs("#pick-region option[selected]", "value"), ["632521100"]);
        let stations = options(&page, "#pick-station");
        assert!(stations.iter().any(|s| s.1 == "东香卡村代表联络室"), "{stations:?}");
        assert!(!stations.iter().any(|s| s.0 == far_station.to_string()), "another township's station: {stations:?}");
        let deputies = options(&page, "#pick-deputy");
        assert!(deputies.iter().any(|d| d.1 == "拉毛"), "{deputies:?}");
        assert!(!deputies.iter().any(|d| d.0 == far_person.to_string()), "another township's deputy: {deputies:?}");
        assert_eq!(page.count("#picker-hint"), 0);
        // choosing the station filters the queue, and the choice stays in the form and the links
        let sid = stations.iter().find(|s| s.1 == "东香卡村代表联络室").unwrap().0.clone();
        let path = format!("/opinions?region=632521100&station={sid}");
        assert_eq!(ids_in(&mut clerk, &path).await, [deputy_item, station_item]);
        let page = clerk.get(&path).await.html();
        assert_eq!(page.attrs("#pick-station option[selected]", "value"), std::slice::from_ref(&sid));
        assert!(page.attr("#export", "href").unwrap().contains(&format!("station={sid}")));
        assert_eq!(ids_in(&mut clerk, &format!("/opinions?station={far_station}")).await, [far_item]);
        // and the deputy
        let pid = deputies.iter().find(|d| d.1 == "拉毛").unwrap().0.clone();
        assert_eq!(ids_in(&mut clerk, &format!("/opinions?region=632521100&deputy={pid}")).await, [deputy_item]);
        assert!(ids_in(&mut clerk, &format!("/opinions?region=632521101&deputy={pid}")).await.is_empty());
        // a bad id keeps the Chinese message
        let r = clerk.get("/opinions?station=abc").await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("站点无效"));
        // a province clerk: no thousands of options, a hint to pick a township first
        let mut root = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        root.roles = vec![Role::SystemAdmin];
        root.region = rc("63");
        let account = NewAccount {
            username: "province_clerk".into(),
            display_name: "省人大常委会工作人员".into(),
            region: rc("63"),
            roles: vec![Role::CommitteeStaff],
            unit_id: None,
            station_id: None,
            person_id: None,
            password_hash: hash_password(PASSWORD).unwrap(),
            must_change_password: false,
        };
        let id = app.db.create_account(&root, &Actor::of(&root, "-"), account).await.unwrap();
        liaison_testkit::fixtures::grant(&app.db, id).await;
        let mut province = app.client();
        province.login("province_clerk", PASSWORD).await;
        let page = province.get("/opinions").await.html();
        assert_eq!(page.count("#pick-station") + page.count("#pick-deputy"), 0);
        assert_eq!(page.text("#picker-hint"), "先选择乡镇（街道）再选站点/代表");
        let page = province.get("/opinions?region=632521100").await.html();
        assert!(options(&page, "#pick-station").iter().any(|s| s.0 == sid));
        assert_eq!(page.count("#picker-hint"), 0);
    }
);

both_backends!(
    async fn possible_duplicates_are_flagged_after_intake(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let lamp = [("category", "street_lights"), ("description", "幸福村村口路灯坏了，晚上很黑")];
        let first = report(&mut voter, &w.station_code, &lamp, None).await.html().text("#receipt");
        report(&mut voter, &w.station_code, &[("category", "street_lights"), ("description", "村口的路灯坏了好几天了，晚上出行不安全")], None).await;
        report(&mut voter, &w.station_code, &[("category", "street_lights"), ("description", "广场的音响太吵，影响休息")], None).await;
        // the same words at the same station, but from a village of another township: never flagged
        // against this township's items (its clerk could not see them)
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let picker = options(&clerk.get("/opinions").await.html(), "#pick-station");
        let sid: i64 = picker.iter().find(|s| s.1 == "东香卡村代表联络室").unwrap().0.parse().unwrap();
        app.db
            .submit_opinion(street_light("other-township", sid, "632521101"))
            .await
            .unwrap();
        let all = ids_in(&mut clerk, "/opinions").await;
        assert_eq!(all.len(), 3, "the township's three");
        let (noise, second, first_id) = (all[0], all[1], all[2]);
        assert_eq!(clerk.get("/opinions").await.html().count("#queue .dup"), 0, "nothing flagged before the pass");
        // the pass: four checked, the second lamp flagged with the first; again: nothing to do
        let pass = app.db.flag_duplicates().await.unwrap();
        assert_eq!(pass, DuplicatePass { checked: 4, flagged: 1 });
        assert_eq!(app.db.flag_duplicates().await.unwrap(), DuplicatePass::default(), "idempotent");
        let q = clerk.get("/opinions").await.html();
        let tagged: Vec<String> = q
            .attrs("#queue a", "href")
            .into_iter()
            .zip(q.texts("#queue a"))
            .filter(|(_, text)| text.contains("疑似重复"))
            .map(|(href, _)| href)
            .collect();
        assert_eq!(tagged, [format!("/opinions/{second}")], "the second lamp only, not {noise}");
        assert!(q.text("#count-dup").contains('1'), "{}", q.text("#count-dup"));
        assert_eq!(ids_in(&mut clerk, "/opinions?dup=1").await, [second]);
        assert!(ids_in(&mut clerk, "/opinions?dup=1&category=roads").await.is_empty());
        let page = clerk.get("/opinions?dup=1").await.html();
        assert!(page.attr("#export", "href").unwrap().contains("dup=1"), "the filter survives in the links");
        // the item page says so at the top and offers the merge into the first
        let page = clerk.get(&format!("/opinions/{second}")).await.html();
        assert!(page.text("#duplicate").contains(&first), "{}", page.text("#duplicate"));
        assert_eq!(page.attrs("#duplicate input[name=into]", "value"), [first_id.to_string()]);
        assert_eq!(clerk.get(&format!("/opinions/{first_id}")).await.html().count("#duplicate"), 0);
        // the other township's clerk sees its item unflagged
        let mut other = app.client();
        other.login("other_town_clerk", PASSWORD).await;
        assert_eq!(other.get("/opinions").await.html().count("#queue .dup"), 0);
        // merged: the flag is over
        let r = act(&mut clerk, second, &[("as", "staff"), ("action", "merge"), ("into", &first_id.to_string()), ("note", "同一路灯")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert!(ids_in(&mut clerk, "/opinions?dup=1").await.is_empty());
        assert_eq!(clerk.get("/opinions").await.html().count("#queue .dup"), 0);
    }
);

both_backends!(
    async fn a_station_managers_similar_items_are_their_stations(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&county, "-");
        // a second station in the same village
        let other = StationInput {
            region: Some(rc("632521100201")),
            name: "东香卡村代表联络点".into(),
            ..Default::default()
        };
        let other = app.db.create_station(&county, &a, &other).await.unwrap();
        let mine = w.station_id;
        let submit = |nonce: &str, station: i64| street_light(nonce, station, "632521100201");
        let first = app.db.submit_opinion(submit("a", mine)).await.unwrap().id;
        let theirs = app.db.submit_opinion(submit("b", other)).await.unwrap().id;
        let second = app.db.submit_opinion(submit("c", mine)).await.unwrap().id;
        let item = app.db.opinion(&county, second).await.unwrap();
        let ids = |v: Vec<(liaison_store::opinion::Opinion, f32)>| {
            let mut ids: Vec<i64> = v.into_iter().map(|(o, _)| o.id).collect();
            ids.sort();
            ids
        };
        // the county clerk is offered both look-alikes; the station's manager only their station's
        assert_eq!(ids(app.db.similar_opinions(&county, &item, 5).await.unwrap()), [first, theirs]);
        let manager = liaison_domain::Scope {
            roles: vec![Role::StationManager],
            station_id: Some(mine),
            ..county.clone()
        };
        assert_eq!(ids(app.db.similar_opinions(&manager, &item, 5).await.unwrap()), [first]);
    }
);

both_backends!(
    async fn a_station_created_here_shows_in_the_queue_picker_at_once(db) {
        use liaison_domain::registry::station::StationKind;
        use liaison_store::registry::station::StationInput;
        let c = liaison_testkit::fixtures::cast(&db).await;
        let app = liaison_testkit::app::TestApp::with_db(db);
        let _room = world(&app, &c).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", liaison_testkit::fixtures::PASSWORD).await;
        let before = clerk.get("/opinions").await.html().texts("#pick-station option");
        assert!(before.iter().any(|o| o == "东香卡村代表联络室"), "{before:?}");
        // the pickers are kept a minute; a station written on this instance is seen at once
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let st = StationInput {
            region: Some(rc("632521100201")),
            kind: Some(StationKind::Room),
            name: "东香卡村第二联络点".into(),
            ..Default::default()
        };
        app.db.create_station(&county, &Actor::of(&county, "-"), &st).await.unwrap();
        let after = clerk.get("/opinions").await.html().texts("#pick-station option");
        assert!(after.iter().any(|o| o == "东香卡村第二联络点"), "{after:?}");
    }
);
