//! 工作日历 as the administrators use it: the built-in years listed, a new year entered and used for
//! deadlines at once, bad entries named next to the field with what was typed kept, who may enter, the
//! audit row, and a built-in year overridden.

use chrono::{Datelike, NaiveDate};
use liaison_domain::calendar::{WorkCalendar, entry_reminder};
use liaison_domain::{RegionCode, Role, Scope};
use liaison_store::audit::AuditFilter;
use liaison_store::calendar::may_edit_calendar;
use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const OFF_2027: &str = "2027-01-01 至 2027-01-03\n2027-02-05 至 2027-02-12";

/// The reminders the page should show today with the built-in calendar plus `entered` years.
fn expected_warnings(entered: &[i32]) -> Vec<String> {
    let today = liaison_domain::time::today();
    let mut cal = WorkCalendar::built_in();
    for &year in entered {
        cal.insert(liaison_domain::calendar::YearArrangement {
            year,
            source: "x".into(),
            off: vec![],
            work: vec![],
        });
    }
    cal.years_to_enter(today)
        .into_iter()
        .map(entry_reminder)
        .collect()
}

both_backends!(
    async fn built_in_years_are_listed_and_a_new_year_is_used_at_once(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        let r = admin.get("/admin/calendar").await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let doc = r.html();
        assert!(doc.texts("nav.main a").iter().any(|t| t == "工作日历"));
        assert_eq!(doc.texts("#calendar-years tr.year td:nth-child(1)"), ["2024", "2025", "2026"]);
        assert_eq!(doc.texts("#calendar-years tr.year .tag"), ["内置", "内置", "内置"]);
        assert!(doc.text("#y2026 td:nth-child(3)").starts_with("1/1–1/3、2/15–2/23"));
        assert_eq!(doc.texts(".calendar-warning"), expected_warnings(&[]));
        // the add form defaults to next year (or the current one if that is missing)
        let today = liaison_domain::time::today();
        let default = if today.year() > 2026 { today.year() } else { today.year() + 1 };
        assert_eq!(
            doc.attr("#calendar-add input[name=year]", "value"),
            Some(default.to_string())
        );
        let csrf = doc.attr("#calendar-add input[name=_csrf]", "value").unwrap_or_default();
        assert!(!csrf.is_empty());
        assert_eq!(doc.attr("#calendar-2026 input[name=_csrf]", "value"), Some(csrf));
        // an edit form per year, prefilled with the normalised text
        let cal = WorkCalendar::built_in();
        let y2026 = cal.arrangement(2026).unwrap();
        assert_eq!(doc.text("#calendar-2026 textarea[name=off_text]"), y2026.to_off_text());
        assert_eq!(doc.text("#calendar-2026 textarea[name=work_text]"), y2026.to_work_text());

        // 2027 before it is entered: Mon–Fri only
        let before = app.db.work_calendar().await.unwrap();
        assert!(!before.covers(2027));
        assert!(before.is_working_day(d("2027-02-08")));
        let r = admin
            .post_form(
                "/admin/calendar",
                &[
                    ("form", "add"),
                    ("year", "2027"),
                    ("source", "国办发明电〔2026〕测试号, 2026-10-27"),
                    ("off_text", OFF_2027),
                    ("work_text", "2027-02-14"),
                ],
            )
            .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(r.location(), Some("/admin/calendar?done=saved"));
        let cal = app.db.work_calendar().await.unwrap();
        assert!(cal.covers(2027));
        assert!(!cal.is_working_day(d("2027-02-08")), "Monday inside the entered 春节");
        assert!(cal.is_working_day(d("2027-02-14")), "Sunday 调休上班");
        assert!(!cal.is_working_day(d("2027-01-01")));
        assert!(cal.is_working_day(d("2027-02-15")));

        let doc = admin.get("/admin/calendar?done=saved").await.html();
        assert_eq!(doc.text(".notice"), "已保存");
        assert_eq!(
            doc.texts("#calendar-years tr.year td:nth-child(1)"),
            ["2024", "2025", "2026", "2027"]
        );
        assert_eq!(doc.text("#y2027 .tag"), "已录入");
        assert!(doc.text("#y2027 .updated").ends_with("sysadmin"));
        assert_eq!(doc.text("#y2027 td:nth-child(4)"), "2/14（共1天）");
        assert_eq!(doc.texts(".calendar-warning"), expected_warnings(&[2027]));

        // in the audit log, in the same transaction as the row
        let auditor = app.db.scope_of(app.db.login_record("auditor").await.unwrap().unwrap().id).await.unwrap();
        let filter = AuditFilter {
            action: Some("calendar.save".into()),
            ..Default::default()
        };
        let rows = app.db.audit_list(&auditor, &filter, 10).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].actor.as_str(), rows[0].target.as_str()), ("sysadmin", "calendar:2027"));
        assert!(rows[0].detail.contains("2027-02-05 至 2027-02-12"), "{}", rows[0].detail);
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let doc = aud.get("/admin/audit?action=calendar.save").await.html();
        assert_eq!(doc.texts("#audit tbody td:nth-child(4)"), ["保存放假安排"]);
    }
);

