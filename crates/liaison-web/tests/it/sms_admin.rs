//! The system administrator's list of SMS on both backends: a message the gateway keeps refusing is
//! listed (waiting, then failed) with its number masked; 重新发送 queues it again (audited) and the
//! sender then delivers it exactly once; other roles are refused, another county's administrator
//! sees nothing of it.

use crate::support::*;
use chrono::{Duration, Utc};
use liaison_domain::notification::MAX_ATTEMPTS;
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};
use liaison_testkit::html::Doc;
use liaison_testkit::sms_stub::SmsStub;
use liaison_web::WebConfig;
use liaison_web::notification::sms::{SmsSender, send_due_sms};

/// The page, checked for a full phone number.
async fn sms_page(c: &mut Client<'_>, path: &str) -> Doc {
    let r = c.get(path).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    assert!(!r.body.contains(CITIZEN_PHONE), "a full phone number on {path}");
    r.html()
}

both_backends!(
    async fn a_failed_sms_is_listed_and_sent_again_once(db) {
        let c = cast(&db).await;
        let stub = SmsStub::start(MAX_ATTEMPTS as usize).await;
        let cfg = WebConfig {
            sms_url: Some(stub.url.clone()),
            public_url: Some("https://rd.example.gov.cn".into()),
            ..WebConfig::default()
        };
        let sender = SmsSender::from_config(&cfg).unwrap();
        let app = TestApp::with_config(db, cfg);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let fields = [("category", "roads"), ("description", "村道坑洼，雨天积水"), ("phone", CITIZEN_PHONE)];
        let receipt = report(&mut voter, &w.station_code, &fields, None).await.html().text("#receipt");
        let item = app.db.track(&receipt.replace('-', ""), "5678").await.unwrap().unwrap().id;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        act(&mut clerk, item, &[("as", "staff"), ("action", "accept")]).await;
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        let doc = sms_page(&mut admin, "/admin/sms").await;
        assert_eq!(doc.count("#sms tbody tr[id]"), 0, "not tried yet: not undelivered");
        assert_eq!(doc.text("#tab-queued strong"), "1");
        // refused once: waiting for the next attempt, listed
        let now = Utc::now();
        assert_eq!(sender.send_due(&app.db, now).await.unwrap(), 0);
        let doc = sms_page(&mut admin, "/admin/sms").await;
        let ids = doc.attrs("#sms tbody tr[id]", "id");
        assert_eq!(ids.len(), 1);
        let row = format!("#{}", ids[0]);
        assert_eq!(doc.text(&format!("{row} .status")), "等待重试");
        assert_eq!(doc.text(&format!("{row} .phone")), "139****5678");
        assert_eq!(doc.attrs(&format!("{row} a"), "href"), [format!("/opinions/{item}")]);
        assert_eq!(doc.text(&format!("{row} a")), receipt);
        assert!(doc.text(&format!("{row} .error")).contains("HTTP 500"));
        assert_eq!((doc.text("#tab-undelivered strong"), doc.text("#tab-waiting strong")), ("1".into(), "1".into()));
        // refused every time: given up after the last attempt, listed as failed
        for k in 1..MAX_ATTEMPTS {
            assert_eq!(sender.send_due(&app.db, now + Duration::hours(2 * i64::from(k))).await.unwrap(), 0);
        }
        assert_eq!(stub.received().len(), MAX_ATTEMPTS as usize);
        let doc = sms_page(&mut admin, "/admin/sms?view=failed").await;
        assert_eq!(doc.text(&format!("{row} .status")), "发送失败（已停止重试）");
        assert_eq!(doc.text(&format!("{row} .attempts")), MAX_ATTEMPTS.to_string());
        assert_eq!((doc.text("#tab-failed strong"), doc.text("#tab-waiting strong")), ("1".into(), "0".into()));
        assert_eq!(sender.send_due(&app.db, now + Duration::days(2)).await.unwrap(), 0, "no more attempts by itself");
        // others may neither see nor retry; another county's administrator finds nothing
        let id = ids[0].trim_start_matches("sms-").to_owned();
        let retry = format!("/admin/sms/{id}/retry");
        for who in ["town_clerk", "county_clerk", "secadmin", "auditor", "unit", "deputy"] {
            let mut other = app.client();
            other.login(who, PASSWORD).await;
            assert_eq!(other.get("/admin/sms").await.status.as_u16(), 403, "{who}");
            assert_eq!(other.post_form(&retry, &[]).await.status.as_u16(), 403, "{who}");
        }
        let mut far = app.client();
        far.login("far_sysadmin", PASSWORD).await;
        let doc = sms_page(&mut far, "/admin/sms?view=failed").await;
        assert_eq!(doc.count("#sms tbody tr[id]"), 0);
        assert_eq!(doc.text("#tab-failed strong"), "0");
        assert_eq!(far.post_form(&retry, &[]).await.status.as_u16(), 404);
        // 重新发送: queued again at once, audited; the sender delivers it exactly once
        let r = admin.post_form(&retry, &[]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(r.location(), Some("/admin/sms?done=requeued"));
        let doc = sms_page(&mut admin, "/admin/sms").await;
        assert_eq!(doc.text(&format!("{row} .status")), "等待重试");
        assert_eq!(doc.text("#tab-failed strong"), "0");
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 1);
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 0);
        assert_eq!(stub.delivered().len(), 1);
        assert_eq!(stub.received().len(), MAX_ATTEMPTS as usize + 1);
        let doc = sms_page(&mut admin, "/admin/sms?view=sent").await;
        assert_eq!(doc.text(&format!("{row} .status")), "已发送");
        assert_eq!(doc.count(&format!("{row} form")), 0, "nothing to retry");
        assert_eq!(admin.post_form(&retry, &[]).await.status.as_u16(), 409, "a sent message is not sent again");
        assert_eq!(stub.delivered().len(), 1);
        let mut auditor = app.client();
        auditor.login("auditor", PASSWORD).await;
        let log = auditor.get("/admin/audit?action=sms.retry").await.html();
        assert_eq!(log.count("#audit tbody tr"), 1);
        assert!(log.text("#audit").contains("重新发送短信") && log.text("#audit").contains(&format!("notification:{id}")));
    }
);

