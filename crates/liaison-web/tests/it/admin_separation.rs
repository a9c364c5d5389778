//! 三员分立 on the account pages: the system administrator is never shown another administrator's
//! password, the pages offer only what the rule allows, nobody manages their own account here, and
//! what needs a second administrator or the security administrator's grant waits for them, audited.

use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

both_backends!(
    async fn the_system_administrator_is_never_shown_another_administrators_password(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let mut admin = app.client();
        admin.login("sysadmin", PASSWORD).await;
        for who in ["secadmin", "auditor"] {
            let id = c.id(who);
            let page = admin.get(&format!("/admin/accounts/{id}")).await;
            assert_eq!(page.status.as_u16(), 200);
            let doc = page.html();
            // only as requests another administrator confirms
            assert_eq!(doc.count(&format!("form[action='/admin/accounts/{id}/reset-password'] button:not([data-request])")), 0, "{who}: a reset the system administrator may not do alone");
            assert_eq!(doc.count(&format!("form[action='/admin/accounts/{id}/disable'] button:not([data-request])")), 0, "{who}: a disable it may not do alone");
            assert_eq!(doc.count("input[type=checkbox][name=roles]"), 0, "{who}: an administrator's roles are not edited");
            let r = admin.post_form(&format!("/admin/accounts/{id}/reset-password"), &[]).await;
            assert_eq!(r.html().count("#initial-password"), 0, "{who}: password shown: {}", r.body);
            let r = admin.post_form(&format!("/admin/accounts/{id}/disable"), &[]).await;
            assert_ne!(r.status.as_u16(), 200);
            // the administrator still logs in with their own password
            assert_eq!(app.client().login(who, PASSWORD).await.status.as_u16(), 303, "{who}");
        }
    }
);

both_backends!(
    async fn ones_own_account_page_offers_no_management(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        for who in ["sysadmin", "secadmin"] {
            let mut me = app.client();
            me.login(who, PASSWORD).await;
            let id = c.id(who);
            let doc = me.get(&format!("/admin/accounts/{id}")).await.html();
            assert_eq!(doc.count(&format!("form[action^='/admin/accounts/{id}/']")), 0, "{who}: buttons on own account");
            assert_eq!(doc.count("input[name=display_name]"), 0, "{who}: edit form on own account");
            // and posting anyway changes nothing
            let r = me.post_form(&format!("/admin/accounts/{id}"), &[("display_name", "改名"), ("region", "632521100"), ("roles", "system_admin")]).await;
            assert_ne!(r.status.as_u16(), 303, "{who}: own account edited");
            assert_eq!(app.db.scope_of(id).await.unwrap().region.short(), "632521");
        }
    }
);

