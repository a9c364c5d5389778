//! The public front door: a citizen without an account starts at `/`, finds their deputies grouped
//! by level and place, opens a deputy's or station's card with the 码上办 form, and follows their
//! item; every public page leads home, and nothing there speaks staff language.

use liaison_domain::registry::deputy::{DeputyLevel, Gender};
use liaison_store::Actor;
use liaison_store::registry::deputy::DeputyInput;
use liaison_store::registry::station::StationInput;
use liaison_testkit::app::{Client, TestApp, TestResponse};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{Cast, PASSWORD, cast};

use crate::support::{CITIZEN_PHONE, World, act, jpeg_with_exif, rc, report, world};

/// Opens the card at `path` and submits its form with `fields` (and an optional photo).
async fn submit_on(
    v: &mut Client<'_>,
    path: &str,
    fields: &[(&str, &str)],
    photo: Option<&[u8]>,
) -> TestResponse {
    let page = v.get(path).await;
    assert_eq!(page.status.as_u16(), 200, "{path}: {}", page.body);
    let doc = page.html();
    assert_eq!(
        doc.attrs("form#intake-form", "action"),
        [path.to_owned()],
        "the card's form posts back to it"
    );
    let nonce = doc.attrs("input[name=nonce]", "value")[0].clone();
    let mut all: Vec<(&str, &str)> = vec![("nonce", nonce.as_str())];
    all.extend_from_slice(fields);
    let files: Vec<(&str, &str, &[u8])> = photo.map(|p| vec![("photo", "IMG_1.jpg", p)]).unwrap_or_default();
    v.post_multipart(path, &all, &files).await
}

/// Every public page leads home and to the finder, whatever it shows.
fn leads_home(what: &str, r: &TestResponse) {
    let doc = r.html();
    assert!(
        doc.count("nav.public-links a[href='/']") == 1,
        "{what}: no link home: {}",
        r.body
    );
    assert!(
        doc.count("nav.public-links a[href='/find']") == 1,
        "{what}: no link to 码上找代表"
    );
    assert!(
        !r.body.contains("管辖范围"),
        "{what}: staff words on a public page"
    );
}

/// The world, plus a provincial deputy elected in the county, a township deputy who shares the
/// county deputy's name (elected in another village) with a photo: returns (拉毛's person, the
/// namesake's person, the provincial deputy's person).
async fn more_deputies(app: &TestApp, c: &Cast) -> (i64, i64, i64) {
    let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
    let a = Actor::of(&county, "-");
    let mut ids = vec![];
    for (name, birth, level, congress, place, constituency) in [
        (
            "才让",
            None,
            DeputyLevel::Provincial,
            "63",
            "632521",
            "共和县选区",
        ),
        (
            "拉毛",
            Some(1980),
            DeputyLevel::Township,
            "632521100",
            "632521100202",
            "第五选区",
        ),
    ] {
        let d = DeputyInput {
            name: name.into(),
            gender: Some(Gender::Female),
            birth_year: birth,
            level: Some(level),
            congress_region: Some(rc(congress)),
            term: Some(14),
            constituency: constituency.into(),
            constituency_region: Some(rc(place)),
            ..Default::default()
        };
        let (mid, _) = app.db.upsert_deputy(&county, &a, &d).await.unwrap();
        ids.push(mid);
    }
    app.db
        .set_person_photo(&county, &a, ids[1], "a-photo-blob")
        .await
        .unwrap();
    let person = |mid| {
        let county = county.clone();
        async move { app.db.deputy(&county, mid).await.unwrap().person_id }
    };
    let namesake = person(ids[1]).await;
    let provincial = person(ids[0]).await;
    let all = app.db.deputies_for_voters(&rc("632521100201"), 10).await.unwrap();
    let lamao = all
        .iter()
        .find(|d| d.name == "拉毛" && d.level == "county")
        .unwrap()
        .person_id;
    (lamao, namesake, provincial)
}

both_backends!(
    async fn anyone_not_signed_in_starts_at_the_front_door_and_staff_keep_their_workbench(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        world(&app, &c).await;
        let mut anon = app.client();
        let r = anon.get("/").await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let doc = r.html();
        assert_eq!(doc.text("#door-title"), "有事找代表");
        let ways = doc.attrs("#door-ways a", "href");
        assert!(ways.contains(&"/find".to_owned()) && ways.contains(&"/published".to_owned()), "{ways:?}");
        assert_eq!(doc.attrs("#track form", "action"), ["/t"]);
        assert_eq!(doc.attrs("#track form", "method"), ["get"]);
        assert_eq!(doc.count("#track input[name=r]"), 1, "the receipt code is typed right here");
        assert_eq!(doc.attrs("#staff-login", "href"), ["/login"]);
        // the deployment's places, each a tap from its deputies (the fixture deploys a province)
        let places = doc.attrs("#door-places a", "href");
        assert!(places.contains(&"/find?region=6325".to_owned()), "{places:?}");
        assert_eq!(doc.count("nav.main"), 0, "no staff menu");
        assert_eq!(doc.count("script:not([src])"), 0);
        // signed in, `/` is the workbench as before
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let r = clerk.get("/").await;
        assert_eq!(r.status.as_u16(), 200);
        assert_eq!(r.html().count("#home-region"), 1, "{}", r.body);
        assert_eq!(r.html().count("#door-title"), 0);
    }
);