both_backends!(
    async fn bad_entries_are_named_next_to_the_field_and_kept(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        let off = "2027-01-01\n2027-02-30";
        let r = admin
            .post_form(
                "/admin/calendar",
                &[("form", "add"), ("year", "2027"), ("source", "测试"), ("off_text", off), ("work_text", "")],
            )
            .await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        let doc = r.html();
        assert_eq!(
            doc.text("#calendar-add .field-error[data-field=off]"),
            "放假日期第2行：2027-02-30 不是有效日期"
        );
        assert_eq!(doc.text("#calendar-add textarea[name=off_text]"), off);
        assert_eq!(doc.attr("#calendar-add input[name=source]", "value").as_deref(), Some("测试"));
        assert_eq!(doc.count("#calendar-add .field-error"), 1);

        // a weekday given as 调休上班日
        let r = admin
            .post_form(
                "/admin/calendar",
                &[
                    ("form", "add"),
                    ("year", "2027"),
                    ("source", "测试"),
                    ("off_text", OFF_2027),
                    ("work_text", "2027-02-14\n2027-02-09"),
                ],
            )
            .await;
        assert_eq!(r.status.as_u16(), 422);
        let doc = r.html();
        assert_eq!(
            doc.text("#calendar-add .field-error[data-field=work]"),
            "调休上班日 2027-02-09 不是周末"
        );
        assert_eq!(doc.text("#calendar-add textarea[name=work_text]"), "2027-02-14\n2027-02-09");
        assert_eq!(doc.text("#calendar-add textarea[name=off_text]"), OFF_2027);

        // a failed edit of a listed year opens that year's form, not the add form
        let r = admin
            .post_form(
                "/admin/calendar",
                &[("form", "edit"), ("year", "2026"), ("source", ""), ("off_text", "2026-13-01"), ("work_text", "")],
            )
            .await;
        assert_eq!(r.status.as_u16(), 422);
        let doc = r.html();
        assert_eq!(doc.count("#y2026 + tr.edit details[open]"), 1);
        assert!(doc.text("#calendar-2026 .field-error[data-field=source]").contains("来源"));
        assert!(doc.text("#calendar-2026 .field-error[data-field=off]").contains("2026-13-01 不是有效日期"));
        assert_eq!(doc.count("#calendar-add .field-error"), 0);

        // nothing was stored
        let cal = app.db.work_calendar().await.unwrap();
        assert!(!cal.covers(2027));
        assert_eq!(cal.arrangement(2026), WorkCalendar::built_in().arrangement(2026));
    }
);

both_backends!(
    async fn only_the_administrator_and_county_committee_staff_may_enter(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let fields = [
            ("form", "add"),
            ("year", "2027"),
            ("source", "测试"),
            ("off_text", OFF_2027),
            ("work_text", ""),
        ];
        for who in ["town_clerk", "secadmin", "auditor", "deputy"] {
            let mut c = app.client();
            c.login(who, PASSWORD).await;
            assert_eq!(c.get("/admin/calendar").await.status.as_u16(), 403, "{who}");
            let doc = c.get("/").await.html();
            assert!(!doc.texts("nav.main a").iter().any(|t| t == "工作日历"), "{who}");
            assert_eq!(c.post_form("/admin/calendar", &fields).await.status.as_u16(), 403, "{who}");
        }
        assert!(!app.db.work_calendar().await.unwrap().covers(2027));
        // the county's committee staff may
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        let doc = clerk.get("/admin/calendar").await.html();
        assert_eq!(doc.count("#calendar-add"), 1);
        let r = clerk.post_form("/admin/calendar", &fields).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert!(app.db.work_calendar().await.unwrap().covers(2027));
    }
);

both_backends!(
    async fn saving_a_built_in_year_overrides_it(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        assert!(!app.db.work_calendar().await.unwrap().is_working_day(d("2026-10-01")));
        // 2026 without 国庆节 (a correction, made up for the test)
        let built_in = WorkCalendar::built_in().arrangement(2026).unwrap().clone();
        let off_text: Vec<String> = built_in
            .to_off_text()
            .lines()
            .filter(|l| !l.starts_with("2026-10-01"))
            .map(str::to_owned)
            .collect();
        let off_text = off_text.join("\n");
        assert_eq!(off_text.lines().count(), built_in.off.len() - 1);
        let r = admin
            .post_form(
                "/admin/calendar",
                &[
                    ("form", "edit"),
                    ("year", "2026"),
                    ("source", "更正测试"),
                    ("off_text", off_text.as_str()),
                    ("work_text", built_in.to_work_text().as_str()),
                ],
            )
            .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let cal = app.db.work_calendar().await.unwrap();
        assert!(cal.is_working_day(d("2026-10-01")), "the entered 2026 replaces the built-in one");
        assert!(!cal.is_working_day(d("2026-02-16")), "the rest of the year is as entered");
        assert_eq!(cal.arrangement(2026).map(|a| a.source.as_str()), Some("更正测试"));
        let doc = admin.get("/admin/calendar").await.html();
        assert_eq!(doc.text("#y2026 .tag"), "已录入（替换内置）");
        assert_eq!(doc.text("#y2026 td:nth-child(2)"), "更正测试");
        assert_eq!(doc.text("#y2025 .tag"), "内置");
        assert_eq!(doc.text("#calendar-2026 textarea[name=off_text]"), off_text);
        let years = app.db.calendar_years().await.unwrap();
        let y2026 = years.iter().find(|y| y.arrangement.year == 2026).unwrap();
        assert!(y2026.entered && y2026.built_in);
    }
);

