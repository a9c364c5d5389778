//! 审议意见: the journey through the pages on both backends — the county office sends a review
//! opinion to the education bureau, the bureau reports, the office returns the report (退回重报), the
//! bureau reports again, the office examines it and enters a test that does not pass, the bureau hears
//! of it and reports anew, the examination and a passing test close it, and the public board shows it
//! — and a form with mistakes comes back with the messages beside the fields and the text kept;
//! township offices and another unit see nothing of it; the audit log has each step.

use liaison_domain::{RegionCode, Role};
use liaison_store::Actor;
use liaison_store::account::NewAccount;
use liaison_store::registry::unit::UnitInput;
use liaison_testkit::app::{Client, TestApp, TestResponse};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast, grant, password_hash};

use crate::support::*;

fn rc(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

async fn logged_in<'a>(app: &'a TestApp, user: &str) -> Client<'a> {
    let mut c = app.client();
    c.login(user, PASSWORD).await;
    c
}

/// Posts a step from the item's page (which gives the CSRF token).
async fn step(c: &mut Client<'_>, id: i64, fields: &[(&str, &str)]) -> TestResponse {
    c.get(&format!("/reviews/{id}")).await;
    c.post_form(&format!("/reviews/{id}/act"), fields).await
}

fn ok(r: &TestResponse, what: &str) {
    assert_eq!(r.status.as_u16(), 303, "{what}: {}", r.body);
}

fn test(s: &'static str, b: &'static str, u: &'static str) -> [(&'static str, &'static str); 4] {
    [("do", "test"), ("satisfied", s), ("basic", b), ("unsatisfied", u)]
}