both_backends!(
    async fn find_lists_deputies_by_level_and_place_as_links_to_their_cards(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        world(&app, &c).await;
        let (lamao, namesake, provincial) = more_deputies(&app, &c).await;
        let mut v = app.client();
        let r = v.get("/find?region=632521100").await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        leads_home("find", &r);
        let doc = r.html();
        assert_eq!(doc.texts("#deputies .level-group h3"), ["省人大代表（1）", "县人大代表（1）", "乡镇人大代表（1）"]);
        let links = doc.attrs("#deputies ul.people a", "href");
        assert_eq!(links, [format!("/d/{provincial}"), format!("/d/{lamao}"), format!("/d/{namesake}")]);
        // the two 拉毛 are told apart by place, constituency and photo
        let lines = doc.texts("#deputies ul.people .who .muted");
        assert!(lines[1].contains("东香卡村") && lines[2].contains("第五选区"), "{lines:?}");
        assert_ne!(lines[1], lines[2]);
        assert_eq!(doc.attrs("#deputies img.thumb", "src"), [format!("/p/{namesake}.jpg")]);
        assert_eq!(doc.texts("#deputies p.place").len(), 3, "each level names its place");
        // a tap on a name opens that deputy's card with the form, which reaches her
        let card = v.get(&format!("/d/{lamao}")).await;
        assert_eq!(card.html().text("#deputy-name"), "拉毛");
        assert!(card.html().text(".mandate").contains("县人大代表"));
        leads_home("deputy card", &card);
        let fields = [("category", "street_lights"), ("description", "东香卡村村口的路灯坏了"), ("phone", CITIZEN_PHONE)];
        let r = submit_on(&mut v, &format!("/d/{lamao}"), &fields, None).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert_eq!(r.html().text("#receipt").len(), 9);
        let mut deputy = app.client();
        deputy.login("deputy", PASSWORD).await;
        assert_eq!(deputy.get("/opinions").await.html().count("#queue a"), 1, "in the deputy's own inbox");
        // a problem keeps the words, on the same card
        let r = submit_on(&mut v, &format!("/d/{lamao}"), &[("category", "street_lights"), ("description", "灯")], None).await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.html().text("#deputy-name"), "拉毛");
        // a village shows its own deputies and the ones above it, not the neighbour's
        let doc = v.get("/find?region=632521100201").await.html();
        assert_eq!(doc.attrs("#deputies ul.people a", "href"), [format!("/d/{provincial}"), format!("/d/{lamao}")]);
    }
);

both_backends!(
    async fn the_station_card_says_where_and_when_and_takes_the_form(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w: World = world(&app, &c).await;
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let st = StationInput {
            region: Some(rc("632521100201")),
            kind: Some(liaison_domain::registry::station::StationKind::Room),
            name: "东香卡村代表联络室".into(),
            address: "东香卡村村委会二楼".into(),
            reception_rule: "每月 5 日".into(),
            open_hours: "工作日 9:00-17:00".into(),
            ..Default::default()
        };
        app.db.update_station(&county, &Actor::of(&county, "-"), w.station_id, &st).await.unwrap();
        let mut v = app.client();
        let path = format!("/s/{}", w.station_id);
        let r = v.get(&path).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        leads_home("station card", &r);
        let doc = r.html();
        let facts = doc.texts("#station-facts li");
        assert!(facts[0].contains("东香卡村村委会二楼") && facts[1].contains("每月 5 日") && facts[2].contains("9:00-17:00"), "{facts:?}");
        let person = app.db.residents(w.station_id).await.unwrap()[0].person_id;
        assert_eq!(doc.attrs("#residents a", "href"), [format!("/d/{person}")]);
        // the same card behind the station's QR code posts to the code; this one to itself
        let r = submit_on(&mut v, &path, &[("category", "roads"), ("description", "村口的路面坑洼积水")], None).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        leads_home("receipt", &r);
        assert_eq!(v.get(&format!("/q/{}", w.station_code)).await.html().text("#station-name"), "东香卡村代表联络室");
    }
);

