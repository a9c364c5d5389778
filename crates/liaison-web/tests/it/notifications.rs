//! Notifications on both backends: the citizen's SMS through a stub gateway along the whole loop (each
//! exactly once, however often the sender runs), nothing for a citizen without a phone, the inboxes of
//! the deputy, the unit and the township clerk with their unread badges, retries after gateway
//! failures and after a sender that stopped mid-send, and nothing lost without a gateway.

use crate::support::*;
use chrono::{Duration, Utc};
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};
use liaison_testkit::sms_stub::SmsStub;
use liaison_web::WebConfig;
use liaison_web::notification::sms::{SmsSender, send_due_sms};

const SITE: &str = "https://rd.example.gov.cn";

fn config(stub: Option<&SmsStub>) -> WebConfig {
    WebConfig {
        public_url: Some(SITE.into()),
        sms_url: stub.map(|s| s.url.clone()),
        ..WebConfig::default()
    }
}

/// (unread entries, read entries) on the inbox page, and the badge in the navigation.
async fn inbox(c: &mut Client<'_>) -> (Vec<String>, Vec<String>, String) {
    let page = c.get("/inbox").await;
    assert_eq!(page.status.as_u16(), 200, "{}", page.body);
    let doc = page.html();
    (
        doc.texts("#inbox li.unread strong"),
        doc.texts("#inbox li.read a"),
        doc.texts("#unread-badge").join(""),
    )
}

/// The id of the only item in `c`'s queue.
async fn only_item(c: &mut Client<'_>) -> i64 {
    let links = c.get("/opinions").await.html().attrs("#queue a", "href");
    assert_eq!(links.len(), 1, "{links:?}");
    links[0].trim_start_matches("/opinions/").parse().unwrap()
}

both_backends!(
    async fn the_citizen_is_told_four_times_and_the_handlers_in_their_inbox(db) {
        let c = cast(&db).await;
        let stub = SmsStub::start(0).await;
        let cfg = config(Some(&stub));
        let sender = SmsSender::from_config(&cfg).unwrap();
        let app = TestApp::with_config(db, cfg);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let fields = [("category", "street_lights"), ("description", "幸福路12号门口的路灯坏了一个月"), ("phone", CITIZEN_PHONE)];
        let receipt = report(&mut voter, &w.deputy_code, &fields, None).await.html().text("#receipt");
        let code = receipt.replace('-', "");
        // the deputy is told it arrived; the badge shows it
        let mut deputy = app.client();
        deputy.login("deputy", PASSWORD).await;
        let (unread, _, badge) = inbox(&mut deputy).await;
        assert_eq!(unread, [format!("新的群众意见：路灯照明 · 东香卡村委会（回执 {receipt}）")]);
        assert_eq!(badge, "1");
        let id = only_item(&mut deputy).await;
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 0, "nothing for the citizen yet");
        // hand over: the township clerk is told (the nearest staff; the county clerk is not)
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        assert!(inbox(&mut clerk).await.0.is_empty());
        act(&mut deputy, id, &[("as", "deputy"), ("action", "hand_over"), ("note", "请登记交办")]).await;
        assert_eq!(inbox(&mut clerk).await.0, [format!("新的群众意见：路灯照明 · 东香卡村委会（回执 {receipt}）")]);
        let mut county = app.client();
        county.login("county_clerk", PASSWORD).await;
        assert!(inbox(&mut county).await.0.is_empty());
        // accept, assign: the citizen twice, the unit once
        assert_eq!(act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await.status.as_u16(), 303);
        let unit = w.unit_id.to_string();
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "assign"), ("unit", &unit), ("note", "请尽快处理")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 2);
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        let (unread, _, badge) = inbox(&mut u).await;
        assert_eq!(unread, [format!("新交办事项：路灯照明 · 东香卡村委会（回执 {receipt}）")]);
        assert_eq!(badge, "1");
        // the unit replies: the citizen, the clerk and the deputy it came through
        act(&mut u, id, &[("as", "unit"), ("action", "reply"), ("note", "已安排检修，三日内修复")]).await;
        act(&mut deputy, id, &[("as", "deputy"), ("action", "feedback"), ("note", "已电话告知")]).await;
        let r = voter.post_form("/t/rate", &[("r", &receipt), ("d", "5678"), ("rating", "satisfied")]).await;
        assert_eq!(r.html().text("#track-stage"), "已办结");
        for _ in 0..3 {
            send_due_sms(&app.db, &sender).await.unwrap();
        }
        // exactly four SMS, each once, with the receipt and the tracking link
        let got = stub.received();
        assert_eq!(got.len(), 4, "{got:#?}");
        let link = format!("{SITE}/t?r={code}");
        assert_eq!(got[0].text, format!("您反映的问题已受理（回执码{receipt}），办理进度：{link}"));
        assert_eq!(got[1].text, format!("您反映的问题（回执码{receipt}）正在办理，已交承办单位。办理进度：{link}"));
        assert_eq!(got[2].text, format!("您反映的问题已有答复（回执码{receipt}），请查看并评价：{link}"));
        assert_eq!(got[3].text, format!("您反映的问题已办结（回执码{receipt}），感谢您的支持。"));
        for s in &got {
            assert_eq!(s.to, CITIZEN_PHONE);
            assert_eq!(s.key, s.id, "the idempotency key is the row's key");
            assert!(s.id.starts_with(&format!("{id}:")) && s.id.ends_with(&format!(":citizen:{CITIZEN_PHONE}:sms")), "{}", s.id);
        }
        let mut ids: Vec<&str> = got.iter().map(|s| s.id.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 4);
        let town = app.db.scope_of(c.id("town_clerk")).await.unwrap();
        let rows = app.db.opinion_sms(&town, id).await.unwrap();
        assert!(rows.iter().all(|r| r.status == "sent" && r.attempts == 1), "{rows:#?}");
        // the inboxes: the deputy (arrived, replied), the clerk (arrived, replied), the unit (assigned)
        let (unread, _, badge) = inbox(&mut deputy).await;
        assert_eq!(unread.len(), 2, "{unread:?}");
        assert_eq!(unread[0], format!("承办单位已答复：路灯照明 · 东香卡村委会（回执 {receipt}）"), "newest first");
        assert_eq!(badge, "2");
        assert_eq!(inbox(&mut clerk).await.0.len(), 2);
        assert_eq!(inbox(&mut u).await.0.len(), 1);
        assert!(inbox(&mut county).await.0.is_empty());
        // opening a notice marks it read and goes to the item; then everything read
        let doc = deputy.get("/inbox").await.html();
        let first = doc.attrs("#inbox li.unread a", "href")[0].clone();
        let r = deputy.get(&first).await;
        assert_eq!(r.location(), Some(format!("/opinions/{id}").as_str()));
        let (unread, read, badge) = inbox(&mut deputy).await;
        assert_eq!((unread.len(), read.len(), badge.as_str()), (1, 1, "1"));
        assert_eq!(deputy.post_form("/inbox/read-all", &[]).await.status.as_u16(), 303);
        let (unread, read, badge) = inbox(&mut deputy).await;
        assert_eq!((unread.len(), read.len(), badge.as_str()), (0, 2, ""));
        // someone else's notice is not found
        let other = u.get(&first).await;
        assert_eq!(other.status.as_u16(), 404);
    }
);

