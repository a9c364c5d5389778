//! 代表建议: the journey through the pages on both backends — a deputy raises a suggestion with two
//! co-signers who confirm, the office registers it and assigns a lead and a co-unit, the co-unit signs
//! off, the lead replies class B with a milestone, the deputy rates 不满意, it goes back, the second
//! reply is rated 满意, and the public board shows it — and a motion with too few co-signers is
//! refused with the form kept; another township's office and other deputies see nothing of it.

use liaison_domain::registry::deputy::{DeputyLevel, Gender};
use liaison_domain::{RegionCode, Role};
use liaison_store::Actor;
use liaison_store::account::NewAccount;
use liaison_store::registry::deputy::DeputyInput;
use liaison_store::registry::unit::UnitInput;
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast, grant, password_hash};

use crate::support::*;

fn rc(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

/// A county deputy with an account of their own (username `name_en`); returns the person id.
async fn deputy_with_account(
    app: &TestApp,
    c: &liaison_testkit::fixtures::Cast,
    name: &str,
    username: &str,
) -> i64 {
    let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
    let a = Actor::of(&county, "-");
    let d = DeputyInput {
        name: name.into(),
        gender: Some(Gender::Male),
        level: Some(DeputyLevel::County),
        congress_region: Some(rc("632521")),
        term: Some(18),
        constituency_region: Some(rc("632521100201")),
        ..Default::default()
    };
    let (mid, _) = app.db.upsert_deputy(&county, &a, &d).await.unwrap();
    let person = app.db.deputy(&county, mid).await.unwrap().person_id;
    let admin = app.db.scope_of(c.id("sysadmin")).await.unwrap();
    let id = app
        .db
        .create_account(
            &admin,
            &Actor::of(&admin, "-"),
            NewAccount {
                username: username.into(),
                display_name: name.into(),
                region: rc("632521100201"),
                roles: vec![Role::Deputy],
                unit_id: None,
                station_id: None,
                person_id: Some(person),
                password_hash: password_hash().to_owned(),
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    grant(&app.db, id).await;
    person
}

async fn logged_in<'a>(app: &'a TestApp, user: &str) -> Client<'a> {
    let mut c = app.client();
    c.login(user, PASSWORD).await;
    c
}

/// Posts a step from the item's page (which gives the CSRF token).
async fn step(c: &mut Client<'_>, id: i64, fields: &[(&str, &str)]) -> liaison_testkit::app::TestResponse {
    c.get(&format!("/suggestions/{id}")).await;
    c.post_form(&format!("/suggestions/{id}/act"), fields).await
}

fn ok(r: &liaison_testkit::app::TestResponse, what: &str) {
    assert_eq!(r.status.as_u16(), 303, "{what}: {}", r.body);
}

both_backends!(
    async fn the_journey_of_a_suggestion(db) {
    let c = cast(&db).await;
    let app = TestApp::with_db(db);
    let w = world(&app, &c).await;
    let li = deputy_with_account(&app, &c, "李明", "li_ming").await;
    let wang = deputy_with_account(&app, &c, "王芳", "wang_fang").await;
    let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
    let (water, _) = app
        .db
        .upsert_unit(
            &county,
            &Actor::of(&county, "-"),
            &UnitInput {
                region: rc("632521"),
                name: "县水务局".into(),
                kind: "government_department".into(),
                phone: String::new(),
            },
        )
        .await
        .unwrap();

    // the office sets up the meeting; a mistake comes back beside its field
    let mut office = logged_in(&app, "county_clerk").await;
    office.get("/suggestions/meetings").await;
    let bad = office
        .post_form(
            "/suggestions/meetings",
            &[("name", "某县第十八届人民代表大会第三次会议"), ("year", "2027"), ("min_cosigners", "10"), ("answer_months", "7"), ("return_days", "5")],
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422);
    let page = bad.html();
    assert!(page.text("[data-field=answer_months]").contains("不超过 6 个月"));
    assert_eq!(page.attrs("#meeting-new input[name=name]", "value"), ["某县第十八届人民代表大会第三次会议"]);
    let r = office
        .post_form(
            "/suggestions/meetings",
            &[("name", "共和县第十八届人民代表大会第三次会议"), ("year", "2027"), ("min_cosigners", "10"), ("answer_months", "3"), ("return_days", "5")],
        )
        .await;
    ok(&r, "meeting");
    let meeting = app.db.meetings(&county).await.unwrap()[0].id.to_string();

    // a motion with too few co-signers is refused in words, with everything typed kept
    let mut deputy = logged_in(&app, "deputy").await;
    deputy.get("/suggestions/new").await;
    let li_s = li.to_string();
    let wang_s = wang.to_string();
    let body = "城关镇多个老旧小区雨污合流，雨季污水倒灌，建议列入年度改造计划并分步实施。";
    let r = deputy
        .post_form(
            "/suggestions/new",
            &[("meeting", &meeting), ("kind", "motion"), ("period", "meeting"), ("title", "关于改造老旧小区雨污管网的议案"), ("category", "street_lights"), ("body", body), ("cosigners", &li_s), ("cosigners", &wang_s)],
        )
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    let page = r.html();
    assert!(page.text("[data-field=cosigners]").contains("议案须由至少 10 名代表联名"), "{}", page.text("form"));
    assert_eq!(page.text("textarea[name=body]"), body);
    assert_eq!(page.attrs("select[name=cosigners] option[selected]", "value").len(), 2);

    // the same as a suggestion, with two co-signers
    let r = deputy
        .post_form(
            "/suggestions/new",
            &[("meeting", &meeting), ("kind", "suggestion"), ("period", "recess"), ("title", "关于改造老旧小区雨污管网的建议"), ("category", "street_lights"), ("body", body), ("cosigners", &li_s), ("cosigners", &wang_s)],
        )
        .await;
    ok(&r, "propose");
    let id: i64 = r.location().unwrap().trim_start_matches("/suggestions/").split('?').next().unwrap().parse().unwrap();
    let page = deputy.get(&format!("/suggestions/{id}")).await.html();
    assert_eq!(page.text("#stage"), "联名确认中");
    assert_eq!(page.count("#form-submit"), 0, "the proposer submits once all have answered");
    let early = step(&mut deputy, id, &[("as", "proposer"), ("do", "submit")]).await;
    assert_eq!(early.status.as_u16(), 409, "{}", early.body);

    // the co-signers confirm on their own accounts; each heard of it
    for user in ["li_ming", "wang_fang"] {
        let mut d = logged_in(&app, user).await;
        let inbox = d.get("/inbox").await.html();
        assert!(inbox.text("body").contains("请确认联名"), "{user}");
        ok(&step(&mut d, id, &[("as", "cosigner"), ("do", "confirm")]).await, "confirm");
    }
    ok(&step(&mut deputy, id, &[("as", "proposer"), ("do", "submit")]).await, "submit");

    // another township's office and the unit see nothing yet
    let mut far = logged_in(&app, "other_town_clerk").await;
    assert_eq!(far.get(&format!("/suggestions/{id}")).await.status.as_u16(), 404);
    let mut unit = logged_in(&app, "unit").await;
    assert_eq!(unit.get(&format!("/suggestions/{id}")).await.status.as_u16(), 404);

    // the office registers it and assigns a lead (the township government) and a co-unit
    ok(&step(&mut office, id, &[("as", "staff"), ("do", "register")]).await, "register");
    let lead = w.unit_id.to_string();
    let co = water.to_string();
    let same = step(&mut office, id, &[("as", "staff"), ("do", "assign"), ("lead", &lead), ("co", &lead)]).await;
    assert_eq!(same.status.as_u16(), 422);
    assert!(same.html().text("[data-field=co]").contains("主办单位不能同时是协办单位"));
    ok(&step(&mut office, id, &[("as", "staff"), ("do", "assign"), ("lead", &lead), ("co", &co)]).await, "assign");
    let page = office.get(&format!("/suggestions/{id}")).await.html();
    assert_eq!(page.text("#number"), "第1号");

    // the lead cannot reply before the co-unit signs off
    let reply = |class: &'static str| {
        vec![
            ("as", "lead_unit"),
            ("do", "reply"),
            ("class", class),
            ("text", "已会同县水务局制定改造方案，列入2027年老旧小区改造计划。"),
            ("planned", "2099-06-30"),
            ("m_date", "2099-03-31"),
            ("m_what", "完成管网设计"),
            ("m_date", ""),
            ("m_what", ""),
        ]
    };
    let r = step(&mut unit, id, &reply("B")).await;
    assert_eq!(r.status.as_u16(), 409, "{}", r.body);
    assert!(r.body.contains("尚未会签"));
    // the office has no co-unit capacity; it records the water bureau's paper 会签, naming the unit
    let r = step(&mut office, id, &[("as", "co_unit"), ("do", "sign_off")]).await;
    assert_ne!(r.status.as_u16(), 303);
    ok(&step(&mut office, id, &[("as", "staff"), ("do", "sign_off"), ("person", &co)]).await, "sign off");
    // class B without a plan comes back beside its fields
    let r = step(&mut unit, id, &[("as", "lead_unit"), ("do", "reply"), ("class", "B"), ("text", "已会同县水务局制定改造方案，列入计划。")]).await;
    assert_eq!(r.status.as_u16(), 422);
    let page = r.html();
    assert!(page.text("[data-field=planned]").contains("预计完成日期"));
    assert!(page.text("textarea[name=text]").contains("已会同县水务局"));
    ok(&step(&mut unit, id, &reply("B")).await, "reply");

    // the deputy rates 不满意: back to the lead unit, who hears of it
    let inbox = deputy.get("/inbox").await.html();
    assert!(inbox.text("body").contains("请测评"));
    ok(&step(&mut deputy, id, &[("as", "proposer"), ("do", "rate"), ("satisfaction", "unsatisfied"), ("note", "进度太慢")]).await, "rate");
    let page = office.get(&format!("/suggestions/{id}")).await.html();
    assert_eq!(page.text("#stage"), "办理中");
    assert!(unit.get("/inbox").await.html().text("body").contains("代表不满意"));
    ok(&step(&mut office, id, &[("as", "staff"), ("do", "sign_off"), ("person", &co)]).await, "sign off again");
    ok(&step(&mut unit, id, &reply("A")).await, "second reply");
    ok(&step(&mut deputy, id, &[("as", "proposer"), ("do", "rate"), ("satisfaction", "satisfied")]).await, "rate 2");
    // a co-signer rates too; the office enters the other's paper rating
    let mut li_c = logged_in(&app, "li_ming").await;
    ok(&step(&mut li_c, id, &[("as", "cosigner"), ("do", "rate"), ("satisfaction", "basic")]).await, "cosigner rates");
    let page = office.get(&format!("/suggestions/{id}")).await.html();
    assert_eq!(page.text("#stage"), "已办结");
    assert!(page.text("#ratings").contains("不满意"));
    assert!(page.text("#milestones").contains("完成管网设计"));

    // the public board shows it: number, title, deputies, unit, class, state, rating — no login
    let mut public = app.client();
    let board = public.get("/board/suggestions").await;
    assert_eq!(board.status.as_u16(), 200);
    let b = board.html();
    let row = b.text(&format!("#board tr[data-id=\"{id}\"]"));
    for want in ["第1号", "关于改造老旧小区雨污管网的建议", "拉毛", "等 3 名代表", "恰卜恰镇人民政府", "A类", "已办结", "满意"] {
        assert!(row.contains(want), "{want} in {row}");
    }

    // the office's figures: on time, first-time and final satisfaction (the first reply was 不满意)
    let fig = office.get("/suggestions/figures").await;
    assert_eq!(fig.status.as_u16(), 200, "{}", fig.body);
    let all = fig.html().text("#figures-all");
    for want in ["立案 1 件", "已答复 1 件", "按期答复率 100.0%", "A类 1 件", "首次满意率 0.0%", "最终满意率 100.0%"] {
        assert!(all.contains(want), "{want} in {all}");
    }
    assert!(fig.html().text("#figures-units").contains("恰卜恰镇人民政府"));

    // 议题分析: the suggestion and a citizen's opinion about the same pipes meet under one keyword
    let mut voter = app.client();
    report(&mut voter, &w.station_code, &[("category", "street_lights"), ("description", "小区雨污管网堵塞，污水倒灌进楼道")], None).await;
    let topics = office.get("/suggestions/topics").await;
    assert_eq!(topics.status.as_u16(), 200, "{}", topics.body);
    let page = topics.html();
    assert!(page.text("#topic-sources").contains("代表建议 1 件，群众意见 1 件"), "{}", page.text("#topic-sources"));
    let row = page.texts("#topics tbody tr").into_iter().find(|r| r.contains("管网")).expect("管网 is a topic");
    assert!(row.contains('2'), "{row}");
    let mut far = logged_in(&app, "other_town_clerk").await;
    assert_eq!(far.get("/suggestions/topics?region=632521100").await.status.as_u16(), 404);

    // the office's export has every date and the reply
    let (status, bytes) = office.get_bytes("/suggestions/export.xlsx?meeting=all").await;
    assert_eq!(status.as_u16(), 200);
    let sheet = crate::excel::read(&bytes);
    assert_eq!(sheet[0][11], "会签时间");
    let row = sheet.iter().find(|r| r[3] == "关于改造老旧小区雨污管网的建议").expect("the item's row");
    assert_eq!(row[0], "第1号");
    for col in 8..=14 {
        assert!(!row[col].is_empty(), "date column {} empty: {row:?}", sheet[0][col]);
    }
    assert_eq!((row[16].as_str(), row[18].as_str(), row[19].as_str()), ("A", "满意", "1"));

    // the audit trail has each step
    let mut aud = logged_in(&app, "auditor").await;
    let target = format!("suggestion:{id}");
    for want in ["suggestion.propose", "suggestion.confirm", "suggestion.submit", "suggestion.register", "suggestion.assign", "suggestion.sign_off", "suggestion.reply", "suggestion.rate"] {
        let items = aud.get_json(&format!("/api/v1/audit?action={want}")).await.json()["items"].as_array().unwrap().clone();
        assert!(items.iter().any(|i| i["target"] == target.as_str()), "{want}: {items:?}");
    }
    }
);