both_backends!(
    async fn unknown_retired_and_malformed_codes_speak_to_citizens(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut v = app.client();
        for path in ["/q/XXXXXXXXXX", "/q/!!", "/q/%E4%BD%A0"] {
            let r = v.get(path).await;
            assert_eq!(r.status.as_u16(), 404, "{path}");
            assert_eq!(r.html().text("h1"), "二维码无效或已停用", "{path}");
            assert!(r.html().attrs("#missing a", "href").contains(&"/find".to_owned()));
            leads_home(path, &r);
        }
        for path in ["/d/999999", "/d/abc", "/s/999999", "/s/x", "/find?region=632521100299"] {
            let r = v.get(path).await;
            assert_eq!(r.status.as_u16(), 404, "{path}");
            assert!(r.html().text("h1").starts_with("没有找到"), "{path}: {}", r.body);
            leads_home(path, &r);
        }
        // a retired code: the same words, the reason, the way on
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let mid = app.db.residents(w.station_id).await.unwrap()[0].mandate_id;
        let person = app.db.residents(w.station_id).await.unwrap()[0].person_id;
        app.db.leave_office(&county, &Actor::of(&county, "-"), mid, chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), "工作调动").await.unwrap();
        let r = v.get(&format!("/q/{}", w.deputy_code)).await;
        assert_eq!(r.status.as_u16(), 410);
        assert_eq!(r.html().text("h1"), "二维码无效或已停用");
        assert!(r.html().text("#retired").contains("已不再担任"));
        assert!(r.html().attrs("#retired a", "href").iter().any(|h| h.starts_with("/find")));
        leads_home("retired", &r);
        // her card is gone from the site's own links too, in the same words as a missing page
        assert_eq!(v.get(&format!("/d/{person}")).await.status.as_u16(), 404);
    }
);

both_backends!(
    async fn the_card_and_the_receipt_say_what_happens_next(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut v = app.client();
        let card = v.get(&format!("/q/{}", w.deputy_code)).await;
        let footer = card.html().text("#card-footer");
        assert!(footer.contains("在本页填写并提交"), "{footer}");
        assert!(!footer.contains("反映问题请到站点"), "the form is the way, the station another: {footer}");
        // with a phone: the SMS will follow, and when to expect an answer, from the deadline rules
        let r = report(&mut v, &w.deputy_code, &[("category", "street_lights"), ("description", "路灯坏了一个月"), ("phone", CITIZEN_PHONE)], None).await;
        let doc = r.html();
        assert!(doc.text("#expect-sms").contains("短信"), "{}", r.body);
        assert!(doc.text("#expect-answer").contains("14 个工作日"), "2 + 3 + 7 + 2 working days: {}", doc.text("#expect-answer"));
        assert!(doc.text("#next-steps").contains("24小时"));
        leads_home("receipt", &r);
        // without one, no SMS is promised
        let r = report(&mut v, &w.deputy_code, &[("category", "street_lights"), ("description", "路灯又坏了一个")], None).await;
        assert!(r.html().text("#expect-sms").contains("不会收到短信"));
        // the rules are data: a changed rule changes the promise
        let admin = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        app.db
            .set_deadline_rule(&admin, &Actor::of(&admin, "-"), liaison_domain::subject::SubjectKind::Opinion, "assigned", liaison_domain::calendar::Span::WorkingDays(10))
            .await
            .unwrap();
        let r = report(&mut v, &w.deputy_code, &[("category", "street_lights"), ("description", "第三盏路灯也坏了")], None).await;
        assert!(r.html().text("#expect-answer").contains("17 个工作日"), "{}", r.html().text("#expect-answer"));
    }
);