both_backends!(
    async fn without_a_phone_no_sms(db) {
        let c = cast(&db).await;
        let stub = SmsStub::start(0).await;
        let cfg = config(Some(&stub));
        let sender = SmsSender::from_config(&cfg).unwrap();
        let app = TestApp::with_config(db, cfg);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let fields = [("category", "street_lights"), ("description", "村口路灯不亮")];
        let receipt = report(&mut voter, &w.station_code, &fields, None).await.html().text("#receipt");
        // a station's item: the township clerk is told at once
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let (unread, _, _) = inbox(&mut clerk).await;
        assert_eq!(unread, [format!("新的群众意见：路灯照明 · 东香卡村委会（回执 {receipt}）")]);
        let id = only_item(&mut clerk).await;
        let unit = w.unit_id.to_string();
        act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await;
        act(&mut clerk, id, &[("as", "staff"), ("action", "assign"), ("unit", &unit), ("note", "请处理")]).await;
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        act(&mut u, id, &[("as", "unit"), ("action", "reply"), ("note", "已修复")]).await;
        let r = voter.post_form("/t/rate", &[("r", &receipt), ("rating", "unsatisfied"), ("note", "还是不亮")]).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 0);
        assert!(stub.received().is_empty());
        let town = app.db.scope_of(c.id("town_clerk")).await.unwrap();
        assert!(app.db.opinion_sms(&town, id).await.unwrap().is_empty());
        // 不满意 goes back to the unit, which is told; the clerk heard of the arrival and the reply
        let (unread, _, _) = inbox(&mut u).await;
        assert_eq!(unread.len(), 2);
        assert!(unread[0].starts_with("群众不满意，请重新办理："), "{unread:?}");
        assert_eq!(inbox(&mut clerk).await.0.len(), 2);
    }
);

