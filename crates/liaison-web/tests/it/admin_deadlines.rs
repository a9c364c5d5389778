//! The administrators' pages as a first week's use found them: deadline rules typed as a number and
//! a unit, in the order an item goes through them; the audit log in Beijing time.

use liaison_domain::calendar::Span;
use liaison_domain::subject::SubjectKind;
use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

both_backends!(
    async fn deadline_rules_are_a_number_and_a_unit_in_workflow_order(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        let doc = admin.get("/admin/deadlines").await.html();
        let ids = doc.attrs("#rules tr[id]", "id");
        assert_eq!(
            ids,
            ["rule-submitted", "rule-referred", "rule-accepted", "rule-assigned", "rule-return", "rule-replied", "rule-answered"]
        );
        assert_eq!(doc.attrs("#rule-assigned input[name=number]", "value"), ["7"]);
        assert_eq!(doc.attr("#rule-assigned select[name=unit] option[selected]", "value").as_deref(), Some("wd"));
        assert_eq!(doc.attr("#rule-submitted select[name=unit] option[selected]", "value").as_deref(), Some("h"));
        assert_eq!(doc.texts("#rule-assigned select[name=unit] option"), ["工作日", "自然日", "小时", "个月"]);
        // 10 natural days
        let r = admin.post_form("/admin/deadlines", &[("stage", "assigned"), ("number", "10"), ("unit", "d")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(app.db.deadlines(SubjectKind::Opinion).await.unwrap().span_of("assigned"), Some(Span::Days(10)));
        assert_eq!(admin.get("/admin/deadlines").await.html().text("#rule-assigned td:nth-child(2)"), "10个自然日");
        // an unknown unit or a negative number changes nothing
        for (n, u) in [("3", "weeks"), ("-1", "wd"), ("", "h")] {
            let r = admin.post_form("/admin/deadlines", &[("stage", "assigned"), ("number", n), ("unit", u)]).await;
            assert_eq!(r.status.as_u16(), 422, "{n}{u}");
        }
        assert_eq!(app.db.deadlines(SubjectKind::Opinion).await.unwrap().span_of("assigned"), Some(Span::Days(10)));
    }
);

both_backends!(
    async fn the_audit_log_shows_beijing_time(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let items = aud.get_json("/api/v1/audit?action=login.success").await.json()["items"].as_array().unwrap().clone();
        let at = items[0]["at"].as_str().unwrap().to_owned();
        let utc = chrono::DateTime::parse_from_rfc3339(&at).unwrap().with_timezone(&chrono::Utc);
        let beijing = liaison_domain::time::local(utc).format("%Y-%m-%d %H:%M:%S").to_string();
        let doc = aud.get("/admin/audit?action=login.success").await.html();
        let times = doc.texts("#audit tbody td:nth-child(2)");
        assert!(times.contains(&beijing), "{beijing} in {times:?}");
        assert!(doc.texts("p.muted").iter().any(|t| t.contains("北京时间")));
    }
);
