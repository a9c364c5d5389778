//! 民生实事 on both backends: the county office adds candidates (mistakes come back beside their
//! fields), enters the congress's vote (one chosen, one not), assigns the chosen one; the unit reports
//! progress; deputies' inspection is recorded; the unit reports it done; a failed year-end test sends
//! it back (the unit hears of it); the second test closes it; the public board shows it. Another
//! township's office and other units see nothing of it; every step is audited.

use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

use crate::support::*;

async fn logged_in<'a>(app: &'a TestApp, user: &str) -> Client<'a> {
    let mut c = app.client();
    c.login(user, PASSWORD).await;
    c
}

async fn step(c: &mut Client<'_>, id: i64, fields: &[(&str, &str)]) -> liaison_testkit::app::TestResponse {
    c.get(&format!("/projects/{id}")).await;
    c.post_form(&format!("/projects/{id}/act"), fields).await
}

fn ok(r: &liaison_testkit::app::TestResponse, what: &str) {
    assert_eq!(r.status.as_u16(), 303, "{what}: {}", r.body);
}

async fn candidate(c: &mut Client<'_>, title: &str) -> i64 {
    c.get("/projects/new").await;
    let r = c
        .post_form(
            "/projects/new",
            &[
                ("title", title),
                ("body", "改造城区老旧小区供暖管网，年底前完工通暖。"),
                ("year", "2026"),
                ("origin", "suggestion"),
                ("budget", "1250"),
            ],
        )
        .await;
    ok(&r, "create");
    r.location()
        .unwrap()
        .trim_start_matches("/projects/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

both_backends!(
    async fn a_livelihood_project_is_voted_assigned_reported_and_rated(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut office = logged_in(&app, "county_clerk").await;

        // a mistake comes back beside its field, the words kept
        office.get("/projects/new").await;
        let bad = office
            .post_form("/projects/new", &[("title", "供暖"), ("body", "改造城区老旧小区供暖管网。"), ("year", "2026"), ("budget", "很多")])
            .await;
        assert_eq!(bad.status.as_u16(), 422);
        let page = bad.html();
        assert!(page.text("[data-field=title]").contains("项目名称"));
        assert!(page.text("[data-field=origin]").contains("项目来源"));
        assert!(page.text("[data-field=budget]").contains("万元"));
        assert_eq!(page.text("textarea[name=body]"), "改造城区老旧小区供暖管网。");

        let heating = candidate(&mut office, "城区老旧小区供暖管网改造").await;
        let pool = candidate(&mut office, "新建城东全民健身游泳馆").await;
        // a count with more votes than deputies present is refused beside the field
        let r = step(&mut office, heating, &[("do", "vote"), ("present", "100"), ("yes", "90"), ("no", "20"), ("abstain", "0")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert!(r.html().text("[data-field=yes]").contains("超过出席人数"));
        ok(&step(&mut office, heating, &[("do", "vote"), ("present", "120"), ("yes", "98"), ("no", "12"), ("abstain", "10")]).await, "vote");
        ok(&step(&mut office, pool, &[("do", "vote"), ("present", "120"), ("yes", "50"), ("no", "60"), ("abstain", "10")]).await, "vote 2");
        assert_eq!(office.get(&format!("/projects/{pool}")).await.html().text("#stage"), "未入选");
        let unit = w.unit_id.to_string();
        ok(&step(&mut office, heating, &[("do", "assign"), ("unit", &unit)]).await, "assign");

        // the unit hears of it, reports progress, then completion
        let mut u = logged_in(&app, "unit").await;
        assert!(u.get("/inbox").await.html().text("body").contains("城区老旧小区供暖管网改造"));
        let r = step(&mut u, heating, &[("do", "report"), ("percent", "140"), ("note", "管网开挖完成")]).await;
        assert_eq!(r.status.as_u16(), 422);
        ok(&step(&mut u, heating, &[("do", "report"), ("percent", "40"), ("note", "已完成 5 个小区管网开挖")]).await, "report");
        ok(&step(&mut office, heating, &[("do", "inspect"), ("note", "9月10日，张三、李四等8名代表视察，要求加快进度")]).await, "inspect");
        ok(&step(&mut u, heating, &[("do", "complete"), ("note", "12个小区全部通暖")]).await, "complete");

        // a failed test sends it back; the unit hears of it
        ok(&step(&mut office, heating, &[("do", "test"), ("satisfied", "20"), ("basic", "20"), ("unsatisfied", "60")]).await, "test 1");
        let page = office.get(&format!("/projects/{heating}")).await.html();
        assert_eq!(page.text("#stage"), "实施中");
        assert!(page.text("#test").contains("未通过"));
        assert!(u.get("/inbox").await.html().text("body").contains("满意度测评未通过，请整改"));
        ok(&step(&mut u, heating, &[("do", "complete"), ("note", "整改完成，室温达标")]).await, "complete again");
        ok(&step(&mut office, heating, &[("do", "test"), ("satisfied", "70"), ("basic", "20"), ("unsatisfied", "10")]).await, "test 2");
        assert_eq!(office.get(&format!("/projects/{heating}")).await.html().text("#stage"), "已办结");

        // the public board: the chosen project with its vote, unit, progress and test; not the other
        let mut public = app.client();
        let b = public.get("/board/projects?region=632521&year=2026").await;
        assert_eq!(b.status.as_u16(), 200, "{}", b.body);
        let doc = b.html();
        let row = doc.text(&format!("#board tr[data-id=\"{heating}\"]"));
        for want in ["城区老旧小区供暖管网改造", "赞成 98", "恰卜恰镇人民政府", "100%", "已办结", "90.0%（通过）"] {
            assert!(row.contains(want), "{want} in {row}");
        }
        assert_eq!(doc.count(&format!("#board tr[data-id=\"{pool}\"]")), 0, "not chosen, not on the board");

        // out of reach: another township's office, and a deputy
        let mut far = logged_in(&app, "other_town_clerk").await;
        assert_eq!(far.get(&format!("/projects/{heating}")).await.status.as_u16(), 404);
        let mut dep = logged_in(&app, "deputy").await;
        assert_eq!(dep.get(&format!("/projects/{heating}")).await.status.as_u16(), 404);

        let mut aud = logged_in(&app, "auditor").await;
        let target = format!("project:{heating}");
        for want in ["project.create", "project.vote", "project.assign", "project.report", "project.inspect", "project.complete", "project.test"] {
            let items = aud.get_json(&format!("/api/v1/audit?action={want}")).await.json()["items"].as_array().unwrap().clone();
            assert!(items.iter().any(|i| i["target"] == target.as_str()), "{want}: {items:?}");
        }
    }
);
