//! 码上办's other paths through HTTP on both backends: the deputy answering directly, a deputy's own
//! record from a visit, declining with a reason, the unit returning a wrong assignment, escalation to
//! the county (township staff may only assign their own units), a staff phone follow-up, and bulk
//! actions that change exactly the ticked rows, each audited.

use crate::support::*;
use liaison_store::Actor;
use liaison_store::registry::unit::UnitInput;
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

/// The id of the newest item in the caller's first queue.
async fn newest(c: &mut Client<'_>) -> i64 {
    let links = c.get("/opinions").await.html().attrs("#queue a", "href");
    links[0].trim_start_matches("/opinions/").parse().unwrap()
}

async fn stage(c: &mut Client<'_>, id: i64) -> String {
    c.get(&format!("/opinions/{id}")).await.html().text("#stage")
}

both_backends!(
    async fn the_deputy_answers_directly_and_records_a_visit(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let r = report(&mut voter, &w.deputy_code, &[("category", "other"), ("description", "想了解今年的医保缴费标准")], None).await;
        let receipt = r.html().text("#receipt");
        let mut deputy = app.client();
        deputy.login("deputy", PASSWORD).await;
        let id = newest(&mut deputy).await;
        // an answer needs words
        let r = act(&mut deputy, id, &[("as", "deputy"), ("action", "deputy_answer"), ("note", "  ")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("请填写代表直接答复的内容"), "{}", r.body);
        let r = act(&mut deputy, id, &[("as", "deputy"), ("action", "deputy_answer"), ("note", "今年城乡居民医保个人缴费380元，可在村委会代缴")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(stage(&mut deputy, id).await, "待评价");
        // the voter reads the answer and rates it; settled without a unit
        let t = voter.get(&format!("/t?r={receipt}")).await.html();
        assert!(t.text("#track-answer").contains("380元"));
        let t = voter.post_form("/t/rate", &[("r", &receipt), ("rating", "basic")]).await;
        assert_eq!(t.html().text("#track-stage"), "已办结");
        // the deputy records what a villager said on a visit: it is marked as such and lands with them
        let form = deputy.get("/opinions/new").await.html();
        assert_eq!(form.attrs("select[name=channel] option, input[name=channel]", "value"), ["deputy_visit"]);
        let nonce = form.attrs("input[name=nonce]", "value")[0].clone();
        let f = [("nonce", nonce.as_str()), ("channel", "deputy_visit"), ("category", "roads"), ("description", "走访中群众反映：村道需要硬化")];
        let r = deputy.post_multipart("/opinions/new", &f, &[]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let item = deputy.get(r.location().unwrap()).await.html();
        assert!(item.text("main").contains("代表收集"), "{}", item.text("main"));
        assert_eq!(item.text("#stage"), "新收到");
        // a deputy cannot record walk-ins for a station
        let f = [("nonce", "n-2"), ("channel", "walk_in"), ("category", "roads"), ("description", "群众来访：村道坑洼")];
        assert_eq!(deputy.post_multipart("/opinions/new", &f, &[]).await.status.as_u16(), 422);
    }
);

both_backends!(
    async fn decline_return_and_phone_follow_up(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let r = report(&mut voter, &w.station_code, &[("category", "other"), ("description", "邻居家吵架请代表管管")], None).await;
        let declined_receipt = r.html().text("#receipt");
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let id = newest(&mut clerk).await;
        // declining needs a reason from the list
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "decline"), ("reason", "made_up")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("请选择不予受理的理由"));
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "decline"), ("reason", "out_of_scope"), ("note", "建议找村调解委员会")]).await;
        assert_eq!(r.status.as_u16(), 303);
        let t = voter.get(&format!("/t?r={declined_receipt}")).await.html();
        assert_eq!(t.text("#track-stage"), "未予受理");
        assert_eq!(t.text("#track-answer"), "不属于代表联络工作范围。建议找村调解委员会");
        // declined is final
        assert_eq!(act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await.status.as_u16(), 409);

        // a wrongly assigned item goes back to the clerk with the reason, and the return is counted
        report(&mut voter, &w.station_code, &[("category", "street_lights"), ("description", "学校门口路灯不亮")], None).await;
        let id = newest(&mut clerk).await;
        let unit = w.unit_id.to_string();
        act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await;
        act(&mut clerk, id, &[("as", "staff"), ("action", "assign"), ("unit", &unit)]).await;
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        let r = act(&mut u, id, &[("as", "unit"), ("action", "return"), ("note", "")]).await;
        assert_eq!(r.status.as_u16(), 422, "a return needs a reason");
        let r = act(&mut u, id, &[("as", "unit"), ("action", "return"), ("note", "学校路灯归教育局管理")]).await;
        assert_eq!(r.status.as_u16(), 303);
        assert_eq!(stage(&mut clerk, id).await, "已受理，待交办");
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert!(page.text("#history").contains("学校路灯归教育局管理"));
        assert_eq!(u.get(&format!("/opinions/{id}")).await.status.as_u16(), 404, "the unit no longer holds it");
        // reassigned and replied; the station passes it on and records a phone follow-up
        act(&mut clerk, id, &[("as", "staff"), ("action", "assign"), ("unit", &unit), ("note", "请协调处理")]).await;
        act(&mut u, id, &[("as", "unit"), ("action", "reply"), ("note", "已协调教育局修复")]).await;
        assert_eq!(act(&mut clerk, id, &[("as", "staff"), ("action", "feedback")]).await.status.as_u16(), 303);
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "rate"), ("rating", "unsatisfied"), ("note", "电话回访：仍不亮")]).await;
        assert_eq!(r.status.as_u16(), 303);
        assert_eq!(stage(&mut clerk, id).await, "承办中", "不满意 reopens to the unit");
        act(&mut u, id, &[("as", "unit"), ("action", "reply"), ("note", "已更换灯泡")]).await;
        act(&mut clerk, id, &[("as", "staff"), ("action", "feedback")]).await;
        act(&mut clerk, id, &[("as", "staff"), ("action", "rate"), ("rating", "satisfied"), ("note", "电话回访：满意")]).await;
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert_eq!(page.text("#stage"), "已办结");
        assert!(page.text("main").contains("不满意重办 1 次"));
    }
);