both_backends!(
    async fn a_failing_gateway_gets_each_message_exactly_once_in_the_end(db) {
        let c = cast(&db).await;
        let stub = SmsStub::start(2).await;
        let cfg = config(Some(&stub));
        let sender = SmsSender::from_config(&cfg).unwrap();
        let app = TestApp::with_config(db, cfg);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let fields = [("category", "roads"), ("description", "村道坑洼，雨天积水"), ("phone", CITIZEN_PHONE)];
        report(&mut voter, &w.station_code, &fields, None).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let id = only_item(&mut clerk).await;
        act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await;
        let town = app.db.scope_of(c.id("town_clerk")).await.unwrap();
        let now = Utc::now();
        // refused: kept, retried after 30 s, not before
        assert_eq!(sender.send_due(&app.db, now).await.unwrap(), 0);
        assert_eq!(sender.send_due(&app.db, now).await.unwrap(), 0);
        let rows = app.db.opinion_sms(&town, id).await.unwrap();
        assert_eq!((rows[0].status.as_str(), rows[0].attempts), ("pending", 1));
        assert!(rows[0].last_error.contains("500"), "{}", rows[0].last_error);
        assert_eq!(stub.received().len(), 1);
        assert_eq!(sender.send_due(&app.db, now + Duration::seconds(31)).await.unwrap(), 0);
        assert_eq!(sender.send_due(&app.db, now + Duration::seconds(60)).await.unwrap(), 0, "60 s after the second failure");
        assert_eq!(sender.send_due(&app.db, now + Duration::seconds(92)).await.unwrap(), 1);
        for k in 0..3 {
            assert_eq!(sender.send_due(&app.db, now + Duration::hours(2 + k)).await.unwrap(), 0);
        }
        let got = stub.received();
        assert_eq!(got.len(), 3);
        assert!(got.iter().all(|s| s.key == got[0].key), "the same idempotency key every time");
        assert_eq!(stub.delivered().len(), 1);
        let rows = app.db.opinion_sms(&town, id).await.unwrap();
        assert_eq!((rows[0].status.as_str(), rows[0].attempts, rows[0].last_error.as_str()), ("sent", 3, ""));
        assert!(rows[0].sent_at.is_some());
        // a sender that stopped after claiming: the row waits in 'sending', then is queued again
        let unit = w.unit_id.to_string();
        act(&mut clerk, id, &[("as", "staff"), ("action", "assign"), ("unit", &unit), ("note", "请处理")]).await;
        let claimed = app.db.claim_sms(Utc::now(), 10).await.unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 0, "claimed by the stopped sender");
        assert_eq!(app.db.requeue_stale_sending(Utc::now() - Duration::minutes(5)).await.unwrap(), 0, "not stale yet");
        assert_eq!(app.db.requeue_stale_sending(Utc::now() + Duration::seconds(1)).await.unwrap(), 1);
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 1);
        let last = stub.received().pop().unwrap();
        assert_eq!(last.key, claimed[0].dedupe_key);
        let rows = app.db.opinion_sms(&town, id).await.unwrap();
        assert_eq!((rows[1].status.as_str(), rows[1].attempts), ("sent", 2));
    }
);

both_backends!(
    async fn without_a_gateway_nothing_is_lost(db) {
        let c = cast(&db).await;
        let cfg = config(None);
        let sender = SmsSender::from_config(&cfg).unwrap();
        assert!(!sender.enabled());
        let app = TestApp::with_config(db, cfg);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let fields = [("category", "roads"), ("description", "村道坑洼，雨天积水"), ("phone", CITIZEN_PHONE)];
        report(&mut voter, &w.station_code, &fields, None).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let id = only_item(&mut clerk).await;
        act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await;
        for _ in 0..3 {
            assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 0);
        }
        let town = app.db.scope_of(c.id("town_clerk")).await.unwrap();
        let rows = app.db.opinion_sms(&town, id).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].status.as_str(), rows[0].attempts), ("pending", 0));
        // a gateway configured later sends it
        let stub = SmsStub::start(0).await;
        let later = SmsSender::new(Some(stub.url.as_str()), Some(SITE)).unwrap();
        assert_eq!(send_due_sms(&app.db, &later).await.unwrap(), 1);
        assert_eq!(stub.delivered().len(), 1);
        // https is refused with a clear message (plain http only: no TLS stack)
        assert!(SmsSender::new(Some("https://sms.example.com/send"), None).is_err());
    }
);

