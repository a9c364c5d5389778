//! The registry through the web: a printed QR really scans to the right public page, retired codes
//! point elsewhere, public pages show nothing private, contact reads are audited, forms explain errors.

use chrono::NaiveDate;
use liaison_domain::RegionCode;
use liaison_domain::registry::deputy::{DeputyLevel, Gender};
use liaison_domain::registry::station::StationKind;
use liaison_store::Actor;
use liaison_store::registry::deputy::DeputyInput;
use liaison_store::registry::station::StationInput;
use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

pub(crate) const DEPUTY_PHONE: &str = "13987654321";
const MANAGER_PHONE: &str = "13700001111";

fn rc(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

/// A room in 东香卡村 with one county deputy resident; returns (station id, mandate id).
pub(crate) async fn seed(app: &TestApp, county_clerk: i64) -> (i64, i64) {
    let scope = app.db.scope_of(county_clerk).await.unwrap();
    let a = Actor::of(&scope, "-");
    let st = StationInput {
        region: Some(rc("632521100201")),
        kind: Some(StationKind::Room),
        name: "东香卡村代表联络室".into(),
        reception_rule: "每月10日".into(),
        phone: "0974-8512345".into(),
        manager_name: "周加".into(),
        manager_phone: MANAGER_PHONE.into(),
        ..Default::default()
    };
    let sid = app.db.create_station(&scope, &a, &st).await.unwrap();
    let home = StationInput {
        name: "恰卜恰镇人大代表之家".into(),
        kind: Some(StationKind::Home),
        region: Some(rc("632521100")),
        ..st.clone()
    };
    app.db.create_station(&scope, &a, &home).await.unwrap();
    let d = DeputyInput {
        name: "拉毛".into(),
        gender: Some(Gender::Female),
        ethnicity: "藏族".into(),
        birth_year: Some(1980),
        party: "中共党员".into(),
        occupation: "牧民".into(),
        employer: "合作社".into(),
        phone: DEPUTY_PHONE.into(),
        level: Some(DeputyLevel::County),
        congress_region: Some(rc("632521")),
        term: Some(18),
        constituency: "恰卜恰镇第二选区".into(),
        constituency_region: Some(rc("632521100201")),
        deputy_group: "恰卜恰镇代表小组".into(),
        expert_group: String::new(),
    };
    let (mid, _) = app.db.upsert_deputy(&scope, &a, &d).await.unwrap();
    app.db.add_resident(&scope, &a, sid, mid).await.unwrap();
    (sid, mid)
}

/// Decodes a PNG QR code with a real decoder (rqrr) and returns its text.
fn decode_png(bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one QR code in the image");
    grids[0].decode().unwrap().1
}

fn path_of(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    rest[rest.find('/').unwrap()..].to_owned()
}

both_backends!(
    async fn without_a_configured_public_address_no_code_is_printed(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let (sid, mid) = seed(&app, c.id("county_clerk")).await;
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        for path in [format!("/stations/{sid}/qr.png"), format!("/stations/{sid}/poster"), format!("/deputies/{mid}/qr.svg")] {
            let r = clerk.get(&path).await;
            assert_eq!(r.status.as_u16(), 409, "{path}");
            assert!(r.html().text("h1").contains("对外访问地址"), "{path}: {}", r.body);
        }
        let page = clerk.get(&format!("/stations/{sid}")).await;
        assert_eq!(page.status.as_u16(), 200);
        assert!(page.html().text("#no-public-url").contains("LIAISON_PUBLIC_URL"));
    }
);

both_backends!(
    async fn printed_qr_codes_scan_to_the_public_cards(db) {
        let c = cast(&db).await;
        let cfg = liaison_web::WebConfig { public_url: Some("https://rd.example.cn/".into()), ..Default::default() };
        let app = TestApp::with_config(db, cfg);
        let (sid, mid) = seed(&app, c.id("county_clerk")).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        // the station's code carries the configured public address, whatever Host a request names
        let req = axum::http::Request::get(format!("/stations/{sid}/qr.png")).body(axum::body::Body::empty()).unwrap();
        let bytes = {
            use tower::ServiceExt;
            use http_body_util::BodyExt;
            let mut req = req;
            let cookie = format!("liaison_session={}", session_cookie(&mut clerk).await);
            req.headers_mut().insert("cookie", cookie.parse().unwrap());
            req.headers_mut().insert("host", "evil.example".parse().unwrap());
            let res = app.router.clone().oneshot(req).await.unwrap();
            assert_eq!(res.status().as_u16(), 200);
            assert_eq!(res.headers()["content-type"], "image/png");
            res.into_body().collect().await.unwrap().to_bytes()
        };
        let url = decode_png(&bytes);
        assert!(url.starts_with("https://rd.example.cn/q/"), "{url}");
        let mut voter = app.client();
        let card = voter.get(&path_of(&url)).await;
        assert_eq!(card.status.as_u16(), 200);
        let doc = card.html();
        assert_eq!(doc.text("#station-name"), "东香卡村代表联络室");
        assert_eq!(doc.texts("#residents li strong"), ["拉毛"]);
        assert!(!card.body.contains(MANAGER_PHONE) && !card.body.contains(DEPUTY_PHONE), "no private phone on a public page");
        let scripts = card.html().attrs("script", "src");
        assert!(scripts.iter().all(|s| s == "/static/public.js" || s == "/static/photo-upload.js"), "public pages load only the draft keeper and the optional photo scaler; the form is a plain POST: {scripts:?}");
        assert_eq!(card.html().count("script:not([src])"), 0, "no inline script");
        assert!(card.html().count("form#intake-form[method=post][enctype='multipart/form-data']") == 1, "the 码上办 form is on the card");
        assert!(card.body.len() < 60 * 1024);
        // the deputy's code
        let r = clerk.get(&format!("/deputies/{mid}/qr.svg")).await;
        assert!(r.body.starts_with("<?xml") || r.body.contains("<svg"), "{}", &r.body[..60.min(r.body.len())]);
        let page = clerk.get(&format!("/deputies/{mid}")).await;
        assert!(page.body.contains("已隐藏") && !page.body.contains(DEPUTY_PHONE));
        // scan the deputy: name, level, the stations where to find her, no phone
        let code = app.db.qr_code_for(liaison_store::registry::qr::QrTarget::Deputy(app.db.deputy(&app.db.scope_of(c.id("county_clerk")).await.unwrap(), mid).await.unwrap().person_id)).await.unwrap();
        let card = voter.get(&format!("/q/{}", code.to_lowercase())).await;
        assert_eq!(card.status.as_u16(), 200, "codes read case-insensitively");
        assert_eq!(card.html().text("#deputy-name"), "拉毛");
        assert!(card.body.contains("东香卡村代表联络室") && !card.body.contains(DEPUTY_PHONE));
        // the deputy leaves office: the code now points to the township's stations
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        app.db.leave_office(&county, &Actor::of(&county, "-"), mid, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), "工作调动").await.unwrap();
        let card = voter.get(&format!("/q/{code}")).await;
        assert_eq!(card.status.as_u16(), 410);
        assert_eq!(card.html().text("h1"), "二维码无效或已停用");
        assert!(card.html().text("#retired").contains("已不再担任"));
        assert!(card.body.contains("恰卜恰镇人大代表之家"));
        // an unknown code is a plain 404
        assert_eq!(voter.get("/q/XXXXXXXXXX").await.status.as_u16(), 404);
    }
);