both_backends!(
    async fn county_matters_go_up_and_township_staff_assign_only_their_units(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let unit = UnitInput {
            region: rc("632521"),
            name: "共和县交通运输局".into(),
            kind: "county_department".into(),
            phone: String::new(),
        };
        let (county_unit, _) = app.db.upsert_unit(&county, &Actor::of(&county, "-"), &unit).await.unwrap();
        let mut voter = app.client();
        report(&mut voter, &w.station_code, &[("category", "roads"), ("description", "县道S101段路面塌陷")], None).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let id = newest(&mut clerk).await;
        act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await;
        // the county's unit is not the township's to assign
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert!(!page.attrs("#act-assign select[name=unit] option", "value").contains(&county_unit.to_string()));
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "assign"), ("unit", &county_unit.to_string())]).await;
        assert_eq!(r.status.as_u16(), 409);
        assert!(r.body.contains("上报县级"), "{}", r.body);
        // so it is escalated; from then on the township only watches
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "escalate"), ("note", "县道归县交通局")]).await;
        assert_eq!(r.status.as_u16(), 303);
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert!(page.text("main").contains("已上报县级"));
        assert_eq!(page.count("#actions form"), 0, "nothing left for the township to do");
        let r = clerk.post_form(&format!("/opinions/{id}/act"), &[("as", "staff"), ("action", "assign"), ("unit", &w.unit_id.to_string())]).await;
        assert_eq!(r.status.as_u16(), 409);
        assert!(r.body.contains("由县人大常委会办理"));
        // the county committee's staff assign it to the county department
        let mut xl = app.client();
        xl.login("county_clerk", PASSWORD).await;
        let r = act(&mut xl, id, &[("as", "staff"), ("action", "assign"), ("unit", &county_unit.to_string()), ("note", "请县交通局办理")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(stage(&mut xl, id).await, "承办中");
    }
);

