//! 督办单落款: the organ that issues a region's 督办单 and their number prefix, set by the staff who
//! issue them for their own region; the printed 督办单 with its head, its 落款 and a seal area.

use chrono::Datelike;
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

use crate::support::*;

async fn newest(c: &mut Client<'_>) -> i64 {
    let links = c.get("/opinions").await.html().attrs("#queue a", "href");
    links[0].trim_start_matches("/opinions/").parse().unwrap()
}

/// An item at the township's room, assigned to the township government; returns its id.
async fn assigned(app: &TestApp, w: &World, clerk: &mut Client<'_>) -> i64 {
    let mut voter = app.client();
    report(
        &mut voter,
        &w.station_code,
        &[("category", "street_lights"), ("description", "桥头路灯不亮")],
        None,
    )
    .await;
    let id = newest(clerk).await;
    let unit = w.unit_id.to_string();
    let r = act(
        clerk,
        id,
        &[
            ("as", "staff"),
            ("action", "accept"),
            ("then", "assign"),
            ("unit", &unit),
        ],
    )
    .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    id
}

both_backends!(
    async fn the_supervision_order_prints_the_organ_its_prefix_and_a_seal_area(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let id = assigned(&app, &w, &mut clerk).await;
        let year = liaison_domain::time::today().year();
        // nothing set yet: the township's default organ and "督"; the print offers the settings
        let r = clerk.post_form(&format!("/opinions/{id}/supervise"), &[("demand", "请抓紧办理")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let first = r.location().unwrap().to_owned();
        let sheet = clerk.get(&first).await.html();
        assert_eq!(sheet.text("#notice-number"), format!("督〔{year}〕第0001号"));
        assert_eq!(sheet.text("#notice-organ"), "恰卜恰镇人大常委会");
        assert_eq!(sheet.count("#organ-unset a[href^='/supervision/organ']"), 1);
        // the form is reachable from the item's 督办 section, and shows what is in force
        let item = clerk.get(&format!("/opinions/{id}")).await.html();
        let link = item.attr("#organ-link", "href").expect("a link to the 督办单 settings");
        let form = clerk.get(&link).await.html();
        assert_eq!(form.attr("input[name=organ]", "value").as_deref(), Some("恰卜恰镇人大常委会"));
        assert_eq!(form.attr("input[name=prefix]", "value").as_deref(), Some("督"));
        assert_eq!(form.count("#organ-unset"), 1);
        // set: back to the item
        let f = [("organ", "共和县恰卜恰镇人大主席团"), ("prefix", "恰人大督"), ("back", &*format!("/opinions/{id}"))];
        let r = clerk.post_form("/supervision/organ", &f).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(r.location(), Some(&*format!("/opinions/{id}?done=saved")));
        // the next notice takes the prefix, counted anew; the first keeps its number
        let r = clerk.post_form(&format!("/opinions/{id}/supervise"), &[("demand", "再次督办")]).await;
        let sheet = clerk.get(r.location().unwrap()).await.html();
        assert_eq!(sheet.text("#notice-number"), format!("恰人大督〔{year}〕第0001号"));
        assert_eq!(sheet.text("#notice-organ"), "共和县恰卜恰镇人大主席团");
        assert_eq!(sheet.text("#notice-signatory"), "共和县恰卜恰镇人大主席团");
        let today = liaison_domain::supervision::chinese_date(liaison_domain::time::today());
        assert_eq!(sheet.text("#notice-date"), today);
        assert!(today.starts_with('二') && today.ends_with('日'), "{today}");
        assert_eq!(sheet.text("#notice-seal .seal"), "（盖章）");
        assert_eq!(sheet.count("#organ-unset"), 0, "set: no invitation to set it");
        assert_eq!(clerk.get(&first).await.html().text("#notice-number"), format!("督〔{year}〕第0001号"));
        // the unit prints the same sheet, without the settings link
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        let sheet = u.get(&first).await.html();
        assert_eq!(sheet.text("#notice-organ"), "共和县恰卜恰镇人大主席团");
        // another township keeps its own default; the unit cannot open the settings
        let mut other = app.client();
        other.login("other_town_clerk", PASSWORD).await;
        let form = other.get("/supervision/organ").await.html();
        assert_eq!(form.attr("input[name=organ]", "value").as_deref(), Some("倒淌河镇人大常委会"));
        assert_eq!(u.get("/supervision/organ").await.status.as_u16(), 403);
        // audited, with what it was before
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let items = aud.get_json("/api/v1/audit?action=supervision.organ").await.json()["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 1, "{items:?}");
        let detail = items[0].to_string();
        assert!(detail.contains("恰人大督") && detail.contains("恰卜恰镇人大常委会"), "{detail}");
    }
);

both_backends!(
    async fn an_organ_name_that_is_too_long_is_refused_beside_the_field(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        world(&app, &c).await;
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        clerk.get("/supervision/organ").await;
        let long = "某".repeat(61);
        let r = clerk.post_form("/supervision/organ", &[("organ", &long), ("prefix", "共人大督2")]).await;
        assert_eq!(r.status.as_u16(), 422);
        let page = r.html();
        assert!(page.text("#organ-form .field-error[data-field=organ]").contains("不超过 60 字"));
        assert!(page.text("#organ-form .field-error[data-field=prefix]").contains("不能含数字"));
        assert_eq!(page.attr("input[name=organ]", "value"), Some(long.clone()));
        assert_eq!(page.attr("input[name=prefix]", "value").as_deref(), Some("共人大督2"));
        // an empty name, a prefix too long
        let r = clerk.post_form("/supervision/organ", &[("organ", "  "), ("prefix", "共和县人大常委会代表工作督办")]).await;
        assert_eq!(r.status.as_u16(), 422);
        assert_eq!(r.html().count(".field-error[data-field=organ]"), 1);
        assert_eq!(r.html().count(".field-error[data-field=prefix]"), 1);
        // nothing was saved
        let form = clerk.get("/supervision/organ").await.html();
        assert_eq!(form.attr("input[name=organ]", "value").as_deref(), Some("共和县人大常委会"));
        assert_eq!(form.count("#organ-unset"), 1);
    }
);
