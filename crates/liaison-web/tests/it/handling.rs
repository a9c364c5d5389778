//! Staff's daily work on items: ordinary mistakes bring the form back with the message beside the
//! field and everything typed kept (422, not a dead end); accepting and routing in one step, with the
//! routing table's unit pre-selected or, for a county unit, the escalation offered.

use crate::support::*;
use liaison_store::Actor;
use liaison_store::registry::unit::UnitInput;
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

async fn newest(c: &mut Client<'_>) -> i64 {
    let links = c.get("/opinions").await.html().attrs("#queue a", "href");
    links[0].trim_start_matches("/opinions/").parse().unwrap()
}

both_backends!(
    async fn mistakes_come_back_beside_their_field_with_what_was_typed(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        report(&mut voter, &w.deputy_code, &[("category", "street_lights"), ("description", "村口路灯坏了")], None).await;
        let mut deputy = app.client();
        deputy.login("deputy", PASSWORD).await;
        let id = newest(&mut deputy).await;
        // an empty hand-over note: the form again, the message beside the field
        let r = act(&mut deputy, id, &[("as", "deputy"), ("action", "hand_over"), ("note", " ")]).await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        let page = r.html();
        assert_eq!(page.text("#act-hand_over .field-error[data-field=note]"), "请说明转交的情况");
        assert_eq!(page.text("#stage"), "新收到", "the item page, not an error page");
        act(&mut deputy, id, &[("as", "deputy"), ("action", "hand_over"), ("note", "请镇上登记")]).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        // declining without a reason keeps the explanation typed
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "decline"), ("reason", ""), ("note", "已由村委会处理")]).await;
        assert_eq!(r.status.as_u16(), 422);
        let page = r.html();
        assert_eq!(page.text("#act-decline .field-error[data-field=reason]"), "请选择不予受理的理由");
        assert_eq!(page.attr("#act-decline input[name=note]", "value").as_deref(), Some("已由村委会处理"));
        act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await;
        // assigning with no unit keeps the words and the co-units
        let unit = w.unit_id.to_string();
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "assign"), ("unit", ""), ("co_units", &unit), ("note", "请尽快修复")]).await;
        assert_eq!(r.status.as_u16(), 422);
        let page = r.html();
        assert_eq!(page.text("#act-assign .field-error[data-field=unit]"), "请选择主办单位");
        assert_eq!(page.text("#act-assign textarea[name=note]"), "请尽快修复");
        assert_eq!(page.attrs("#act-assign select[name=co_units] option[selected]", "value"), std::slice::from_ref(&unit));
        assert_eq!(act(&mut clerk, id, &[("as", "staff"), ("action", "assign"), ("unit", &unit)]).await.status.as_u16(), 303);
        // a reply without words
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        let r = act(&mut u, id, &[("as", "unit"), ("action", "reply"), ("note", "")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.html().text("#act-reply .field-error[data-field=note]"), "请填写答复意见");
        // an empty internal note
        let r = u.post_form(&format!("/opinions/{id}/note"), &[("body", " ")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().text("#note-form .field-error").contains("请填写备注"));
        // a real conflict stays one: the item is not the clerk's to reply to
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "reply"), ("note", "x")]).await;
        assert_eq!(r.status.as_u16(), 409);
    }
);

both_backends!(
    async fn bulk_mistakes_keep_the_ticks_and_the_words(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        for i in 0..3 {
            report(&mut voter, &w.station_code, &[("category", "roads"), ("description", &format!("第{i}段村道破损"))], None).await;
        }
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let page = clerk.get("/opinions/bulk?action=answer_on_spot").await.html();
        let ids = page.attrs("input[name=ids]", "value");
        assert_eq!(ids.len(), 3);
        // nothing ticked: the answer typed is kept
        let r = clerk.post_form("/opinions/bulk", &[("action", "answer_on_spot"), ("note", "已列入明年计划")]).await;
        assert_eq!(r.status.as_u16(), 422);
        let page = r.html();
        assert_eq!(page.text("#bulk-form .field-error[data-field=ids]"), "请至少勾选一项");
        assert_eq!(page.text("#bulk-form textarea[name=note]"), "已列入明年计划");
        // ticked but no answer: the ticks are kept
        let r = clerk.post_form("/opinions/bulk", &[("action", "answer_on_spot"), ("ids", &ids[1]), ("note", "")]).await;
        assert_eq!(r.status.as_u16(), 422);
        let page = r.html();
        assert_eq!(page.text("#bulk-form .field-error[data-field=note]"), "请填写答复群众的内容");
        assert_eq!(page.attrs("input[name=ids][checked]", "value"), [ids[1].clone()]);
    }
);

