//! Bulk actions offer only the items the chosen action can apply to: the state machine's table and the
//! access rules decide, as on the item page. A deputy's new item (the deputy holds it) is not offered
//! for 批量登记受理 until the deputy hands it over; an item passed up to the county is offered to the
//! county's staff, not to the township's.

use crate::support::*;
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

async fn receipt_id(app: &TestApp, v: &mut Client<'_>, code: &str, what: &str) -> i64 {
    let r = report(v, code, &[("category", "roads"), ("description", what)], None).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let receipt = r.html().text("#receipt").replace('-', "");
    app.db.track(&receipt, "").await.unwrap().unwrap().id
}

/// The ids the bulk page offers for `action`, sorted.
async fn offered(c: &mut Client<'_>, action: &str) -> Vec<i64> {
    let r = c.get(&format!("/opinions/bulk?action={action}")).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let page = r.html();
    assert!(page.text("h1").contains("批量"), "the bulk page itself");
    let mut ids: Vec<i64> = page
        .attrs("input[name=ids]", "value")
        .iter()
        .map(|v| v.parse().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

both_backends!(
    async fn bulk_actions_offer_only_items_the_action_applies_to(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let at_station = receipt_id(&app, &mut voter, &w.station_code, "村道坑洼，雨天积水严重").await;
        let at_station2 = receipt_id(&app, &mut voter, &w.station_code, "村口桥面护栏松动").await;
        let to_deputy = receipt_id(&app, &mut voter, &w.deputy_code, "灌溉水渠堵塞需要清理").await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        // the deputy's new item is the deputy's: staff cannot register it, so it is not offered
        assert_eq!(offered(&mut clerk, "accept").await, vec![at_station, at_station2]);
        assert_eq!(offered(&mut clerk, "answer_on_spot").await, vec![at_station, at_station2]);
        // once handed over, it is
        let mut deputy = app.client();
        deputy.login("deputy", PASSWORD).await;
        let r = act(&mut deputy, to_deputy, &[("as", "deputy"), ("action", "hand_over"), ("note", "请站点登记办理")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(offered(&mut clerk, "accept").await, vec![at_station, at_station2, to_deputy]);
        // accepted items are offered for assignment; one passed up to the county leaves the township's list
        for id in [at_station, at_station2] {
            let r = act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await;
            assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        }
        assert_eq!(offered(&mut clerk, "assign").await, vec![at_station, at_station2]);
        let r = act(&mut clerk, at_station2, &[("as", "staff"), ("action", "escalate"), ("note", "涉及县道，需县级协调")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        assert_eq!(offered(&mut clerk, "assign").await, vec![at_station]);
        let mut county = app.client();
        county.login("county_clerk", PASSWORD).await;
        assert_eq!(offered(&mut county, "assign").await, vec![at_station, at_station2]);
        // and what was not offered is still refused when posted (the same rule, not the page's list)
        let r = clerk.post_form("/opinions/bulk", &[("action", "assign"), ("unit", &w.unit_id.to_string()), ("ids", &at_station2.to_string())]).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let outcome = r.html().text("#outcomes");
        assert!(outcome.contains("成功 0 项，未处理 1 项"), "{outcome}");
        assert!(outcome.contains("已上报县级"), "{outcome}");
    }
);