both_backends!(
    async fn the_journey_of_a_review_opinion(db) {
    let c = cast(&db).await;
    let app = TestApp::with_db(db);
    let _w = world(&app, &c).await;
    let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
    let (bureau, _) = app
        .db
        .upsert_unit(
            &county,
            &Actor::of(&county, "-"),
            &UnitInput {
                region: rc("632521"),
                name: "县教育局".into(),
                kind: "government_department".into(),
                phone: String::new(),
            },
        )
        .await
        .unwrap();
    let admin = app.db.scope_of(c.id("sysadmin")).await.unwrap();
    let acc = app
        .db
        .create_account(
            &admin,
            &Actor::of(&admin, "-"),
            NewAccount {
                username: "jiaoyu".into(),
                display_name: "县教育局".into(),
                region: rc("632521"),
                roles: vec![Role::HandlingUnit],
                unit_id: Some(bureau),
                station_id: None,
                person_id: None,
                password_hash: password_hash().to_owned(),
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    grant(&app.db, acc).await;

    // mistakes come back beside their fields, everything typed kept
    let mut office = logged_in(&app, "county_clerk").await;
    let form = office.get("/reviews/new").await;
    assert_eq!(form.status.as_u16(), 200, "{}", form.body);
    let bureau_s = bureau.to_string();
    let body = "常委会组成人员认为，县人民政府推进义务教育均衡发展成效明显，但城乡师资配置仍不均衡，建议完善教师交流轮岗机制。";
    let bad = office
        .post_form(
            "/reviews/new",
            &[("title", "短"), ("meeting", "县第十八届人大常委会第十二次会议"), ("met_on", "2099-01-01"), ("body", body), ("unit", &bureau_s), ("due_on", "2000-01-01")],
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422, "{}", bad.body);
    let page = bad.html();
    assert!(page.text("[data-field=title]").contains("请填写审议的报告名称"));
    assert!(page.text("[data-field=met_on]").contains("会议日期不能晚于今天"));
    assert!(page.text("[data-field=due_on]").contains("办理期限须晚于今天"));
    assert_eq!(page.text("textarea[name=body]"), body);
    assert_eq!(page.attrs("input[name=meeting]", "value"), ["县第十八届人大常委会第十二次会议"]);
    assert_eq!(page.attrs("select[name=unit] option[selected]", "value"), [bureau_s.as_str()]);

    let today = liaison_domain::time::today();
    let met_on = today.format("%Y-%m-%d").to_string();
    let due_on = (today + chrono::Days::new(90)).format("%Y-%m-%d").to_string();
    let r = office
        .post_form(
            "/reviews/new",
            &[("title", "关于全县义务教育均衡发展情况的报告"), ("meeting", "县第十八届人大常委会第十二次会议"), ("met_on", &met_on), ("body", body), ("unit", &bureau_s), ("due_on", &due_on)],
        )
        .await;
    ok(&r, "create");
    let id: i64 = r.location().unwrap().trim_start_matches("/reviews/").split('?').next().unwrap().parse().unwrap();
    let page = office.get(&format!("/reviews/{id}")).await.html();
    assert_eq!(page.text("#stage"), "办理中");
    assert!(page.text("#due").contains(&due_on), "{}", page.text("#due"));
    assert_eq!(page.count("#form-examine"), 0, "the office waits for the report");

    // township offices and another unit see nothing of it
    for user in ["town_clerk", "other_town_clerk", "unit"] {
        let mut other = logged_in(&app, user).await;
        assert_eq!(other.get(&format!("/reviews/{id}")).await.status.as_u16(), 404, "{user}");
        let r = other.post_form(&format!("/reviews/{id}/act"), &[("do", "report"), ("note", "x")]).await;
        assert!(matches!(r.status.as_u16(), 403 | 404), "{user}: {}", r.status);
    }

    // the bureau heard of it, finds it on its list and reports; an empty report is refused in words
    let mut unit = logged_in(&app, "jiaoyu").await;
    assert!(unit.get("/inbox").await.html().text("body").contains("新交办的审议意见"));
    let list = unit.get("/reviews").await.html();
    assert!(list.text("#reviews").contains("关于全县义务教育均衡发展情况的报告"));
    let r = step(&mut unit, id, &[("do", "report"), ("note", " ")]).await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.html().text("[data-field=note]").contains("请填写研究处理情况报告"));
    ok(&step(&mut unit, id, &[("do", "report"), ("note", "已研究。")]).await, "report");
    let r = step(&mut unit, id, &[("do", "report"), ("note", "再报一次")]).await;
    assert_eq!(r.status.as_u16(), 409, "a report already with the office");

    // the office returns it (退回重报); the bureau hears of it and reports again
    ok(&step(&mut office, id, &[("do", "return_report"), ("note", "报告未逐条回应审议意见，请补充具体措施")]).await, "return");
    assert!(unit.get("/inbox").await.html().text("body").contains("研究处理情况报告被退回"));
    let report = "一、制定城乡教师交流轮岗实施办法；二、2027年交流教师120名；三、新建乡村教师周转宿舍两处。";
    ok(&step(&mut unit, id, &[("do", "report"), ("note", report)]).await, "report again");
    ok(&step(&mut office, id, &[("do", "examine"), ("note", "报告回应了审议意见，措施基本可行，提请常委会会议测评。")]).await, "examine");

    // a test without ballots, or with a malformed count, comes back beside its fields
    let r = step(&mut office, id, &test("0", "0", "0")).await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.html().text("[data-field=satisfied]").contains("测评票数不能都为 0"));
    let r = step(&mut office, id, &test("3", "x", "12")).await;
    assert_eq!(r.status.as_u16(), 422);
    let page = r.html();
    assert!(page.text("[data-field=basic]").contains("请填写票数"));
    assert_eq!(page.attrs("input[name=unsatisfied]", "value"), ["12"]);

    // the test does not pass (more 不满意): back to the bureau, who hears of it
    ok(&step(&mut office, id, &test("3", "4", "12")).await, "failed test");
    let page = office.get(&format!("/reviews/{id}")).await.html();
    assert_eq!(page.text("#stage"), "办理中");
    assert!(page.text("#test-result").contains("未通过"), "{}", page.text("#test-result"));
    assert_eq!(page.count("#due"), 1, "a new deadline for the new round");
    assert!(!page.text("#due").contains(&due_on), "the re-handling rule's, not the first round's");
    assert!(unit.get("/inbox").await.html().text("body").contains("满意度测评未通过"));
    ok(&step(&mut unit, id, &[("do", "report"), ("note", "按测评意见进一步整改：交流教师增至200名。")]).await, "third report");
    ok(&step(&mut office, id, &[("do", "examine"), ("note", "整改措施具体，同意提请测评。")]).await, "examine again");
    ok(&step(&mut office, id, &test("15", "3", "1")).await, "passing test");
    let page = office.get(&format!("/reviews/{id}")).await.html();
    assert_eq!(page.text("#stage"), "已办结");
    assert!(page.text("#test-result").contains("94.7%"));
    assert_eq!(page.count("#actions"), 0, "nothing left to do");
    assert!(page.text("#history").contains("退回重报"));

    // the public board shows it: the report, meeting, unit, state, examination and test — no login
    let mut public = app.client();
    let board = public.get("/board/reviews").await;
    assert_eq!(board.status.as_u16(), 200);
    let b = board.html();
    let row = b.text(&format!("#board tr[data-id=\"{id}\"]"));
    for want in ["关于全县义务教育均衡发展情况的报告", "县第十八届人大常委会第十二次会议", "县教育局", "已办结", "整改措施具体", "通过"] {
        assert!(row.contains(want), "{want} in {row}");
    }

    // the office's list counts it closed
    let list = office.get("/reviews?stage=closed").await.html();
    assert!(list.text("#count-closed").contains('1'));
    assert!(list.text("#reviews").contains("关于全县义务教育均衡发展情况的报告"));

    // the audit trail has each step
    let mut aud = logged_in(&app, "auditor").await;
    let target = format!("review:{id}");
    for (want, n) in [("review.create", 1), ("review.send", 1), ("review.report", 3), ("review.return_report", 1), ("review.examine", 2), ("review.test", 2)] {
        let items = aud.get_json(&format!("/api/v1/audit?action={want}")).await.json()["items"].as_array().unwrap().clone();
        let mine = items.iter().filter(|i| i["target"] == target.as_str()).count();
        assert_eq!(mine, n, "{want}: {items:?}");
    }
    }
);

