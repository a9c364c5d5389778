//! A township clerk's day on both backends: the queue shows what is due and overdue; a 督办单 goes to
//! the unit of an overdue item, is printed and signed for; ten items are answered in bulk with a
//! template (placeholders filled per item); two duplicates are merged and the merged one's citizen
//! follows the survivor; the deadline sweep is idempotent; the queue exports to .xlsx with all dates.

use crate::support::*;
use liaison_domain::calendar::Span;
use liaison_store::Actor;
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};
use liaison_testkit::sms_stub::SmsStub;
use liaison_web::WebConfig;
use liaison_web::notification::sms::{SmsSender, send_due_sms};

async fn ids_in(c: &mut Client<'_>, path: &str) -> Vec<i64> {
    c.get(path)
        .await
        .html()
        .attrs("#queue a", "href")
        .iter()
        .map(|h| h.trim_start_matches("/opinions/").parse().unwrap())
        .collect()
}

both_backends!(
    async fn a_township_clerks_day(db) {
        let c = cast(&db).await;
        let stub = SmsStub::start(0).await;
        let cfg = WebConfig {
            sms_url: Some(stub.url.clone()),
            ..WebConfig::default()
        };
        let sender = SmsSender::from_config(&cfg).unwrap();
        let app = TestApp::with_config(db, cfg);
        let w = world(&app, &c).await;
        // units must reply at once in this test, so an assigned item is overdue straight away
        let admin = app.db.scope_of(c.id("sysadmin")).await.unwrap();
        app.db
            .set_deadline_rule(&admin, &Actor::of(&admin, "-"), liaison_domain::subject::SubjectKind::Opinion, "assigned", Span::Hours(0))
            .await
            .unwrap();
        let mut voter = app.client();
        let first = report(&mut voter, &w.station_code, &[("category", "street_lights"), ("description", "幸福村村口路灯坏了，晚上很黑"), ("phone", "13900000001")], None).await.html().text("#receipt");
        let second = report(&mut voter, &w.station_code, &[("category", "street_lights"), ("description", "村口的路灯坏了好几天了，晚上出行不安全"), ("phone", "13900000002")], None).await.html().text("#receipt");
        for i in 0..10 {
            report(&mut voter, &w.station_code, &[("category", "roads"), ("description", &format!("第{i}组路段坑洼，雨天积水"))], None).await;
        }
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        // the morning queue: twelve new items, each with its first-response deadline
        let q = clerk.get("/opinions?stage=open&sort=due").await.html();
        assert_eq!(q.count("#queue a"), 12);
        assert_eq!(q.count("#queue .due"), 12, "every open item shows its deadline");
        assert!(q.text("#counts").contains("未办结 12"), "{}", q.text("#counts"));
        // the first street light is accepted and assigned; the unit's deadline has passed at once
        let all = ids_in(&mut clerk, "/opinions?category=street_lights").await;
        assert_eq!(all.len(), 2);
        let (survivor, duplicate) = (all[1], all[0]);
        let unit = w.unit_id.to_string();
        act(&mut clerk, survivor, &[("as", "staff"), ("action", "accept")]).await;
        act(&mut clerk, survivor, &[("as", "staff"), ("action", "assign"), ("unit", &unit)]).await;
        // the list shows it overdue at once; the overdue count and summary (the counters) once the
        // deadline sweep has marked it (every minute in `liaison serve`)
        let q = clerk.get("/opinions?due=overdue&sort=due").await.html();
        assert_eq!(ids_in(&mut clerk, "/opinions?due=overdue&sort=due").await, [survivor]);
        assert!(q.text("#queue .due").contains("已超期"));
        assert!(q.text("#count-overdue").contains('0'), "{}", q.text("#count-overdue"));
        // the sweep alerts it once, however often it runs
        let now = chrono::Utc::now();
        let s = app.db.sweep_deadlines(now).await.unwrap();
        assert_eq!(s.overdue, 1, "{s:?}");
        assert_eq!(app.db.sweep_deadlines(now).await.unwrap().overdue, 0, "idempotent");
        let q = clerk.get("/opinions?due=overdue&sort=due").await.html();
        assert!(q.text("#count-overdue").contains('1'), "{}", q.text("#count-overdue"));
        assert!(q.text("#overdue-summary").contains("恰卜恰镇人民政府"), "overdue per unit");
        // a 督办单 to the unit: numbered, printed, signed for by the unit
        let r = clerk.post_form(&format!("/opinions/{survivor}/supervise"), &[("demand", "请于两个工作日内修复并答复"), ("reply_by", "2026-12-31")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let print = r.location().unwrap().to_owned();
        let sheet = clerk.get(&print).await.html();
        assert!(sheet.text("#notice-number").starts_with("督〔"), "{}", sheet.text("#notice-number"));
        assert_eq!(sheet.text("#notice-unit"), "恰卜恰镇人民政府");
        assert_eq!(sheet.text("#notice-ack"), "尚未签收");
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        let item = u.get(&format!("/opinions/{survivor}")).await.html();
        let ack = item.attrs("#supervision + section form[action$='/ack']", "action");
        assert_eq!(ack.len(), 1, "the unit can sign for it");
        assert_eq!(u.post_form(&ack[0], &[("note", "已安排人员")]).await.status.as_u16(), 303);
        assert!(u.get(&print).await.html().text("#notice-ack").contains("签收"));
        let inbox = u.get("/inbox").await.html().text("#inbox");
        assert!(inbox.contains("督办") && inbox.contains("超期"), "the unit was told of the notice and the overdue item: {inbox}");
        assert_eq!(u.post_form(&ack[0], &[]).await.status.as_u16(), 409, "signed once");
        // 重点督办 with the leader
        clerk.post_form(&format!("/opinions/{survivor}/key"), &[("on", "1"), ("supervisor", "张主任")]).await;
        assert!(clerk.get("/opinions?key=1").await.html().text("#queue").contains("重点督办"));
        // the duplicate: the item page offers the similar one; merged, its citizen follows the survivor
        let page = clerk.get(&format!("/opinions/{duplicate}")).await.html();
        assert_eq!(page.attrs("#similar ~ section input[name=into]", "value"), [survivor.to_string()]);
        let r = act(&mut clerk, duplicate, &[("as", "staff"), ("action", "merge"), ("into", &survivor.to_string()), ("note", "同一路灯")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(clerk.get(&format!("/opinions/{duplicate}")).await.html().text("#stage"), "已合并");
        assert!(clerk.get(&format!("/opinions/{survivor}")).await.html().text("#merged").contains(&second));
        act(&mut u, survivor, &[("as", "unit"), ("action", "reply"), ("note", "已更换灯具")]).await;
        let t = voter.get(&format!("/t?r={second}&d=0002")).await.html();
        assert!(!t.text("#tracked").contains("已更换灯具"), "the survivor's answer went to another citizen");
        assert!(t.text("#track-answer").contains("合并办理"), "the merged item's citizen sees the progress and a plain line");
        assert_eq!(t.count("form[action='/t/rate']"), 0, "and does not rate a merged item");
        let t = voter.get(&format!("/t?r={first}&d=0001")).await.html();
        assert_eq!(t.text("#track-answer"), "已更换灯具");
        // internal notes: the people handling it see them, the citizen never does
        let r = clerk.post_form(&format!("/opinions/{survivor}/note"), &[("body", "内部：灯杆属供电所资产，已电话沟通")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert!(u.get(&format!("/opinions/{survivor}")).await.html().text("#notes + section").contains("供电所资产"));
        let t = voter.get(&format!("/t?r={first}&d=0001")).await;
        assert_eq!(t.status.as_u16(), 200, "{}", t.body);
        assert_eq!(t.html().text("#track-answer"), "已更换灯具", "the citizen's tracking page");
        assert!(!t.body.contains("供电所"), "the internal note is not on it");
        let mut other = app.client();
        other.login("other_town_clerk", PASSWORD).await;
        assert_eq!(other.post_form(&format!("/opinions/{survivor}/note"), &[("body", "越权")]).await.status.as_u16(), 404);
        assert_eq!(clerk.post_form(&format!("/opinions/{survivor}/note"), &[("body", "  ")]).await.status.as_u16(), 422);
        // ten road items answered in bulk with a template; each answer names its own receipt
        let bulk = clerk.get("/opinions/bulk?action=answer_on_spot").await.html();
        let tpl = bulk.attrs("#bulk-templates a", "href")[0].clone();
        let bulk = clerk.get(&tpl).await.html();
        let note = bulk.text("textarea[name=note]");
        assert!(note.contains("{回执码}"), "the template keeps its placeholders until sent: {note}");
        let roads: Vec<String> = bulk.attrs("input[name=ids]", "value");
        assert_eq!(roads.len(), 10, "the two street lights are no longer new");
        let mut form: Vec<(&str, &str)> = vec![("action", "answer_on_spot"), ("note", &note)];
        form.extend(roads.iter().map(|i| ("ids", i.as_str())));
        let r = clerk.post_form("/opinions/bulk", &form).await;
        assert!(r.html().text("#outcomes h2").contains("成功 10 项，未处理 0 项"), "{}", r.html().text("#outcomes"));
        for id in &roads {
            let page = clerk.get(&format!("/opinions/{id}")).await.html();
            let receipt = page.text("main p.muted").split_whitespace().nth(1).unwrap().to_owned();
            let answer = page.text("#answer");
            assert!(answer.contains(&receipt) && !answer.contains('{'), "{answer}");
        }
        // the stub gateway got exactly what the citizens should hear: the first street light's
        // accepted, assigned and replied; the merged one's merge and, with its own receipt, the
        // survivor's reply (the road items left no phone)
        while send_due_sms(&app.db, &sender).await.unwrap() > 0 {}
        let got: Vec<(String, String)> = stub.received().into_iter().map(|m| (m.to, m.text)).collect();
        assert_eq!(got.len(), 5, "{got:?}");
        let (to_first, to_second): (Vec<_>, Vec<_>) = got.iter().partition(|(to, _)| to == "13900000001");
        assert_eq!(to_first.len(), 3, "{got:?}");
        assert!(to_first.iter().all(|(_, text)| text.contains(&first)), "{got:?}");
        assert_eq!(to_second.len(), 2, "{got:?}");
        assert!(to_second.iter().all(|(to, text)| to == "13900000002" && text.contains(&second)), "{got:?}");
        assert!(to_second[0].1.contains("合并办理") && to_second[1].1.contains("已有答复"), "{got:?}");
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 0, "never twice");
        // the view exports with its filters and every date
        let (status, bytes) = clerk.get_bytes("/opinions/export.xlsx?category=street_lights").await;
        assert_eq!(status.as_u16(), 200);
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        use calamine::Reader;
        let sheet = book.worksheet_range("群众意见").unwrap();
        let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        assert_eq!(rows.len(), 3, "header + the two street lights");
        let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
        let survivor_row = rows.iter().find(|r| r[col("状态")] == "已答复，待反馈").unwrap();
        for c in ["提交时间", "受理时间", "交办时间", "答复时间", "办理期限"] {
            assert!(!survivor_row[col(c)].is_empty(), "{c}");
        }
        assert!(!rows.iter().flatten().any(|c| c.contains("13900000001")), "no phones in the export");
    }
);
