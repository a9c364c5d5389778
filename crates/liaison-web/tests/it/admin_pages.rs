//! The administrators' pages as people use them: the region picker, the audit page with filters and the
//! chain check, enabling and disabling accounts.

use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

both_backends!(
    async fn region_picker_cascades_within_the_subtree(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        c.login("sysadmin", PASSWORD).await;
        let r = c.get("/regions/picker?field=region&code=632521100201").await;
        assert_eq!(r.status.as_u16(), 200);
        let doc = r.html();
        // one select named after the field: the way down from the county to the chosen village
        assert_eq!(doc.count("select"), 1);
        assert_eq!(doc.attr("select[name=region] option[selected]", "value").as_deref(), Some("632521100201"));
        let values = doc.attrs("select[name=region] option", "value");
        assert_eq!(&values[..3], ["632521", "632521100", "632521100201"]);
        assert!(doc.text(".hint").contains("东香卡村"));
        // htmx sends the select's value under the field's name
        let r = c.get("/regions/picker?field=region&region=632521100").await;
        let doc = r.html();
        assert_eq!(doc.attr("select option[selected]", "value").as_deref(), Some("632521100"));
        assert!(doc.attrs("select option", "value").contains(&"632521100201".to_owned()), "the township's villages");
        assert_eq!(doc.count("button[name=_drill]"), 1, "a way down without JavaScript");
        // a code outside the subtree falls back to the root
        let r = c.get("/regions/picker?field=region&code=520112").await;
        assert_eq!(r.html().attr("select option[selected]", "value").as_deref(), Some("632521"));
        // the new-account form carries it
        let form = c.get("/admin/accounts/new").await.html();
        assert_eq!(form.count("#picker-region select"), 1);
    }
);

both_backends!(
    async fn audit_page_filters_and_verifies(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        let id = app.db.login_record("deputy").await.unwrap().unwrap().id;
        assert_eq!(admin.post_form(&format!("/admin/accounts/{id}/disable"), &[]).await.status.as_u16(), 303);
        // a disabled account cannot log in
        let r = app.client().login("deputy", PASSWORD).await;
        assert!(r.html().text("#login-error").contains("停用"));
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let doc = aud.get("/admin/audit?action=account.disable").await.html();
        let actions = doc.texts("#audit tbody td:nth-child(4)");
        assert_eq!(actions, ["停用账号"]);
        assert_eq!(doc.texts("#audit tbody td:nth-child(3)"), ["sysadmin"]);
        // a bad date is named, not a crash
        let r = aud.get("/admin/audit?from=2026-13-01").await;
        assert!(r.html().text(".alert.error").contains("开始日期"));
        // today's entries are found by date (Beijing time)
        let today = liaison_domain::time::today().to_string();
        let doc = aud.get(&format!("/admin/audit?from={today}&to={today}")).await.html();
        assert!(doc.count("#audit tbody tr") > 10);
        let doc = aud.get("/admin/audit?to=2020-01-01").await.html();
        assert_eq!(doc.texts("#audit tbody td"), ["没有符合条件的记录"]);
        let doc = aud.get("/admin/audit?verify=1").await.html();
        assert!(doc.text("#chain-status").contains("日志完整"));
    }
);

both_backends!(
    async fn audit_page_names_registry_actions_in_chinese(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        let mut station = vec![("name", "西台村代表联络点"), ("kind", "point"), ("region", "632521100202"), ("reception_rule", "每周三上午")];
        let r = clerk.post_form("/stations", &station).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let at = r.location().unwrap().split('?').next().unwrap().to_owned();
        station.push(("address", "西台村委会"));
        assert_eq!(clerk.post_form(&at, &station).await.status.as_u16(), 303);
        let unit = [("region", "632521"), ("name", "共和县交通运输局"), ("kind", "department")];
        assert_eq!(clerk.post_form("/units", &unit).await.status.as_u16(), 303);
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let r = aud.get("/admin/audit").await;
        assert_eq!(r.status.as_u16(), 200);
        let doc = r.html();
        let actions = doc.texts("#audit tbody td:nth-child(4)");
        for label in ["修改站点信息", "新增站点", "登记承办单位", "登录成功", "创建账号"] {
            assert!(actions.iter().any(|a| a == label), "{label} in {actions:?}");
        }
        // neither the table nor the filter shows a stored code
        let options = doc.texts("select[name=action] option");
        for text in actions.iter().chain(&options) {
            assert!(!text.contains('.') && !text.is_ascii(), "raw code shown: {text}");
        }
        // the filter offers the label and keeps the code as its value
        assert!(options.iter().any(|o| o == "修改站点信息"));
        let doc = aud.get("/admin/audit?action=station.update").await.html();
        assert_eq!(doc.texts("#audit tbody td:nth-child(4)"), ["修改站点信息"]);
    }
);

both_backends!(
    async fn unit_and_station_accounts_are_bound_within_their_region(db) {
        let c = cast(&db).await;
        let county = db.scope_of(c.id("county_clerk")).await.unwrap();
        let a = liaison_store::Actor::of(&county, "-");
        let unit = |name: &str, region: &str| liaison_store::registry::unit::UnitInput {
            region: liaison_domain::RegionCode::parse(region).unwrap(),
            name: name.into(),
            kind: "department".into(),
            phone: String::new(),
        };
        let (bureau, _) = db.upsert_unit(&county, &a, &unit("共和县交通运输局", "632521")).await.unwrap();
        let app = TestApp::with_db(db);
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        let form = admin.get("/admin/accounts/new").await.html();
        assert!(form.texts("select[name=unit_id] option").iter().any(|t| t.starts_with("共和县交通运输局")));
        let base = [("username", "jiaotong"), ("display_name", "交通局办理人"), ("roles", "handling_unit")];
        // the role needs its unit
        let mut f = base.to_vec();
        f.push(("region", "632521"));
        let r = admin.post_form("/admin/accounts", &f).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().texts("ul.errors li").iter().any(|e| e.contains("须选择所属承办单位")));
        // a county unit cannot be bound to a township account
        let id = bureau.to_string();
        let mut f = base.to_vec();
        f.extend([("region", "632521100"), ("unit_id", id.as_str())]);
        let r = admin.post_form("/admin/accounts", &f).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().texts("ul.errors li").iter().any(|e| e.contains("不在该账号的行政区内")), "{}", r.body);
        // at the county it is fine
        let mut f = base.to_vec();
        f.extend([("region", "632521"), ("unit_id", id.as_str())]);
        let r = admin.post_form("/admin/accounts", &f).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let rec = app.db.login_record("jiaotong").await.unwrap().unwrap();
        assert_eq!(app.db.scope_of(rec.id).await.unwrap().unit_id, Some(bureau));
    }
);