both_backends!(
    async fn the_auditors_password_is_reset_by_two_administrators_and_the_auditor_sees_it(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let auditor = c.id("auditor");
        let mut sys = app.client();
        sys.login("sysadmin", PASSWORD).await;
        // the page offers the request, labelled as one, and nothing else on the auditor's account
        let doc = sys.get(&format!("/admin/accounts/{auditor}")).await.html();
        let labels = doc.texts("#account-actions button");
        assert_eq!(labels, ["申请停用账号（须安全管理员确认）", "申请重置密码（须安全管理员确认）"]);
        let r = sys.post_form(&format!("/admin/accounts/{auditor}/reset-password"), &[]).await;
        assert_eq!(r.location(), Some(format!("/admin/accounts/{auditor}?done=requested").as_str()));
        let doc = sys.get(&format!("/admin/accounts/{auditor}?done=requested")).await.html();
        assert!(doc.text(".notice").contains("待另一位管理员确认"));
        // the one who asked may withdraw it, not confirm it
        let doc = sys.get("/admin/requests").await.html();
        assert_eq!(doc.count("#requests tbody tr"), 1);
        assert_eq!(doc.count("form[action$='/confirm']"), 0);
        assert_eq!(doc.count("form[action$='/withdraw']"), 1);
        let id = doc.attr("#requests tbody tr", "data-request").unwrap();
        let r = sys.post_form(&format!("/admin/requests/{id}/confirm"), &[]).await;
        assert_eq!(r.status.as_u16(), 409);
        assert!(r.body.contains("另一位管理员确认"), "{}", r.body);
        // the security administrator confirms and receives the password; the auditor uses it
        let mut sec = app.client();
        sec.login("secadmin", PASSWORD).await;
        assert!(sec.get("/admin/accounts").await.html().text("#waiting").contains("1 条"));
        let doc = sec.get("/admin/requests").await.html();
        assert_eq!(doc.texts("form[action$='/confirm'] button"), ["确认执行"]);
        let r = sec.post_form(&format!("/admin/requests/{id}/confirm"), &[]).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let password = r.html().text("#initial-password");
        assert!(app.client().login("auditor", PASSWORD).await.status.as_u16() != 303, "the old password is gone");
        let mut aud = app.client();
        assert_eq!(aud.login("auditor", &password).await.status.as_u16(), 303);
        aud.post_form("/account/password", &[("current", &password), ("new", "Qz8!rTw5Kp"), ("confirm", "Qz8!rTw5Kp")]).await;
        // both steps are in the auditor's log, named in Chinese
        let doc = aud.get("/admin/audit?action=account.").await.html();
        let rows: Vec<(String, String)> = doc
            .texts("#audit tbody td:nth-child(3)")
            .into_iter()
            .zip(doc.texts("#audit tbody td:nth-child(4)"))
            .collect();
        assert!(rows.contains(&("sysadmin".into(), "提出账号申请（待另一位管理员确认）".into())), "{rows:?}");
        assert!(rows.contains(&("secadmin".into(), "重置密码".into())), "{rows:?}");
        // the auditor has the open requests page, and nothing left on it
        assert_eq!(aud.get("/admin/requests").await.html().count("#no-requests"), 1);
    }
);

both_backends!(
    async fn a_role_reading_personal_data_takes_effect_when_the_security_administrator_grants_it(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut sys = app.client();
        sys.login("sysadmin", PASSWORD).await;
        let form = sys.get("/admin/accounts/new").await.html();
        let marked: Vec<String> = form.texts("fieldset label").into_iter().filter(|l| l.contains("须安全管理员授权")).collect();
        assert!(marked.iter().any(|l| l.starts_with("乡镇人大")), "{marked:?}");
        assert!(!marked.iter().any(|l| l.starts_with("主任会议")), "{marked:?}");
        let fields = [("username", "newclerk"), ("display_name", "新同志"), ("region", "632521100"), ("roles", "township_staff")];
        let r = sys.post_form("/admin/accounts", &fields).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let doc = r.html();
        assert!(doc.text("#pending-grant").contains("须经安全管理员授权后生效"));
        let password = doc.text("#initial-password");
        let id = app.db.login_record("newclerk").await.unwrap().unwrap().id;
        assert_eq!(app.db.scope_of(id).await.unwrap().roles, []);
        let mut me = app.client();
        me.login("newclerk", &password).await;
        me.post_form("/account/password", &[("current", &password), ("new", "Qz8!rTw5Kp"), ("confirm", "Qz8!rTw5Kp")]).await;
        assert_eq!(me.get("/opinions").await.status.as_u16(), 403, "no citizen's data before the grant");
        // the security administrator ticks it and grants
        let mut sec = app.client();
        sec.login("secadmin", PASSWORD).await;
        let doc = sec.get("/admin/requests").await.html();
        let ids = doc.attrs("input[name=ids]", "value");
        assert_eq!(ids.len(), 1);
        let r = sec.post_form("/admin/requests", &[("ids", &ids[0])]).await;
        assert_eq!(r.location(), Some("/admin/requests?done=granted"));
        assert_eq!(app.db.scope_of(id).await.unwrap().roles, [liaison_domain::Role::TownshipStaff]);
        // the grant ended the session: logged in again, the clerk has the township's queue
        me.login("newclerk", "Qz8!rTw5Kp").await;
        assert_eq!(me.get("/opinions").await.status.as_u16(), 200);
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let doc = aud.get("/admin/audit?action=account.grant&actor=secadmin").await.html();
        assert_eq!(doc.texts("#audit tbody td:nth-child(4)"), ["授权角色和范围"]);
        assert_eq!(doc.texts("#audit tbody td:nth-child(3)"), ["secadmin"]);
    }
);