both_backends!(
    async fn accept_and_route_in_one_step(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = Actor::of(&county, "-");
        let unit = UnitInput { region: rc("632521"), name: "共和县交通运输局".into(), kind: "county_department".into(), phone: String::new() };
        let (county_unit, _) = app.db.upsert_unit(&county, &a, &unit).await.unwrap();
        app.db.set_route(&county, &a, &rc("632521"), "roads", Some(county_unit)).await.unwrap();
        let mut voter = app.client();
        report(&mut voter, &w.station_code, &[("category", "street_lights"), ("description", "学校门口路灯不亮")], None).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let id = newest(&mut clerk).await;
        // the routing table's township unit is pre-selected beside 登记受理
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert_eq!(page.attrs("#accept-assign select[name=unit] option[selected]", "value"), [w.unit_id.to_string()]);
        assert_eq!(page.count("#accept-escalate"), 0);
        // the first button (and Enter in the note) only registers
        assert_eq!(page.attrs("#act-accept button[type=submit]", "value")[0], "");
        // choosing no unit is a mistake to correct, and nothing happened
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "accept"), ("then", "assign"), ("unit", ""), ("note", "请修复")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.html().text("#act-accept .field-error[data-field=unit]"), "请选择主办单位");
        assert_eq!(r.html().text("#stage"), "新收到");
        let unit = w.unit_id.to_string();
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "accept"), ("then", "assign"), ("unit", &unit), ("note", "请修复")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert_eq!(page.text("#stage"), "承办中");
        let history = page.texts("#history li strong");
        assert_eq!(history[history.len() - 2..], ["登记受理".to_owned(), "交办".to_owned()]);
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        for action in ["opinion.accept", "opinion.assign"] {
            let j = aud.get_json(&format!("/api/v1/audit?action={action}")).await.json();
            assert_eq!(j["items"].as_array().unwrap().len(), 1, "{action}");
        }
        // a road is the county's: the township is offered the escalation instead
        report(&mut voter, &w.station_code, &[("category", "roads"), ("description", "县道路面塌陷")], None).await;
        let id = newest(&mut clerk).await;
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert!(page.text("#accept-escalate").contains("共和县交通运输局"), "{}", page.text("#actions"));
        assert!(page.attrs("#accept-assign select[name=unit] option[selected]", "value").is_empty());
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "accept"), ("then", "escalate"), ("note", "县道归县交通局")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert!(page.text("main").contains("已上报县级"));
        assert_eq!(page.text("#stage"), "已受理，待交办");
        // the county's committee finds its unit pre-selected
        let mut xl = app.client();
        xl.login("county_clerk", PASSWORD).await;
        let page = xl.get(&format!("/opinions/{id}")).await.html();
        assert_eq!(page.attrs("#act-assign select[name=unit] option[selected]", "value"), [county_unit.to_string()]);
    }
);

