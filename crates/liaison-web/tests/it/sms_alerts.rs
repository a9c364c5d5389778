//! Reaching people who do not log in, on both backends: staff and deputy accounts get a mobile
//! (masked on every page, set by the person or by the system administrator for a deputy or a unit,
//! never by another administrator for an administrator); the alerts that ask someone to act go by SMS
//! once per item and stage, held back by the quiet hours; the system administrator is warned when no
//! gateway is configured; deputies log in by mobile and SMS code where the security administrator
//! allows it; administrators type a code after their password when the policy asks.

use crate::support::*;
use chrono::Timelike;
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};
use liaison_testkit::sms_stub::SmsStub;
use liaison_web::WebConfig;
use liaison_web::notification::sms::{SmsSender, send_due_sms};

const SITE: &str = "https://rd.example.gov.cn";
const DEPUTY_MOBILE: &str = "13800001111";
const UNIT_MOBILE: &str = "13800002222";
const ADMIN_MOBILE: &str = "13800003333";

fn config(stub: &SmsStub) -> WebConfig {
    WebConfig {
        public_url: Some(SITE.into()),
        sms_url: Some(stub.url.clone()),
        ..WebConfig::default()
    }
}

/// The security policy form as it is, with the SMS section set to these roles and switch.
async fn set_sms_policy(sec: &mut Client<'_>, roles: &[&str], second_factor: bool) -> u16 {
    let mut f: Vec<(&str, &str)> = vec![
        ("min_length", "10"),
        ("min_classes", "3"),
        ("max_age_days", "90"),
        ("lockout_threshold", "5"),
        ("lockout_minutes", "15"),
        ("session_idle_minutes", "30"),
        ("deputy_session_days", "7"),
        ("deputy_max_age_days", "365"),
        ("sms_section", "1"),
    ];
    for r in roles {
        f.push(("sms_login", r));
    }
    if second_factor {
        f.push(("admin_second_factor", "1"));
    }
    sec.post_form("/admin/security", &f).await.status.as_u16()
}

/// The six digits of the last code the gateway took for `to`.
fn last_code(stub: &SmsStub, to: &str) -> String {
    let texts: Vec<String> = stub
        .received()
        .into_iter()
        .filter(|m| m.to == to)
        .map(|m| m.text)
        .collect();
    let text = texts.last().unwrap_or_else(|| panic!("no SMS to {to}"));
    let start = text.find("验证码是 ").expect("a code SMS") + "验证码是 ".len();
    text[start..start + 6].to_owned()
}