both_backends!(
    async fn the_body_hears_of_its_deadline_through_the_sweep(db) {
    let c = cast(&db).await;
    let app = TestApp::with_db(db);
    let w = world(&app, &c).await;
    let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
    let today = liaison_domain::time::today();
    let draft = liaison_domain::review::Draft {
        title: "关于全县农村人居环境整治工作情况的报告".into(),
        meeting: "县第十八届人大常委会第十二次会议".into(),
        met_on: today,
        body: "常委会组成人员认为，农村人居环境整治取得阶段性成效，但垃圾收运体系仍不健全，建议加大投入。".into(),
        unit: w.unit_id,
        due_on: today + chrono::Days::new(30),
    };
    let id = app.db.create_review(&county, &Actor::of(&county, "-"), &draft).await.unwrap();
    let later = chrono::Utc::now() + chrono::Duration::days(40);
    let s = app.db.sweep_deadlines(later).await.unwrap();
    assert!(s.overdue >= 1, "{s:?}");
    assert_eq!(app.db.sweep_deadlines(later).await.unwrap().overdue, 0, "once per stage");
    let mut unit = logged_in(&app, "unit").await;
    let inbox = unit.get("/inbox").await.html();
    assert!(inbox.text("body").contains("审议意见研究处理情况报告已超期"), "{}", inbox.text("body"));
    // the report stops the clock: the office's stages have no deadline
    ok(&step(&mut unit, id, &[("do", "report"), ("note", "已按审议意见完善垃圾收运体系。")]).await, "report");
    let page = unit.get(&format!("/reviews/{id}")).await.html();
    assert_eq!(page.count("#due"), 0);
    }
);