both_backends!(
    async fn the_township_takes_over_what_the_deputy_left_past_the_deadline(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        // within the deputy's 24 hours, the item is the deputy's
        report(&mut voter, &w.deputy_code, &[("category", "street_lights"), ("description", "桥头路灯不亮")], None).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let fresh = newest(&mut clerk).await;
        let page = clerk.get(&format!("/opinions/{fresh}")).await.html();
        assert_eq!(page.count("#act-take_over"), 0);
        let r = act(&mut clerk, fresh, &[("as", "staff"), ("action", "take_over")]).await;
        assert_eq!(r.status.as_u16(), 409);
        assert!(r.body.contains("代表首次响应期限未到"), "{}", r.body);
        // a deputy with no time at all to respond: the item is left past the deadline at once
        let admin = app.db.scope_of(c.id("sysadmin")).await.unwrap();
        app.db
            .set_deadline_rule(&admin, &Actor::of(&admin, "-"), liaison_domain::subject::SubjectKind::Opinion, "submitted", liaison_domain::calendar::Span::Hours(0))
            .await
            .unwrap();
        report(&mut voter, &w.deputy_code, &[("category", "street_lights"), ("description", "学校门口路灯不亮")], None).await;
        let id = newest(&mut clerk).await;
        assert_ne!(id, fresh);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert_eq!(page.count("#act-take_over"), 1, "{}", page.text("main"));
        assert_eq!(page.count("#act-accept"), 0, "registration only after taking it over");
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "take_over"), ("note", "代表未响应，乡镇接办")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let page = clerk.get(&format!("/opinions/{id}")).await.html();
        assert_eq!(page.text("#stage"), "待登记");
        assert!(page.text("#history").contains("乡镇接办"));
        assert_eq!(page.count("#act-accept"), 1);
        // the deputy no longer answers it
        let mut deputy = app.client();
        deputy.login("deputy", PASSWORD).await;
        let r = act(&mut deputy, id, &[("as", "deputy"), ("action", "deputy_answer"), ("note", "已处理")]).await;
        assert_eq!(r.status.as_u16(), 409);
    }
);

both_backends!(
    async fn the_unit_reads_why_the_citizen_was_unsatisfied_and_its_sign_for_is_in_the_history(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let r = report(&mut voter, &w.station_code, &[("category", "street_lights"), ("description", "桥头路灯不亮")], None).await;
        let receipt = r.html().text("#receipt");
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let id = newest(&mut clerk).await;
        let unit = w.unit_id.to_string();
        act(&mut clerk, id, &[("as", "staff"), ("action", "accept"), ("then", "assign"), ("unit", &unit)]).await;
        // a 督办单 without a demand, 重点督办 without a leader, a malformed date: the form comes back
        let r = clerk.post_form(&format!("/opinions/{id}/supervise"), &[("demand", " "), ("reply_by", "2026-12-01")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().text("#act-supervise .field-error[data-field=demand]").contains("请填写督办要求"));
        assert_eq!(r.html().attr("#act-supervise input[name=reply_by]", "value").as_deref(), Some("2026-12-01"));
        let r = clerk.post_form(&format!("/opinions/{id}/supervise"), &[("demand", "请抓紧"), ("reply_by", "12月1日")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.html().text("#act-supervise textarea[name=demand]"), "请抓紧");
        assert!(r.html().count("#act-supervise .field-error[data-field=reply_by]") == 1);
        let r = clerk.post_form(&format!("/opinions/{id}/key"), &[("on", "1"), ("supervisor", "")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().text("#act-key .field-error[data-field=supervisor]").contains("请填写督办领导"));
        // a 督办单, signed for by the unit: both in the item's history
        let r = clerk.post_form(&format!("/opinions/{id}/supervise"), &[("demand", "请抓紧办理")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        let ack = u.get(&format!("/opinions/{id}")).await.html().attrs("form[action$='/ack']", "action");
        assert_eq!(u.post_form(&ack[0], &[("note", "已安排人员")]).await.status.as_u16(), 303);
        let history = clerk.get(&format!("/opinions/{id}")).await.html().texts("#history li");
        let issued = history.iter().position(|l| l.contains("发出督办单")).expect("issued");
        let signed = history.iter().position(|l| l.contains("签收督办单")).expect("signed for");
        assert!(issued < signed && history[signed].contains("已安排人员"), "{history:?}");
        // no complaint yet above the reply box
        assert_eq!(u.get(&format!("/opinions/{id}")).await.html().count("#complaint"), 0);
        act(&mut u, id, &[("as", "unit"), ("action", "reply"), ("note", "已更换灯泡")]).await;
        voter.post_form("/t/rate", &[("r", &receipt), ("rating", "unsatisfied"), ("note", "换了还是不亮")]).await;
        let page = u.get(&format!("/opinions/{id}")).await.html();
        assert_eq!(page.text("#stage"), "承办中");
        let complaint = page.text("#act-reply #complaint");
        assert!(complaint.contains("换了还是不亮"), "{complaint}");
    }
);