both_backends!(
    async fn tracking_shows_my_words_photos_the_unit_and_the_earlier_answer_after_a_complaint(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut v = app.client();
        let fields = [
            ("category", "street_lights"),
            ("description", "幸福路的路灯坏了，请打13912345678找王秀英"),
            ("name", "王秀英"),
            ("phone", CITIZEN_PHONE),
        ];
        let r = report(&mut v, &w.deputy_code, &fields, Some(&jpeg_with_exif())).await;
        let receipt = r.html().text("#receipt");
        let track = format!("/t?r={receipt}&d=5678");
        let t = v.get(&track).await;
        leads_home("track", &t);
        let doc = t.html();
        let mine = doc.text("#track-description");
        assert!(mine.contains("幸福路的路灯坏了") && !mine.contains(CITIZEN_PHONE) && !mine.contains("王秀英"), "{mine}");
        let photos = doc.attrs("#track-photos img", "src");
        assert_eq!(photos.len(), 1);
        let (status, bytes) = app.client().get_bytes(&photos[0]).await;
        assert_eq!(status.as_u16(), 200);
        assert!(bytes.starts_with(&[0xFF, 0xD8]) && !bytes.windows(4).any(|w| w == b"Exif"));
        let wrong = photos[0].replace("d=5678", "d=0000");
        assert_eq!(app.client().get(&wrong).await.status.as_u16(), 404, "the photo needs the same digits");
        // handled: the unit's name shows, never a person's
        let mut deputy = app.client();
        deputy.login("deputy", PASSWORD).await;
        let id: i64 = deputy.get("/opinions").await.html().attrs("#queue a", "href")[0].trim_start_matches("/opinions/").parse().unwrap();
        act(&mut deputy, id, &[("as", "deputy"), ("action", "hand_over"), ("note", "请登记交办")]).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await;
        let unit = w.unit_id.to_string();
        act(&mut clerk, id, &[("as", "staff"), ("action", "assign"), ("unit", &unit), ("note", "请答复")]).await;
        let doc = v.get(&track).await.html();
        assert_eq!(doc.text("#track-units"), "承办单位：恰卜恰镇人民政府（主办）");
        assert!(!doc.text("#tracked").contains("测试"), "no staff names");
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        act(&mut u, id, &[("as", "unit"), ("action", "reply"), ("note", "已安排检修，三日内修复")]).await;
        // not satisfied: the earlier answer stays, the new state is plain
        let r = v.post_form("/t/rate", &[("r", &receipt), ("d", "5678"), ("rating", "unsatisfied"), ("note", "还没修")]).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert_eq!(r.html().text("#track-notice"), "已收到您的评价。您不满意，事项已退回承办单位重新办理。");
        let doc = v.get(&track).await.html();
        assert_eq!(doc.text("#track-reopened"), "您对上次答复不满意，已重新交办");
        assert_eq!(doc.text("#track-earlier"), "已安排检修，三日内修复");
        assert_eq!(doc.count("#track-answer"), 0, "no new answer yet");
        assert_eq!(doc.count("#rate form"), 0);
        // the new answer replaces it
        act(&mut u, id, &[("as", "unit"), ("action", "reply"), ("note", "已更换灯具")]).await;
        let doc = v.get(&track).await.html();
        assert_eq!(doc.text("#track-answer"), "已更换灯具");
        assert_eq!(doc.count("#track-reopened"), 0);
    }
);

both_backends!(
    async fn a_rating_without_a_choice_is_asked_again_beside_the_field_with_the_words_kept(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut v = app.client();
        let r = report(&mut v, &w.deputy_code, &[("category", "street_lights"), ("description", "路灯坏了一个月"), ("phone", CITIZEN_PHONE)], None).await;
        let receipt = r.html().text("#receipt");
        let mut deputy = app.client();
        deputy.login("deputy", PASSWORD).await;
        let id: i64 = deputy.get("/opinions").await.html().attrs("#queue a", "href")[0].trim_start_matches("/opinions/").parse().unwrap();
        let r = act(&mut deputy, id, &[("as", "deputy"), ("action", "deputy_answer"), ("note", "已联系供电所，本周修复")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        v.get(&format!("/t?r={receipt}&d=5678")).await;
        let r = v.post_form("/t/rate", &[("r", &receipt), ("d", "5678"), ("note", "修得很快，谢谢")]).await;
        assert_eq!(r.status.as_u16(), 422);
        let doc = r.html();
        assert_eq!(doc.text("#rate-error"), "请选择满意、基本满意或不满意后再提交");
        assert_eq!(doc.text("#rate textarea[name=note]"), "修得很快，谢谢");
        assert_eq!(doc.text("#track-answer"), "已联系供电所，本周修复", "the page, not a dead end");
        leads_home("rating refused", &r);
        // a wrong code is the lookup form again, in the same words, not a bare error page
        let r = v.post_form("/t/rate", &[("r", "ZZZZ-ZZZZ"), ("d", "5678"), ("rating", "satisfied")]).await;
        assert_eq!(r.status.as_u16(), 404);
        assert!(r.html().text(".alert.error").contains("请核对回执码"), "{}", r.body);
        leads_home("rating a wrong code", &r);
        // nothing was recorded; choosing now works
        let r = v.post_form("/t/rate", &[("r", &receipt), ("d", "5678"), ("rating", "satisfied"), ("note", "修得很快，谢谢")]).await;
        assert_eq!(r.status.as_u16(), 200);
        assert_eq!(r.html().text("#track-stage"), "已办结");
    }
);