both_backends!(
    async fn two_senders_never_claim_the_same_message(db) {
        use liaison_domain::notification::NoticeKind;
        use liaison_store::notification::{Delivery, NewNotification};
        let mut tx = db.begin().await.unwrap();
        for i in 0..40 {
            let n = NewNotification {
                subject: None,
                kind: NoticeKind::Overdue,
                to: Delivery::Sms { phone: CITIZEN_PHONE.into(), link: String::new() },
                body: format!("第{i}条"),
                dedupe_key: format!("test:{i}"),
                not_before: None,
            };
            assert!(db.enqueue_in(&mut tx, &n).await.unwrap());
            assert!(!db.enqueue_in(&mut tx, &n).await.unwrap(), "the same key twice is one row");
        }
        tx.commit().await.unwrap();
        let now = Utc::now() + Duration::seconds(1);
        let (a, b) = (db.store.clone(), db.store.clone());
        let ta = tokio::spawn(async move { a.claim_sms(now, 25).await.unwrap() });
        let tb = tokio::spawn(async move { b.claim_sms(now, 25).await.unwrap() });
        let (a, b) = (ta.await.unwrap(), tb.await.unwrap());
        let mut ids: Vec<i64> = a.iter().chain(b.iter()).map(|r| r.id).collect();
        assert_eq!(ids.len(), 40, "between them they took every row once ({} + {})", a.len(), b.len());
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 40, "no row taken twice");
        assert!(db.claim_sms(now, 25).await.unwrap().is_empty());
    }
);

/// Files a road item through the station's code, with `phone` when not empty; returns the receipt.
async fn file(voter: &mut Client<'_>, code: &str, phone: &str) -> String {
    let mut fields = vec![("category", "roads"), ("description", "村道坑洼，雨天积水")];
    if !phone.is_empty() {
        fields.push(("phone", phone));
    }
    report(voter, code, &fields, None).await.html().text("#receipt")
}

async fn merge(clerk: &mut Client<'_>, id: i64, into: i64) {
    let r = act(
        clerk,
        id,
        &[
            ("as", "staff"),
            ("action", "merge"),
            ("into", &into.to_string()),
            ("note", "同一问题"),
        ],
    )
    .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
}

/// The id of the item behind a receipt (shown `ABCD-EFGH`) whose phone ends in `last4`.
async fn item_of(app: &TestApp, receipt: &str, last4: &str) -> i64 {
    app.db
        .track(&receipt.replace('-', ""), last4)
        .await
        .unwrap()
        .unwrap()
        .id
}