async fn session_cookie(c: &mut liaison_testkit::app::Client<'_>) -> String {
    c.session_cookie().expect("logged in")
}

both_backends!(
    async fn contact_reads_are_deliberate_and_audited(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let (_, mid) = seed(&app, c.id("county_clerk")).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        clerk.get(&format!("/deputies/{mid}")).await;
        let r = clerk.post_form(&format!("/deputies/{mid}/contact"), &[]).await;
        assert_eq!(r.status.as_u16(), 200);
        assert_eq!(r.html().text("#deputy-phone"), DEPUTY_PHONE);
        // a deputy account may see the registry but not contacts
        let mut dep = app.client();
        dep.login("deputy", PASSWORD).await;
        assert_eq!(dep.post_form(&format!("/deputies/{mid}/contact"), &[]).await.status.as_u16(), 403);
        // the other township cannot even see the record
        let mut other = app.client();
        other.login("other_town_clerk", PASSWORD).await;
        assert_eq!(other.get(&format!("/deputies/{mid}")).await.status.as_u16(), 404);
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let items = aud.get_json("/api/v1/audit?action=personal.read").await.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["actor"], "town_clerk");
    }
);

both_backends!(
    async fn station_form_explains_every_error_and_saves_nothing(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        seed(&app, c.id("county_clerk")).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        clerk.get("/stations/new").await;
        let r = clerk
            .post_form("/stations", &[("name", ""), ("kind", "teahouse"), ("region", "632521101"), ("latitude", "abc"), ("longitude", "")])
            .await;
        assert_eq!(r.status.as_u16(), 422);
        let errors = r.html().texts("ul.errors li");
        assert!(errors.iter().any(|e| e.contains("站点名称")), "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("站点类型")), "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("纬度")), "{errors:?}");
        // a valid form outside the clerk's township is refused, with the reason
        let r = clerk.post_form("/stations", &[("name", "倒淌河某站"), ("kind", "room"), ("region", "632521101")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().texts("ul.errors li").iter().any(|e| e.contains("管辖范围")));
        // duplicate name in the same village
        let r = clerk.post_form("/stations", &[("name", "东香卡村代表联络室"), ("kind", "room"), ("region", "632521100201")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().texts("ul.errors li").iter().any(|e| e.contains("同名")));
        // and a good one lands
        let r = clerk.post_form("/stations", &[("name", "西台村代表联络点"), ("kind", "point"), ("region", "632521100202"), ("reception_rule", "每周三上午")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let list = clerk.get("/stations?kind=point").await.html();
        assert_eq!(list.texts("#stations tbody td:first-child"), ["西台村代表联络点"]);
    }
);

both_backends!(
    async fn find_your_deputies_by_village(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        seed(&app, c.id("county_clerk")).await;
        app.db.audit_alone(&Actor::system("t"), liaison_domain::audit::AuditAction::Logout, "-", None, "{}").await.unwrap();
        let mut voter = app.client();
        let r = voter.get("/find?region=632521100201").await;
        assert_eq!(r.status.as_u16(), 200);
        let doc = r.html();
        assert_eq!(doc.texts("#deputies ul.people strong"), ["拉毛"]);
        assert!(doc.texts("#stations .card h3").first().is_some_and(|t| t == "东香卡村代表联络室"), "the village's own room first");
        assert!(!r.body.contains(DEPUTY_PHONE) && !r.body.contains("<script"));
        assert_eq!(voter.get("/find?region=12x").await.status.as_u16(), 422);
    }
);

both_backends!(
    async fn linked_households_and_the_twice_a_year_rule(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let (_, mid) = seed(&app, c.id("county_clerk")).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let page = clerk.get(&format!("/deputies/{mid}")).await.html();
        assert!(page.text("#link-status").contains("缺少致富带头人联系户"));
        for (kind, name) in [("well_off_leader", "马成贵"), ("needy", "才让卓玛"), ("local_notable", "韩有德")] {
            let r = clerk
                .post_form(&format!("/deputies/{mid}/households"), &[("kind", kind), ("name", name), ("phone", "13611112222"), ("region", "632521100201")])
                .await;
            assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        }
        // bad input is explained, nothing saved
        let r = clerk.post_form(&format!("/deputies/{mid}/households"), &[("kind", "rich"), ("name", ""), ("region", "520112")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.html().count("ul.errors li"), 2 + 1);
        let page = clerk.get(&format!("/deputies/{mid}")).await;
        assert!(!page.body.contains("13611112222"), "citizen phones are masked");
        assert!(page.body.contains("136****2222"));
        let ids = page.html().attrs("select[name=household] option", "value");
        assert_eq!(ids.len(), 3);
        let today = liaison_domain::time::today().to_string();
        let tomorrow = liaison_domain::time::today().succ_opt().unwrap().to_string();
        let r = clerk.post_form(&format!("/deputies/{mid}/households/meeting"), &[("household", &ids[0]), ("on", &tomorrow)]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("不能晚于今天"));
        for id in &ids {
            for _ in 0..2 {
                let r = clerk.post_form(&format!("/deputies/{mid}/households/meeting"), &[("household", id), ("on", &today), ("note", "走访了解生产生活情况")]).await;
                assert_eq!(r.status.as_u16(), 303, "{}", r.body);
            }
        }
        let page = clerk.get(&format!("/deputies/{mid}")).await.html();
        assert!(page.text("#link-status").starts_with("符合要求"), "{}", page.text("#link-status"));
        // a deputy records meetings for their own households only, not for another deputy's
        let mut deputy = app.client();
        deputy.login("deputy", PASSWORD).await;
        let r = deputy.post_form(&format!("/deputies/{mid}/households/meeting"), &[("household", &ids[0]), ("on", &today), ("note", "代记")]).await;
        assert_eq!(r.status.as_u16(), 403, "{}", r.body);
        let meetings: i64 = clerk.get(&format!("/deputies/{mid}")).await.html().texts("#household-list tbody tr td:nth-child(5)").iter().map(|t| t.trim_end_matches(" 次").parse::<i64>().unwrap_or(0)).sum();
        assert_eq!(meetings, 6, "nothing recorded by the other deputy");
        // the neighbouring township cannot add households to this deputy
        let mut other = app.client();
        other.login("other_town_clerk", PASSWORD).await;
        let r = other.post_form(&format!("/deputies/{mid}/households"), &[("kind", "needy"), ("name", "x"), ("region", "632521101")]).await;
        assert_eq!(r.status.as_u16(), 404);
    }
);

both_backends!(
    async fn residents_are_added_and_removed_from_the_station_page(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let (sid, mid) = seed(&app, c.id("county_clerk")).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let page = clerk.get(&format!("/stations/{sid}")).await.html();
        assert_eq!(page.texts("#residents tbody td:first-child"), ["拉毛"]);
        let r = clerk.post_form(&format!("/stations/{sid}/residents/remove"), &[("mandate", &mid.to_string())]).await;
        assert_eq!(r.status.as_u16(), 303);
        let page = clerk.get(&format!("/stations/{sid}")).await.html();
        assert_eq!(page.texts("#residents tbody td"), ["暂无进站代表"]);
        // she is now offered as a candidate, and can be added back
        assert_eq!(page.attrs("select[name=mandate] option", "value"), [mid.to_string()]);
        let r = clerk.post_form(&format!("/stations/{sid}/residents/add"), &[("mandate", &mid.to_string())]).await;
        assert_eq!(r.status.as_u16(), 303);
        assert_eq!(clerk.get(&format!("/stations/{sid}")).await.html().texts("#residents tbody td:first-child"), ["拉毛"]);
        let r = clerk.post_form(&format!("/stations/{sid}/residents/add"), &[("mandate", "x")]).await;
        assert_eq!(r.status.as_u16(), 422);
    }
);

both_backends!(
    async fn committee_members_link_deputies(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let (_, mid) = seed(&app, c.id("county_clerk")).await;
        // a second county deputy who sits on the standing committee
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let member = DeputyInput {
            name: "赵国华".into(),
            gender: Some(Gender::Male),
            ethnicity: "汉族".into(),
            birth_year: Some(1968),
            party: "中共党员".into(),
            occupation: "公务员".into(),
            employer: "县人大常委会".into(),
            phone: String::new(),
            level: Some(DeputyLevel::County),
            congress_region: Some(rc("632521")),
            term: Some(18),
            constituency: "第一选区".into(),
            constituency_region: Some(rc("632521100")),
            deputy_group: String::new(),
            expert_group: String::new(),
        };
        let (member_mandate, _) = app.db.upsert_deputy(&county, &Actor::of(&county, "-"), &member).await.unwrap();
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        let page = clerk.get(&format!("/deputies/{mid}")).await.html();
        assert!(page.attrs("select[name=member] option", "value").contains(&member_mandate.to_string()));
        let r = clerk.post_form(&format!("/deputies/{mid}/committee"), &[("member", &member_mandate.to_string())]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        // twice is refused with a reason
        let r = clerk.post_form(&format!("/deputies/{mid}/committee"), &[("member", &member_mandate.to_string())]).await;
        assert_eq!(r.status.as_u16(), 409);
        assert!(r.body.contains("已建立联系"));
        let page = clerk.get(&format!("/deputies/{mid}")).await.html();
        let link = page.attrs("select[name=link] option", "value");
        assert_eq!(link.len(), 1);
        let today = liaison_domain::time::today().to_string();
        let r = clerk.post_form(&format!("/deputies/{mid}/committee/meeting"), &[("link", &link[0]), ("on", &today)]).await;
        assert_eq!(r.status.as_u16(), 303);
        // both sides see the link, with this year's meeting
        for m in [mid, member_mandate] {
            let page = clerk.get(&format!("/deputies/{m}")).await.html();
            assert_eq!(page.texts("#committee-links tbody td"), ["赵国华", "拉毛", "1 次", today.as_str()]);
        }
    }
);

both_backends!(
    async fn routing_rules_inherit_and_the_nearest_wins(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&county, "-");
        let unit = |name: &str, region: &str, kind: &str| liaison_store::registry::unit::UnitInput { region: rc(region), name: name.into(), kind: kind.into(), phone: String::new() };
        let (bureau, _) = app.db.upsert_unit(&county, &a, &unit("共和县交通运输局", "632521", "department")).await.unwrap();
        let (town_gov, _) = app.db.upsert_unit(&county, &a, &unit("恰卜恰镇人民政府", "632521100", "township_government")).await.unwrap();
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        clerk.get("/units/routing").await;
        let r = clerk.post_form("/units/routing", &[("region", "632521"), ("category", "roads"), ("unit", &bureau.to_string())]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let r = clerk.post_form("/units/routing", &[("region", "632521100"), ("category", "street_lights"), ("unit", &town_gov.to_string())]).await;
        assert_eq!(r.status.as_u16(), 303);
        // a village of the township: roads from the county, street lights from the township
        let village = rc("632521100201");
        assert_eq!(app.db.default_unit(&village, "roads").await.unwrap().unwrap().unit_name, "共和县交通运输局");
        assert_eq!(app.db.default_unit(&village, "street_lights").await.unwrap().unwrap().unit_name, "恰卜恰镇人民政府");
        assert!(app.db.default_unit(&rc("632521101"), "street_lights").await.unwrap().is_none(), "another township has no such rule");
        let page = clerk.get("/units/routing?region=632521100201").await.html();
        let rows = page.texts("#routing tbody tr td:nth-child(2)");
        assert!(rows[0].starts_with("共和县交通运输局") && rows[0].contains("沿用共和县"), "{rows:?}");
        // the township clerk cannot set rules for the county, nor name a unit outside the township
        let mut town = app.client();
        town.login("town_clerk", PASSWORD).await;
        town.get("/units/routing").await;
        assert_eq!(town.post_form("/units/routing", &[("region", "632521"), ("category", "roads"), ("unit", &town_gov.to_string())]).await.status.as_u16(), 404);
        assert_eq!(town.post_form("/units/routing", &[("region", "632521100"), ("category", "roads"), ("unit", &bureau.to_string())]).await.status.as_u16(), 404);
        assert_eq!(town.post_form("/units/routing", &[("region", "632521100"), ("category", "nonsense"), ("unit", "")]).await.status.as_u16(), 404);
        // clearing the township's own rule
        let r = clerk.post_form("/units/routing", &[("region", "632521100"), ("category", "street_lights"), ("unit", "")]).await;
        assert_eq!(r.status.as_u16(), 303);
        assert!(app.db.default_unit(&village, "street_lights").await.unwrap().is_none());
    }
);

both_backends!(
    async fn the_next_page_link_continues_where_the_page_ended(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&county, "-");
        let villages = ["632521100201", "632521100202", "632521100203"];
        for i in 0..61 {
            let st = StationInput {
                region: Some(rc(villages[i % 3])),
                kind: Some(StationKind::Point),
                name: format!("联络点{i:02}"),
                ..Default::default()
            };
            app.db.create_station(&county, &a, &st).await.unwrap();
        }
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let first = clerk.get("/stations?kind=point").await.html();
        let mut seen = first.texts("#stations tbody td:first-child a");
        assert_eq!(seen.len(), 50);
        let next = first.attr(".pager a", "href").expect("a next page");
        assert!(next.starts_with("/stations?kind=point&after=632521100"), "{next}");
        let second = clerk.get(&next.replace("&amp;", "&")).await.html();
        seen.extend(second.texts("#stations tbody td:first-child a"));
        assert!(second.attr(".pager a", "href").is_none(), "no page after the last");
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 61, "every station exactly once across the pages");
    }
);

both_backends!(
    async fn deputy_photos_are_checked_cleaned_and_shown_while_in_office(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let (_, mid) = seed(&app, c.id("county_clerk")).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        clerk.get(&format!("/deputies/{mid}")).await;
        // not an image: refused, in Chinese
        let r = clerk.post_file(&format!("/deputies/{mid}/photo"), "photo", "x.jpg", b"<svg onload=alert(1)>").await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("只能上传 JPG 或 PNG"));
        // a real PNG
        let mut png = Vec::new();
        image::RgbImage::from_pixel(64, 80, image::Rgb([30, 90, 160]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let r = clerk.post_file(&format!("/deputies/{mid}/photo"), "photo", "me.png", &png).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let person = app.db.deputy(&app.db.scope_of(c.id("county_clerk")).await.unwrap(), mid).await.unwrap().person_id;
        let page = clerk.get(&format!("/deputies/{mid}")).await.html();
        assert_eq!(page.attr("img.portrait", "src"), Some(format!("/p/{person}.jpg")));
        // served publicly as a JPEG while in office, from the durable file store
        let mut voter = app.client();
        let (status, bytes) = voter.get_bytes(&format!("/p/{person}.jpg")).await;
        assert_eq!(status.as_u16(), 200);
        assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "re-encoded as JPEG");
        let stored: usize = walk(app.files.path());
        assert_eq!(stored, 1, "one file in the content-addressed store");
        // after leaving office the photo is no longer public
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        app.db.leave_office(&county, &Actor::of(&county, "-"), mid, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), "任期届满").await.unwrap();
        assert_eq!(voter.get_bytes(&format!("/p/{person}.jpg")).await.0.as_u16(), 404);
        assert_eq!(voter.get_bytes("/p/../../etc.jpg").await.0.as_u16(), 404);
    }
);

/// Files under a folder (excluding the temp area).
fn walk(dir: &std::path::Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|f| f != "tmp") {
                n += walk(&p);
            }
        } else {
            n += 1;
        }
    }
    n
}