both_backends!(
    async fn the_form_refuses_an_administrator_role_with_another_next_to_the_roles(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let mut sys = app.client();
        sys.login("sysadmin", PASSWORD).await;
        // a new account: an administrator with a business role is named, nothing created
        let fields = [("username", "mixed"), ("display_name", "兼任"), ("region", "632521"), ("roles", "system_admin"), ("roles", "township_staff")];
        let r = sys.post_form("/admin/accounts", &fields).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().texts("ul.errors li").iter().any(|e| e.contains("三员分立")), "{}", r.body);
        assert!(app.db.login_record("mixed").await.unwrap().is_none());
        // an existing business account is offered no administrator role; one posted anyway is refused
        // next to the roles, and nothing changes
        let clerk = c.id("town_clerk");
        let doc = sys.get(&format!("/admin/accounts/{clerk}")).await.html();
        let offered = doc.attrs("input[name=roles]", "value");
        assert!(offered.iter().all(|r| !r.ends_with("admin") && r != "auditor"), "{offered:?}");
        let fields = [("display_name", "测试town_clerk"), ("region", "632521100"), ("roles", "auditor")];
        let r = sys.post_form(&format!("/admin/accounts/{clerk}"), &fields).await;
        assert_eq!(r.status.as_u16(), 422, "{}", r.body);
        assert!(r.html().text(".field-error[data-field=roles]").contains("管理员角色只能在新建账号时设定"), "{}", r.body);
        assert_eq!(app.db.scope_of(clerk).await.unwrap().roles, [liaison_domain::Role::TownshipStaff]);
        // an administrator's account shows its role and region as fixed
        let doc = sys.get(&format!("/admin/accounts/{}", c.id("auditor"))).await.html();
        assert_eq!(doc.count("#admin-fixed"), 1);
        assert_eq!(doc.count("input[type=checkbox][name=roles]"), 0);
    }
);

both_backends!(
    async fn the_auditor_confirms_a_reset_of_the_security_administrators_password(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let secadmin = c.id("secadmin");
        let mut sys = app.client();
        sys.login("sysadmin", PASSWORD).await;
        let doc = sys.get(&format!("/admin/accounts/{secadmin}")).await.html();
        assert!(doc.texts("#account-actions button").contains(&"申请重置密码（须审计管理员确认）".to_owned()));
        sys.post_form(&format!("/admin/accounts/{secadmin}/reset-password"), &[]).await;
        // the security administrator concerned sees it but may not decide it
        let mut sec = app.client();
        sec.login("secadmin", PASSWORD).await;
        let doc = sec.get("/admin/requests").await.html();
        assert_eq!(doc.count("#requests tbody tr"), 1);
        assert_eq!(doc.count("#requests form"), 0, "{}", doc.text("#requests"));
        // the auditor confirms, receives the password, and is not sent to pages it cannot open
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let doc = aud.get("/admin/requests").await.html();
        let id = doc.attr("#requests tbody tr", "data-request").unwrap();
        assert_eq!(doc.count("#requests a"), 0);
        let r = aud.post_form(&format!("/admin/requests/{id}/confirm"), &[]).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let doc = r.html();
        let password = doc.text("#initial-password");
        assert_eq!(doc.attrs("main a.button", "href"), ["/admin/requests"]);
        assert_eq!(app.client().login("secadmin", &password).await.status.as_u16(), 303);
    }
);