both_backends!(
    async fn the_list_pages_newest_first(db) {
        let c = cast(&db).await;
        let stub = SmsStub::start(1000).await;
        let cfg = WebConfig {
            sms_url: Some(stub.url.clone()),
            ..WebConfig::default()
        };
        let sender = SmsSender::from_config(&cfg).unwrap();
        let app = TestApp::with_config(db, cfg);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let mut items = Vec::new();
        for i in 0..3 {
            let phone = format!("1390000000{i}");
            let fields = [("category", "roads"), ("description", "村道坑洼，雨天积水"), ("phone", phone.as_str())];
            let receipt = report(&mut voter, &w.station_code, &fields, None).await.html().text("#receipt");
            let item = app.db.track(&receipt.replace('-', ""), &phone[7..]).await.unwrap().unwrap().id;
            act(&mut clerk, item, &[("as", "staff"), ("action", "accept")]).await;
            items.push(item);
        }
        assert_eq!(sender.send_due(&app.db, Utc::now()).await.unwrap(), 0);
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        // newest first; `before` (the pager's cursor) continues after a row
        let doc = admin.get("/admin/sms").await.html();
        let hrefs = doc.attrs("#sms tbody tr a", "href");
        let want: Vec<String> = items.iter().rev().map(|i| format!("/opinions/{i}")).collect();
        assert_eq!(hrefs, want, "newest first");
        let second: i64 = doc.attrs("#sms tbody tr[id]", "id")[1].trim_start_matches("sms-").parse().unwrap();
        let rest = admin.get(&format!("/admin/sms?before={second}")).await.html();
        assert_eq!(rest.attrs("#sms tbody tr a", "href"), [format!("/opinions/{}", items[0])]);
        assert_eq!(rest.count("p.pager a"), 0);
        let bad = admin.get("/admin/sms?view=nonsense").await;
        assert_eq!(bad.status.as_u16(), 200, "an unknown view is the default one");
    }
);