fn scope(region: &str, role: Role) -> Scope {
    Scope {
        account_id: 1,
        username: "t".into(),
        roles: vec![role],
        region: RegionCode::parse(region).unwrap(),
        unit_id: None,
        station_id: None,
        person_id: None,
    }
}

#[test]
fn committee_staff_enter_the_calendar_at_the_top_or_at_a_county() {
    let province = RegionCode::parse("63").unwrap();
    let top = Some(&province);
    assert!(may_edit_calendar(&scope("63", Role::CommitteeStaff), top));
    assert!(may_edit_calendar(&scope("632521", Role::CommitteeStaff), top));
    assert!(
        !may_edit_calendar(&scope("6325", Role::CommitteeStaff), top),
        "a city below the top"
    );
    assert!(
        !may_edit_calendar(&scope("632521100", Role::CommitteeStaff), top),
        "a township"
    );
    assert!(may_edit_calendar(
        &scope("6325", Role::CommitteeStaff),
        Some(&RegionCode::parse("6325").unwrap())
    ));
    assert!(may_edit_calendar(&scope("632521", Role::SystemAdmin), top));
    assert!(!may_edit_calendar(&scope("632521", Role::TownshipStaff), top));
    assert!(!may_edit_calendar(&scope("632521", Role::SecurityAdmin), top));
}

both_backends!(
    async fn deadline_rules_are_data_the_administrator_changes(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        let page = admin.get("/admin/deadlines").await.html();
        assert_eq!(page.text("#rule-assigned td:nth-child(2)"), "7个工作日");
        assert_eq!(page.text("#rule-submitted td:nth-child(2)"), "24小时");
        let r = admin.post_form("/admin/deadlines", &[("stage", "assigned"), ("span", "5wd")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(admin.get("/admin/deadlines").await.html().text("#rule-assigned td:nth-child(2)"), "5个工作日");
        let d = app.db.deadlines(liaison_domain::subject::SubjectKind::Opinion).await.unwrap();
        assert_eq!(d.span_of("assigned"), Some(liaison_domain::calendar::Span::WorkingDays(5)));
        // a bad value is named, what was typed stays, nothing changes
        let r = admin.post_form("/admin/deadlines", &[("stage", "assigned"), ("number", "七"), ("unit", "d")]).await;
        assert_eq!(r.status.as_u16(), 422);
        let doc = r.html();
        assert!(doc.text("#rule-assigned").contains("不是有效的期限"));
        assert_eq!(doc.attrs("#rule-assigned input[name=number]", "value"), ["七"]);
        assert_eq!(doc.attr("#rule-assigned select[name=unit] option[selected]", "value").as_deref(), Some("d"));
        assert_eq!(app.db.deadlines(liaison_domain::subject::SubjectKind::Opinion).await.unwrap().span_of("assigned"), Some(liaison_domain::calendar::Span::WorkingDays(5)));
        // township staff may not
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        assert_eq!(clerk.get("/admin/deadlines").await.status.as_u16(), 403);
        assert_eq!(clerk.post_form("/admin/deadlines", &[("stage", "assigned"), ("span", "1wd")]).await.status.as_u16(), 403);
    }
);

both_backends!(
    async fn deadline_rules_are_kept_a_minute_and_forgotten_at_once_on_a_save(db) {
        use liaison_domain::calendar::Span;
        let c = cast(&db).await;
        // another instance on the same database keeps what it read
        let other = liaison_store::Store::connect(&db.url).await.unwrap();
        let span = async |s: &liaison_store::Store| s.deadlines(liaison_domain::subject::SubjectKind::Opinion).await.unwrap().span_of("assigned");
        assert_eq!(span(&other).await, Some(Span::WorkingDays(7)));
        assert_eq!(span(&db).await, Some(Span::WorkingDays(7)));
        let admin = db.scope_of(c.id("sysadmin")).await.unwrap();
        db.set_deadline_rule(&admin, &liaison_store::Actor::of(&admin, "-"), liaison_domain::subject::SubjectKind::Opinion, "assigned", Span::WorkingDays(5))
            .await
            .unwrap();
        assert_eq!(span(&db).await, Some(Span::WorkingDays(5)), "the saving instance forgets at once");
        assert_eq!(span(&other).await, Some(Span::WorkingDays(7)), "others within the minute");
        assert_eq!(db.deadlines(liaison_domain::subject::SubjectKind::Opinion).await.unwrap().rules.len(), 7, "the opinion rules only");
        other.close().await;
    }
);