both_backends!(
    async fn a_merged_items_citizen_follows_the_survivor_by_sms_once_each(db) {
        use liaison_domain::opinion::{Action, Capacity, Channel, Status};
        let c = cast(&db).await;
        let stub = SmsStub::start(0).await;
        let cfg = config(Some(&stub));
        let sender = SmsSender::from_config(&cfg).unwrap();
        let app = TestApp::with_config(db, cfg);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        // the survivor; a duplicate with another phone; one with the survivor's phone; one without a
        // phone; one merged into a duplicate before that duplicate was merged (a chain)
        let (p2, p3) = ("13700000002", "13600000003");
        let s = file(&mut voter, &w.station_code, CITIZEN_PHONE).await;
        let b = file(&mut voter, &w.station_code, p2).await;
        let same = file(&mut voter, &w.station_code, CITIZEN_PHONE).await;
        let none = file(&mut voter, &w.station_code, "").await;
        let e = file(&mut voter, &w.station_code, p3).await;
        let id_s = item_of(&app, &s, "5678").await;
        let id_b = item_of(&app, &b, "0002").await;
        let (id_same, id_none, id_e) =
            (item_of(&app, &same, "5678").await, item_of(&app, &none, "").await, item_of(&app, &e, "0003").await);
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        merge(&mut clerk, id_e, id_b).await;
        for id in [id_b, id_same, id_none] {
            merge(&mut clerk, id, id_s).await;
        }
        // the whole loop on the survivor, with one 不满意 in between: 答复 happens twice
        let unit = w.unit_id.to_string();
        act(&mut clerk, id_s, &[("as", "staff"), ("action", "accept")]).await;
        act(&mut clerk, id_s, &[("as", "staff"), ("action", "assign"), ("unit", &unit), ("note", "请处理")]).await;
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        act(&mut u, id_s, &[("as", "unit"), ("action", "reply"), ("note", "已修补")]).await;
        let r = voter.post_form("/t/rate", &[("r", &s), ("d", "5678"), ("rating", "unsatisfied"), ("note", "还有一处")]).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        act(&mut u, id_s, &[("as", "unit"), ("action", "reply"), ("note", "两处都已修补")]).await;
        let r = voter.post_form("/t/rate", &[("r", &s), ("d", "5678"), ("rating", "satisfied")]).await;
        assert_eq!(r.html().text("#track-stage"), "已办结");
        for _ in 0..3 {
            send_due_sms(&app.db, &sender).await.unwrap();
        }
        let got = stub.received();
        let to = |phone: &str| -> Vec<String> { got.iter().filter(|m| m.to == phone).map(|m| m.text.clone()).collect() };
        let link = |r: &str| format!("{SITE}/t?r={}", r.replace('-', ""));
        // the survivor's citizen: the loop, with the survivor's receipt; the duplicate with the same
        // phone was told of its merge and nothing more (one phone hears of one step once)
        let loop_texts = |r: &str, follower: bool| {
            let replied = if follower {
                format!("您反映的问题已有答复（回执码{r}），请查看：{}", link(r))
            } else {
                format!("您反映的问题已有答复（回执码{r}），请查看并评价：{}", link(r))
            };
            vec![
                format!("您反映的问题已受理（回执码{r}），办理进度：{}", link(r)),
                format!("您反映的问题（回执码{r}）正在办理，已交承办单位。办理进度：{}", link(r)),
                replied.clone(),
                replied,
                format!("您反映的问题已办结（回执码{r}），感谢您的支持。"),
            ]
        };
        let merged = |r: &str| format!("您反映的问题（回执码{r}）已与相近问题合并办理，办理进度：{}", link(r));
        let mut want = vec![merged(&same)];
        want.extend(loop_texts(&s, false));
        assert_eq!(to(CITIZEN_PHONE), want);
        // the duplicate and the chained one: their merge, then the survivor's loop with their own receipt
        let mut want = vec![merged(&b)];
        want.extend(loop_texts(&b, true));
        assert_eq!(to(p2), want);
        let mut want = vec![merged(&e)];
        want.extend(loop_texts(&e, true));
        assert_eq!(to(p3), want, "the chain is followed, and the chained one hears of its own merge only");
        assert_eq!(got.len(), 18, "{got:#?}");
        let mut keys: Vec<&str> = got.iter().map(|m| m.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 18, "each message once");
        assert!(got.iter().any(|m| m.key == format!("{id_s}:1:citizen:{p2}:sms")), "keyed by the survivor's step and the phone");
        // each follower's messages are on its own item
        let town = app.db.scope_of(c.id("town_clerk")).await.unwrap();
        assert_eq!(app.db.opinion_sms(&town, id_b).await.unwrap().len(), 6);
        assert_eq!(app.db.opinion_sms(&town, id_e).await.unwrap().len(), 6);
        assert_eq!(app.db.opinion_sms(&town, id_same).await.unwrap().len(), 1);
        assert!(app.db.opinion_sms(&town, id_none).await.unwrap().is_empty());
        // the chained one's tracking page follows the end of the chain: its progress, not its answer
        // (that went to another citizen; a follower reads the published text once there is one)
        let t = voter.get(&format!("/t?r={e}&d=0003")).await.html();
        assert_eq!(t.text("#track-stage"), "已办结");
        assert!(!t.text("#tracked").contains("两处都已修补"));
        assert!(t.text("#track-answer").contains("合并办理"));
        // the same step told again (a retried transaction) writes nothing
        let o = app.db.opinion(&town, id_s).await.unwrap().into_inner();
        let before = Status::new(Channel::StationCode);
        let after = before.apply(Capacity::Staff, &Action::Accept).unwrap();
        let mut tx = app.db.begin().await.unwrap();
        app.db.notify_in(&mut tx, &o, &before, &Action::Accept, &after, 1).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 0, "never sent twice");
        assert_eq!(stub.received().len(), 18);
    }
);

both_backends!(
    async fn followers_hear_when_the_survivors_citizen_left_no_phone(db) {
        let c = cast(&db).await;
        let stub = SmsStub::start(0).await;
        let cfg = config(Some(&stub));
        let sender = SmsSender::from_config(&cfg).unwrap();
        let app = TestApp::with_config(db, cfg);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let s = file(&mut voter, &w.station_code, "").await;
        let b = file(&mut voter, &w.station_code, CITIZEN_PHONE).await;
        let (id_s, id_b) = (item_of(&app, &s, "").await, item_of(&app, &b, "5678").await);
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        merge(&mut clerk, id_b, id_s).await;
        act(&mut clerk, id_s, &[("as", "staff"), ("action", "accept")]).await;
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 2);
        let texts: Vec<String> = stub.received().into_iter().map(|m| m.text).collect();
        assert!(texts[0].contains("合并办理") && texts[1].contains("已受理"), "{texts:?}");
        assert!(texts.iter().all(|t| t.contains(&b)), "{texts:?}");
    }
);