both_backends!(
    async fn bulk_actions_change_exactly_the_ticked_rows(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        for i in 0..5 {
            report(&mut voter, &w.station_code, &[("category", "roads"), ("description", &format!("第{i}段村道破损，电话13800001111"))], None).await;
        }
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        // bulk accept three of five
        let page = clerk.get("/opinions/bulk?action=accept").await.html();
        let ids = page.attrs("input[name=ids]", "value");
        assert_eq!(ids.len(), 5);
        let ticked = &ids[..3];
        let mut form: Vec<(&str, &str)> = vec![("action", "accept"), ("note", "批量受理")];
        form.extend(ticked.iter().map(|i| ("ids", i.as_str())));
        let r = clerk.post_form("/opinions/bulk", &form).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert!(r.html().text("#outcomes h2").contains("成功 3 项，未处理 0 项"));
        for i in &ids {
            let expected = if ticked.contains(i) { "已受理，待交办" } else { "新收到" };
            assert_eq!(stage(&mut clerk, i.parse().unwrap()).await, expected, "row {i}");
        }
        // bulk answer two with one text; a stale or foreign id is reported, not acted on
        let mut form: Vec<(&str, &str)> = vec![("action", "answer_on_spot"), ("note", "村道硬化已列入明年计划")];
        form.extend(ticked[..2].iter().map(|i| ("ids", i.as_str())));
        form.push(("ids", "999999"));
        let r = clerk.post_form("/opinions/bulk", &form).await;
        let outcome = r.html().text("#outcomes");
        assert!(outcome.contains("成功 2 项，未处理 1 项"), "{outcome}");
        assert!(outcome.contains("未找到"), "{outcome}");
        // answered items wait for the rating; the voter's staff follow-up closes them
        for i in &ticked[..2] {
            let id: i64 = i.parse().unwrap();
            assert_eq!(stage(&mut clerk, id).await, "待评价");
            act(&mut clerk, id, &[("as", "staff"), ("action", "rate"), ("rating", "satisfied")]).await;
        }
        // bulk publish: each row's text reviewed on the page, only the ticked one published
        let page = clerk.get("/opinions/bulk?action=publish").await.html();
        let ids = page.attrs("input[name=ids]", "value");
        assert_eq!(ids.len(), 2);
        let field = format!("text_{}", ids[0]);
        let text = page.text(&format!("textarea[name={field}]"));
        assert!(text.contains("138******11") && !text.contains("13800001111"), "numbers masked: {text}");
        let reviewed = format!("{text}（已审核）");
        let r = clerk.post_form("/opinions/bulk", &[("action", "publish"), ("ids", &ids[0]), (&field, &reviewed), (&format!("text_{}", ids[1]), "不应公示")]).await;
        assert!(r.html().text("#outcomes h2").contains("成功 1 项"));
        let list = app.client().get("/published?region=632521").await;
        assert_eq!(list.html().count(".published-item"), 1);
        assert!(list.body.contains("（已审核）") && !list.body.contains("不应公示"));
        // every change is in the audit trail, one row per item
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        for (action, count) in [("opinion.accept", 3), ("opinion.answer_on_spot", 2), ("opinion.publish", 1)] {
            let j = aud.get_json(&format!("/api/v1/audit?action={action}")).await.json();
            assert_eq!(j["items"].as_array().unwrap().len(), count, "{action}");
        }
        // nobody outside opinion staff gets the bulk page
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        assert_eq!(u.get("/opinions/bulk").await.status.as_u16(), 403);
        // an empty selection is a clear error
        let r = clerk.post_form("/opinions/bulk", &[("action", "accept")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("请至少勾选一项"));
    }
);