both_backends!(
    async fn alerts_reach_the_deputy_and_the_unit_by_sms_once_per_item_and_stage(db) {
        let c = cast(&db).await;
        let stub = SmsStub::start(0).await;
        let cfg = config(&stub);
        let sender = SmsSender::from_config(&cfg).unwrap();
        let app = TestApp::with_config(db, cfg);
        let w = world(&app, &c).await;
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        // no quiet hours for this test: alerts go at once
        let r = admin.post_form("/admin/sms/quiet", &[("start", "0"), ("end", "0")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        // the system administrator registers the deputy's and the unit's mobiles, typed as people do
        let deputy = c.id("deputy").to_string();
        let r = admin.post_form(&format!("/admin/accounts/{deputy}/mobile"), &[("mobile", "138 0000 1111"), ("alerts", "1")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let r = admin.post_form(&format!("/admin/accounts/{}/mobile", c.id("unit")), &[("mobile", "+86 138-0000-2222"), ("alerts", "1")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        // shown masked, never whole
        let page = admin.get(&format!("/admin/accounts/{deputy}")).await;
        assert!(page.body.contains("138****1111"), "{}", page.body);
        assert!(!page.body.contains(DEPUTY_MOBILE));
        // a malformed number comes back beside the field, as typed
        let r = admin.post_form(&format!("/admin/accounts/{deputy}/mobile"), &[("mobile", "0974-851234")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.html().text("#mobile-error"), "请填写 11 位手机号码");
        assert_eq!(r.html().attrs("#account-mobile input[name=mobile]", "value"), ["0974-851234"]);
        // nobody but the person sets an administrator's number
        let r = admin.post_form(&format!("/admin/accounts/{}/mobile", c.id("secadmin")), &[("mobile", ADMIN_MOBILE)]).await;
        assert_eq!(r.status.as_u16(), 403);

        // a new item for the deputy: an SMS to the deputy's mobile with the item's link, no citizen data
        let mut voter = app.client();
        let fields = [("category", "street_lights"), ("description", "幸福路12号门口的路灯坏了一个月，张三13912345678")];
        report(&mut voter, &w.deputy_code, &fields, None).await;
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 1);
        let got = stub.received();
        assert_eq!(got[0].to, DEPUTY_MOBILE);
        assert!(got[0].text.starts_with("【代表联络】新的群众意见：路灯照明 · 东香卡村委会"), "{}", got[0].text);
        assert!(got[0].text.contains(&format!("{SITE}/opinions/")), "{}", got[0].text);
        assert!(!got[0].text.contains("13912345678") && !got[0].text.contains("幸福路"), "{}", got[0].text);
        // handed over and accepted: nothing by SMS (the township clerk has no mobile, and these are inbox news)
        let mut d = app.client();
        d.login("deputy", PASSWORD).await;
        let id: i64 = d.get("/opinions").await.html().attrs("#queue a", "href")[0].trim_start_matches("/opinions/").parse().unwrap();
        act(&mut d, id, &[("as", "deputy"), ("action", "hand_over"), ("note", "请登记交办")]).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await;
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 0);
        // assigned: the unit's mobile, once however often the sender runs
        let unit = w.unit_id.to_string();
        let r = act(&mut clerk, id, &[("as", "staff"), ("action", "assign"), ("unit", &unit), ("note", "请尽快处理")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 1);
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 0);
        let last = stub.received().pop().unwrap();
        assert_eq!(last.to, UNIT_MOBILE);
        assert!(last.text.contains("新交办事项"), "{}", last.text);
        // the deadline sweep's overdue alert reaches the unit's mobile once per stage
        let past = chrono::Utc::now() + chrono::Duration::days(400);
        app.db.sweep_deadlines(past).await.unwrap();
        app.db.sweep_deadlines(past).await.unwrap();
        let to_unit = |s: &SmsStub| s.received().iter().filter(|m| m.to == UNIT_MOBILE).count();
        send_due_sms(&app.db, &sender).await.unwrap();
        let after_sweep = to_unit(&stub);
        assert!(after_sweep >= 2, "an overdue (or due soon) alert went to the unit");
        app.db.sweep_deadlines(past).await.unwrap();
        send_due_sms(&app.db, &sender).await.unwrap();
        assert_eq!(to_unit(&stub), after_sweep, "once per item and stage");
    }
);

both_backends!(
    async fn alerts_wait_for_the_end_of_the_quiet_hours_and_stop_when_turned_off(db) {
        let c = cast(&db).await;
        let stub = SmsStub::start(0).await;
        let cfg = config(&stub);
        let sender = SmsSender::from_config(&cfg).unwrap();
        let app = TestApp::with_config(db, cfg);
        let w = world(&app, &c).await;
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        // the quiet hours cover this hour (Beijing)
        let hour = liaison_domain::time::now_beijing().hour();
        let (start, end) = (hour.to_string(), ((hour + 1) % 24).to_string());
        assert_eq!(admin.post_form("/admin/sms/quiet", &[("start", &start), ("end", &end)]).await.status.as_u16(), 303);
        let sms = admin.get("/admin/sms").await;
        assert_eq!(sms.html().attrs("#quiet-hours select[name=start] option[selected]", "value"), std::slice::from_ref(&start));
        // a malformed hour comes back in Chinese
        let r = admin.post_form("/admin/sms/quiet", &[("start", "25"), ("end", "8")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.body.contains("请选择 0～23 点"));
        // the deputy registers their own mobile on 我的账号
        let mut d = app.client();
        d.login("deputy", PASSWORD).await;
        let r = d.post_form("/account/mobile", &[("mobile", DEPUTY_MOBILE), ("alerts", "1")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert!(d.get("/account").await.body.contains("138****1111"));
        let mut voter = app.client();
        report(&mut voter, &w.deputy_code, &[("category", "street_lights"), ("description", "幸福路12号门口的路灯坏了一个月")], None).await;
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 0, "held back in the quiet hours");
        let later = chrono::Utc::now() + chrono::Duration::hours(1) + chrono::Duration::minutes(1);
        assert_eq!(sender.send_due(&app.db, later).await.unwrap(), 1, "sent when they end");
        // alerts off (the number stays): no SMS for the next item
        let r = d.post_form("/account/mobile", &[("keep", "1"), ("mobile", "")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert!(d.get("/account").await.body.contains("不接收短信提醒"));
        report(&mut voter, &w.deputy_code, &[("category", "street_lights"), ("description", "幸福路14号门口的路灯也坏了半个月")], None).await;
        let much_later = chrono::Utc::now() + chrono::Duration::hours(3);
        assert_eq!(sender.send_due(&app.db, much_later).await.unwrap(), 0);
        // every change was audited, without the number
        let mut auditor = app.client();
        auditor.login("auditor", PASSWORD).await;
        let log = auditor.get("/admin/audit?action=account.mobile").await.body;
        assert!(log.contains("修改账号手机号"), "{log}");
        assert!(!log.contains(DEPUTY_MOBILE));
    }
);

both_backends!(
    async fn a_deputy_logs_in_with_a_mobile_and_an_sms_code_where_the_policy_allows(db) {
        cast(&db).await;
        let stub = SmsStub::start(0).await;
        let cfg = config(&stub);
        let sender = SmsSender::from_config(&cfg).unwrap();
        let app = TestApp::with_config(db, cfg);
        let mut d = app.client();
        d.login("deputy", PASSWORD).await;
        d.post_form("/account/mobile", &[("mobile", DEPUTY_MOBILE), ("alerts", "1")]).await;
        // off by default: no link on the login page
        let mut phone = app.client();
        assert_eq!(phone.get("/login").await.html().count("a[href^='/login/sms']"), 0);
        // the security administrator switches it on for deputies; administrators are refused
        let mut sec = app.client();
        sec.login("secadmin", PASSWORD).await;
        assert_eq!(set_sms_policy(&mut sec, &["system_admin"], false).await, 422);
        assert_eq!(set_sms_policy(&mut sec, &["deputy"], false).await, 303);
        assert_eq!(phone.get("/login").await.html().count("a[href^='/login/sms']"), 1);
        // a malformed number: beside the field, kept
        phone.get("/login/sms").await;
        let r = phone.post_form("/login/sms", &[("mobile", "1380000"), ("next", "/")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.html().text("#mobile-error"), "请填写 11 位手机号码");
        assert_eq!(r.html().attrs("input[name=mobile]", "value"), ["1380000"]);
        // an unknown number gets the same page and no SMS
        let r = phone.post_form("/login/sms", &[("mobile", "13900009999"), ("next", "/")]).await;
        assert_eq!(r.status.as_u16(), 200);
        assert!(r.body.contains("139****9999"));
        send_due_sms(&app.db, &sender).await.unwrap();
        assert!(stub.received().is_empty());
        // the deputy's own number: a code
        let r = phone.post_form("/login/sms", &[("mobile", "138 0000 1111"), ("next", "/")]).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 1);
        let code = last_code(&stub, DEPUTY_MOBILE);
        // asking again within the minute sends nothing more
        let r = phone.post_form("/login/sms", &[("mobile", DEPUTY_MOBILE), ("next", "/")]).await;
        assert!(r.body.contains("刚刚发送过"), "{}", r.body);
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 0);
        // a wrong code: beside the field, with the tries left
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let r = phone.post_form("/login/sms/verify", &[("mobile", DEPUTY_MOBILE), ("code", wrong), ("next", "/")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.html().text("#code-error"), "验证码不对，还可以再试 4 次");
        assert!(phone.session_cookie().is_none());
        // the right one logs in, as the deputy, with the deputy's long session
        let r = phone.post_form("/login/sms/verify", &[("mobile", DEPUTY_MOBILE), ("code", &code), ("next", "/")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let cookie = r.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect::<Vec<_>>().join("\n");
        assert!(cookie.contains("liaison_session=") && cookie.contains("Max-Age=604800"), "{cookie}");
        let me = phone.get("/account").await;
        assert_eq!(me.status.as_u16(), 200);
        assert!(me.body.contains("138****1111"), "logged in as the deputy: {}", me.body);
        // used once
        let mut again = app.client();
        again.get("/login/sms").await;
        let r = again.post_form("/login/sms/verify", &[("mobile", DEPUTY_MOBILE), ("code", &code), ("next", "/")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.html().text("#code-error"), "验证码错误或已失效，请重新获取");
        // switched off again: no code even for the deputy's number
        assert_eq!(set_sms_policy(&mut sec, &[], false).await, 303);
        let before = stub.received().len();
        let mut later = app.client();
        later.get("/login/sms").await;
        let r = later.post_form("/login/sms", &[("mobile", DEPUTY_MOBILE), ("next", "/")]).await;
        assert_eq!(r.status.as_u16(), 200);
        send_due_sms(&app.db, &sender).await.unwrap();
        assert_eq!(stub.received().len(), before);
    }
);

both_backends!(
    async fn guessing_a_code_stops_after_five_tries(db) {
        cast(&db).await;
        let stub = SmsStub::start(0).await;
        let cfg = config(&stub);
        let sender = SmsSender::from_config(&cfg).unwrap();
        let app = TestApp::with_config(db, cfg);
        let mut d = app.client();
        d.login("deputy", PASSWORD).await;
        d.post_form("/account/mobile", &[("mobile", DEPUTY_MOBILE), ("alerts", "1")]).await;
        let mut sec = app.client();
        sec.login("secadmin", PASSWORD).await;
        assert_eq!(set_sms_policy(&mut sec, &["deputy"], false).await, 303);
        let mut phone = app.client();
        phone.get("/login/sms").await;
        phone.post_form("/login/sms", &[("mobile", DEPUTY_MOBILE), ("next", "/")]).await;
        send_due_sms(&app.db, &sender).await.unwrap();
        let code = last_code(&stub, DEPUTY_MOBILE);
        let wrong: Vec<String> = (0..6).map(|i| format!("{:06}", (code.parse::<u32>().unwrap() + 1 + i) % 1_000_000)).collect();
        // five parallel-safe tries, then the code is dead: even the right one no longer works
        for w in &wrong[..5] {
            let r = phone.post_form("/login/sms/verify", &[("mobile", DEPUTY_MOBILE), ("code", w), ("next", "/")]).await;
            assert_eq!(r.status.as_u16(), 422);
        }
        let r = phone.post_form("/login/sms/verify", &[("mobile", DEPUTY_MOBILE), ("code", &code), ("next", "/")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(phone.session_cookie().is_none());
    }
);

both_backends!(
    async fn an_administrator_types_a_code_after_the_password_when_the_policy_asks(db) {
        cast(&db).await;
        let stub = SmsStub::start(0).await;
        let cfg = config(&stub);
        let sender = SmsSender::from_config(&cfg).unwrap();
        let app = TestApp::with_config(db, cfg);
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        // an administrator's number needs the password
        let r = admin.post_form("/account/mobile", &[("mobile", ADMIN_MOBILE), ("alerts", "1"), ("password", "wrong")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().text("#password-error").contains("当前密码"));
        let r = admin.post_form("/account/mobile", &[("mobile", ADMIN_MOBILE), ("alerts", "1"), ("password", PASSWORD)]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let mut sec = app.client();
        sec.login("secadmin", PASSWORD).await;
        assert_eq!(set_sms_policy(&mut sec, &[], true).await, 303);
        // the right password alone opens no session
        let mut c = app.client();
        c.get("/login").await;
        let r = c.post_form("/login", &[("username", "sysadmin"), ("password", PASSWORD), ("next", "/")]).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        assert!(r.body.contains("138****3333"), "{}", r.body);
        assert!(c.session_cookie().is_none());
        assert_eq!(send_due_sms(&app.db, &sender).await.unwrap(), 1);
        let code = last_code(&stub, ADMIN_MOBILE);
        // the code without the half-finished login's cookie is nothing
        let mut other = app.client();
        other.get("/login").await;
        let r = other.post_form("/login/code", &[("code", &code), ("next", "/")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(other.session_cookie().is_none());
        // with it, the session opens
        let r = c.post_form("/login/code", &[("code", &code), ("next", "/")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert!(c.session_cookie().is_some());
        assert_eq!(c.get("/admin/accounts").await.status.as_u16(), 200);
        // an administrator without a mobile still logs in by password (and the page said so)
        assert!(sec.get("/admin/security").await.body.contains("未登记手机号的管理员仍只凭密码登录"));
        let mut s2 = app.client();
        let r = s2.login("secadmin", PASSWORD).await;
        assert_eq!(r.status.as_u16(), 303);
        assert!(s2.session_cookie().is_some());
    }
);

both_backends!(
    async fn the_system_administrator_is_warned_when_no_gateway_is_configured(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        let home = admin.get("/").await;
        assert!(home.html().text("#panel-sms").contains("未配置短信网关"), "{}", home.body);
        assert_eq!(admin.get("/admin/sms").await.html().count("#no-gateway"), 1);
        let stub = SmsStub::start(0).await;
        let app2 = TestApp::with_config(liaison_testkit::TestDb::new(liaison_testkit::Backend::Sqlite).await, config(&stub));
        cast(&app2.db).await;
        let mut admin2 = app2.client();
        admin2.login("sysadmin", PASSWORD).await;
        assert_eq!(admin2.get("/admin/sms").await.html().count("#no-gateway"), 0);
    }
);
