//! 码上办 through HTTP on both backends: a scan to a receipt, the deputy first, registration and
//! assignment with the routing default, the unit's reply, the citizen's rating (不满意 goes back to the
//! unit), publication without personal data; and the guards: illegal steps, scope, audited contact
//! reads, idempotent resubmission, honeypot, rate limits, photos stripped and hideable.

use crate::support::*;
use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

both_backends!(
    async fn the_whole_loop_from_scan_to_public_list(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        // the voter scans the deputy's code and reports, with a photo
        let mut voter = app.client();
        let fields = [
            ("category", "street_lights"),
            ("description", "幸福路12号门口的路灯坏了一个月，有事请打13912345678找我"),
            ("name", "王秀英"),
            ("phone", CITIZEN_PHONE),
            ("callback", "on"),
        ];
        let r = report(&mut voter, &w.deputy_code, &fields, Some(&jpeg_with_exif())).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let receipt = r.html().text("#receipt");
        assert_eq!(receipt.len(), 9, "ABCD-EFGH: {receipt}");
        // tracking needs the last four digits when a phone was given; nothing private shows
        let t = voter.get(&format!("/t?r={receipt}")).await;
        assert!(t.body.contains("请填写手机号后 4 位") && t.html().count("#track-stage") == 0, "an SMS link asks for the digits");
        let t = voter.get(&format!("/t?r={}&d=5678", receipt.to_lowercase())).await;
        assert_eq!(t.status.as_u16(), 200, "{}", t.body);
        assert_eq!(t.html().text("#track-stage"), "已收到，正在登记");
        assert!(!t.body.contains("王秀英") && !t.body.contains(CITIZEN_PHONE));
        // it is in the deputy's inbox; the deputy hands it to the township
        let mut deputy = app.client();
        deputy.login("deputy", PASSWORD).await;
        let inbox = deputy.get("/opinions").await.html();
        let links = inbox.attrs("#queue a", "href");
        assert_eq!(links.len(), 1, "one item in the inbox");
        let id: i64 = links[0].trim_start_matches("/opinions/").parse().unwrap();
        let item = deputy.get(&format!("/opinions/{id}")).await;
        assert_eq!(item.status.as_u16(), 200, "{}", item.body);
        let contact = item.html().text("#contact");
        assert!(contact.contains("王*") && contact.contains("139****5678") && !contact.contains(CITIZEN_PHONE), "contact masked until an audited read: {contact}");
        // a clerk cannot take it from the deputy's inbox before it is handed over
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await;
        assert_eq!(r.status.as_u16(), 409);
        assert!(r.body.contains("您不能对该事项执行“登记受理”"), "{}", r.body);
        let r = act(&mut deputy, id, &[("as", "deputy"), ("action", "hand_over"), ("note", "路灯归镇政府管，请登记交办")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        // the clerk accepts and assigns: the routing table preselects the township government
        assert_eq!(act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await.status.as_u16(), 303);
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert_eq!(page.attrs("#act-assign select[name=unit] option[selected]", "value"), [w.unit_id.to_string()]);
        let unit = w.unit_id.to_string();
        assert_eq!(act(&mut clerk, id, &[("as", "staff"), ("action", "assign"), ("unit", &unit), ("note", "请7日内答复")]).await.status.as_u16(), 303);
        // the unit replies
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        assert!(u.get("/opinions").await.html().attrs("#queue a", "href").contains(&format!("/opinions/{id}")));
        let unit_view = u.get(&format!("/opinions/{id}")).await;
        assert_eq!(unit_view.status.as_u16(), 200, "{}", unit_view.body);
        assert_eq!(unit_view.html().text("#stage"), "承办中", "the unit's page of the assigned item");
        assert!(unit_view.body.contains("幸福路12号门口的路灯坏了"), "the description is shown");
        assert!(!unit_view.body.contains("查看联系方式"), "the citizen did not let the unit see the contact");
        assert!(!unit_view.body.contains(CITIZEN_PHONE), "not even where it was typed into the description");
        assert_eq!(act(&mut u, id, &[("as", "unit"), ("action", "reply"), ("note", "已安排检修，三日内修复")]).await.status.as_u16(), 303);
        // the voter sees the reply and is not satisfied: back to the unit
        let t = voter.get(&format!("/t?r={receipt}&d=5678")).await;
        assert_eq!(t.html().text("#track-answer"), "已安排检修，三日内修复");
        voter.post_form("/t/rate", &[("r", &receipt), ("d", "5678"), ("rating", "unsatisfied"), ("note", "还没修")]).await;
        let t = voter.get(&format!("/t?r={receipt}&d=5678")).await;
        assert_eq!(t.html().text("#track-stage"), "正在办理");
        let page = u.get(&format!("/opinions/{id}")).await.html();
        assert_eq!(page.text("#stage"), "承办中");
        assert!(page.text(".tag.bad").contains("不满意重办 1 次"));
        assert_eq!(act(&mut u, id, &[("as", "unit"), ("action", "reply"), ("note", "已更换灯具，恢复照明")]).await.status.as_u16(), 303);
        let r = voter.post_form("/t/rate", &[("r", &receipt), ("d", "5678"), ("rating", "satisfied")]).await;
        assert_eq!(r.html().text("#track-stage"), "已办结");
        // the clerk reads the contact (audited), hides nothing, and publishes after review
        let r = clerk.post_form(&format!("/opinions/{id}/contact"), &[]).await;
        assert!(r.html().text("#contact").contains(CITIZEN_PHONE));
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        let text = page.text("#act-publish textarea");
        assert!(!text.contains(CITIZEN_PHONE) && text.contains("139******78"), "numbers masked in the draft: {text}");
        let edited = format!("{text}\n（联系人王秀英 13912345678）");
        assert_eq!(act(&mut clerk, id, &[("as", "staff"), ("action", "publish"), ("public_text", &edited)]).await.status.as_u16(), 303);
        // the public list: the outcome, the photo, no name, no phone
        let list = app.client().get("/published?region=632521").await;
        assert_eq!(list.status.as_u16(), 200, "{}", list.body);
        assert_eq!(list.html().count(".published-item"), 1);
        assert!(list.body.contains("已更换灯具"));
        assert!(!list.body.contains(CITIZEN_PHONE), "a phone typed into the reviewed text is masked too");
        let photos = list.html().attrs(".published-item img", "src");
        assert_eq!(photos.len(), 1);
        let (status, bytes) = app.client().get_bytes(&photos[0]).await;
        assert_eq!(status.as_u16(), 200);
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "EXIF stripped");
        // staff hide the photo: gone from the public list and its address
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        let hide = page.attrs("#photos + .photos form, .photos form", "action")[0].clone();
        assert_eq!(clerk.post_form(&hide, &[("hidden", "1")]).await.status.as_u16(), 303);
        assert_eq!(app.client().get(&photos[0]).await.status.as_u16(), 404);
        // the history has every step, and the audit every staff action and the contact read
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert_eq!(page.count("#history li"), 9, "submit, hand over, accept, assign, reply, rate, reply, rate, publish");
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let reads = aud.get_json("/api/v1/audit?action=personal.read").await.json()["items"].as_array().unwrap().len();
        assert_eq!(reads, 1);
    }
);

both_backends!(
    async fn guards_on_the_public_form(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut v = app.client();
        // bad input: clear Chinese errors, and what was typed is still there
        let r = report(&mut v, &w.station_code, &[("category", "nonsense"), ("description", "灯"), ("phone", "12ab")], None).await;
        assert_eq!(r.status.as_u16(), 422);
        let doc = r.html();
        let errors = doc.texts("#intake-errors li");
        assert!(errors.iter().any(|e| e.contains("请选择问题类别")), "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("至少 5 个字")));
        assert!(errors.iter().any(|e| e.contains("电话号码格式不对")));
        assert_eq!(doc.attrs("input[name=phone]", "value"), ["12ab"]);
        // a file that is not a photo
        let r = report(&mut v, &w.station_code, &[("category", "roads"), ("description", "村口的路坑很多")], Some(b"<svg onload=alert(1)>")).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("只能上传 JPG 或 PNG"));
        // the same form sent twice is one item with one receipt
        let page = v.get(&format!("/q/{}", w.station_code)).await;
        let nonce = page.html().attrs("input[name=nonce]", "value")[0].clone();
        let f = [("nonce", nonce.as_str()), ("category", "roads"), ("description", "村口的路坑很多，下雨积水")];
        let a = v.post_multipart(&format!("/q/{}", w.station_code), &f, &[]).await.html().text("#receipt");
        let b = v.post_multipart(&format!("/q/{}", w.station_code), &f, &[]).await.html().text("#receipt");
        assert_eq!(a, b);
        // without a phone, the receipt alone opens the tracking page
        assert_eq!(v.get(&format!("/t?r={a}")).await.status.as_u16(), 200);
        // the honeypot keeps nothing
        let r = report(&mut v, &w.station_code, &[("category", "roads"), ("description", "机器人填写的内容"), ("website", "http://spam")], None).await;
        assert_eq!(r.status.as_u16(), 200);
        assert_eq!(r.html().text("section.card h1"), "谢谢", "the robot is thanked: {}", r.body);
        assert_eq!(r.html().count("#receipt"), 0);
        assert!(!r.body.contains("receipt"));
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        assert_eq!(clerk.get("/opinions").await.html().count("#queue a"), 1, "one item: the resend and the robot added nothing");
        // the station's items go to the station's staff; another township's clerk cannot see them
        let mut other = app.client();
        other.login("other_town_clerk", PASSWORD).await;
        assert_eq!(other.get("/opinions").await.html().count("#queue a"), 0);
        // per-address limit, kept in the database: the 21st submission in the hour is refused, the text kept
        for i in 0..19 {
            let r = report(&mut v, &w.station_code, &[("category", "roads"), ("description", &format!("第{i}条：路面破损"))], None).await;
            assert_eq!(r.status.as_u16(), 200, "{i}");
        }
        let r = report(&mut v, &w.station_code, &[("category", "roads"), ("description", "第二十一条：路面破损")], None).await;
        assert_eq!(r.status.as_u16(), 429);
        assert!(r.body.contains("提交太频繁") && r.body.contains("第二十一条"));
    }
);

both_backends!(
    async fn staff_record_a_walk_in_for_their_own_stations_only(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        world(&app, &c).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let form = clerk.get("/opinions/new").await.html();
        let station = form.attrs("select[name=station] option:not([value=''])", "value")[0].clone();
        let nonce = form.attrs("input[name=nonce]", "value")[0].clone();
        let fields = [
            ("nonce", nonce.as_str()),
            ("channel", "walk_in"),
            ("station", station.as_str()),
            ("category", "roads"),
            ("description", "群众来访：村道坑洼，雨天积水"),
            ("name", "李四"),
            ("phone", "13700000000"),
        ];
        let r = clerk.post_multipart("/opinions/new", &fields, &[]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let item = clerk.get(r.location().unwrap()).await.html();
        assert!(item.text("main").contains("来访接待"));
        assert!(item.text("#contact").contains("李*"), "the recorded contact is masked too");
        // a station manager (bound to no station here) cannot record into a station that is not theirs
        let mut mgr = app.client();
        mgr.login("station_mgr", PASSWORD).await;
        let form = mgr.get("/opinions/new").await.html();
        let nonce = form.attrs("input[name=nonce]", "value")[0].clone();
        let fields = [("nonce", nonce.as_str()), ("channel", "walk_in"), ("station", station.as_str()), ("category", "roads"), ("description", "群众来访：村道坑洼，雨天积水")];
        let r = mgr.post_multipart("/opinions/new", &fields, &[]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("只能登记到您负责的站点"));
        // a unit account records nothing
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        assert_eq!(u.get("/opinions/new").await.status.as_u16(), 403);
    }
);

both_backends!(
    async fn a_reused_form_with_new_text_is_a_new_submission_and_never_shows_anothers_receipt(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut kiosk = app.client();
        let page = kiosk.get(&format!("/q/{}", w.station_code)).await;
        let nonce = page.html().attrs("input[name=nonce]", "value")[0].clone();
        let path = format!("/q/{}", w.station_code);
        let first = [("nonce", nonce.as_str()), ("category", "roads"), ("description", "第一位群众：村口路灯不亮"), ("phone", "13912345678")];
        let a = kiosk.post_multipart(&path, &first, &[]).await.html().text("#receipt");
        // the back button on a shared phone: the same form, another citizen's text
        let second = [("nonce", nonce.as_str()), ("category", "utilities"), ("description", "第二位群众：自来水浑浊")];
        let r = kiosk.post_multipart(&path, &second, &[]).await;
        assert_eq!(r.status.as_u16(), 200);
        let b = r.html().text("#receipt");
        assert!(!b.is_empty() && a != b, "a new receipt, not the first citizen's: {a} / {b}");
        // the first citizen's exact resend is still the one submission
        let again = kiosk.post_multipart(&path, &first, &[]).await.html().text("#receipt");
        assert_eq!(again, a);
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let queue = clerk.get("/opinions").await;
        assert_eq!(queue.html().count("#queue a"), 2, "both texts stored: {}", queue.body);
        assert!(queue.body.contains("自来水浑浊"));
    }
);

both_backends!(
    async fn tracking_limits_guessing_per_receipt_without_locking_out_a_village_behind_one_address(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut v = app.client();
        let path = format!("/q/{}", w.station_code);
        v.get(&path).await;
        let mine = [("category", "roads"), ("description", "村口的桥栏杆断了"), ("phone", "13912345678")];
        let a = v.post_multipart(&path, &mine, &[]).await.html().text("#receipt");
        let theirs = [("category", "roads"), ("description", "小学门口没有减速带"), ("phone", "13800001111")];
        let b = v.post_multipart(&path, &theirs, &[]).await.html().text("#receipt");
        // many villagers behind one address mistype receipt codes: the address is not locked out
        for i in 0..40 {
            let r = v.get(&format!("/t?r=ZZZZ-{i:04}&d=1234")).await;
            assert_eq!(r.status.as_u16(), 404, "{i}");
        }
        assert_eq!(v.get(&format!("/t?r={b}&d=1111")).await.status.as_u16(), 200, "a correct lookup from the same address");
        // someone guessing the four digits of one receipt is stopped, with how long to wait
        for d in 0..8 {
            let r = v.get(&format!("/t?r={a}&d={:04}", 2000 + d)).await;
            assert_eq!(r.status.as_u16(), 404, "{d}");
        }
        let r = v.get(&format!("/t?r={a}&d=5678")).await;
        assert_eq!(r.status.as_u16(), 429, "even the right digits wait once the receipt is locked");
        assert!(r.html().text("[role=alert]").contains("分钟后再试"), "{}", r.body);
        assert_eq!(r.html().attrs("input[name=r]", "value"), std::slice::from_ref(&a), "the typed receipt is kept");
        // the other receipt is untouched
        assert_eq!(v.get(&format!("/t?r={b}&d=1111")).await.status.as_u16(), 200);
    }
);
