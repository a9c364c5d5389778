//! Personal information in an item's words, through the web on both backends: published text masks
//! every mobile however it is written and keeps the deployment's public numbers (公开电话); a merged
//! item's citizen never sees the survivor's private answer; a handling unit the citizen did not allow
//! sees every text of the item masked. The registry's side: `privacy_registry`.

use crate::support::*;
use liaison_store::Actor;
use liaison_store::registry::unit::UnitInput;
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

pub(crate) const OFFICE: &str = "0974-8515566";

/// The citizen's mobile as the probe wrote it: in Chinese numerals, and with every kind of separator.
const SPELLED: [&str; 5] = [
    "一三九一二三四五六七八",
    "139.1234.5678",
    "(139)1234\u{2014}5678",
    "１３９１２３４５６７８",
    "139\u{200B}1234\u{200B}5678",
];

/// No trace of the citizen's mobile in any of its writings, nor of their name.
fn assert_clean(body: &str, what: &str) {
    for s in SPELLED
        .iter()
        .copied()
        .chain([CITIZEN_PHONE, "1234", "二三四五", "王秀英"])
    {
        assert!(!body.contains(s), "{what} shows {s}");
    }
}

/// The item id of the first link in the caller's queue.
async fn first_item(c: &mut Client<'_>) -> i64 {
    let links = c.get("/opinions").await.html().attrs("#queue a", "href");
    links[0].trim_start_matches("/opinions/").parse().unwrap()
}

pub(crate) async fn audit_rows(app: &TestApp, action: &str) -> Vec<serde_json::Value> {
    let mut aud = app.client();
    aud.login("auditor", PASSWORD).await;
    aud.get_json(&format!("/api/v1/audit?action={action}"))
        .await
        .json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Staff take an item from the room to published: accept, answer on the spot, rate, publish.
async fn publish(clerk: &mut Client<'_>, id: i64, text: &str) {
    for step in [
        vec![("as", "staff"), ("action", "accept")],
        vec![("as", "staff"), ("action", "answer_on_spot"), ("note", "已修复")],
        vec![("as", "staff"), ("action", "rate"), ("rating", "satisfied")],
        vec![("as", "staff"), ("action", "publish"), ("public_text", text)],
    ] {
        let r = act(clerk, id, &step).await;
        assert_eq!(r.status.as_u16(), 303, "{step:?}: {}", r.body);
    }
}

both_backends!(
    async fn published_text_keeps_office_numbers_and_masks_every_mobile_spelling(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        // the township government's office number is in the registry: it is public
        let county = app.db.scope_of(c.id("county_clerk")).await.unwrap();
        let unit = UnitInput { region: rc("632521100"), name: "恰卜恰镇人民政府".into(), kind: "township_government".into(), phone: OFFICE.into() };
        app.db.upsert_unit(&county, &Actor::of(&county, "-"), &unit).await.unwrap();
        let mut voter = app.client();
        let r = report(&mut voter, &w.station_code, &[("category", "street_lights"), ("description", "村口路灯坏了")], None).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let id = first_item(&mut clerk).await;
        let text = format!("村口路灯已修复。群众留言：{}；{}；{}；{}；{}。咨询电话{OFFICE}", SPELLED[0], SPELLED[1], SPELLED[2], SPELLED[3], SPELLED[4]);
        publish(&mut clerk, id, &text).await;
        let list = voter.get("/published").await;
        assert_eq!(list.status.as_u16(), 200);
        assert!(list.body.contains("村口路灯已修复"), "{}", list.body);
        assert_clean(&list.body, "the public list");
        assert!(list.body.contains(OFFICE), "the unit's office number is public and stays: {}", list.body);
    }
);

both_backends!(
    async fn staff_keep_a_list_of_public_numbers_that_masking_leaves_alone(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        clerk.get("/public-phones").await;
        let r = clerk.post_form("/public-phones", &[("number", "12345"), ("label", "")]).await;
        assert_eq!(r.status.as_u16(), 422, "not a number, no label: {}", r.body);
        let r = clerk.post_form("/public-phones", &[("number", "0974-8519999"), ("label", "县信访局"), ("region", "632521")]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let page = clerk.get("/public-phones").await.html();
        assert!(page.text("#public-phones").contains("县信访局"));
        assert_eq!(audit_rows(&app, "public_phone.add").await.len(), 1);
        let mut voter = app.client();
        let r = report(&mut voter, &w.station_code, &[("category", "street_lights"), ("description", "村口的路灯坏了一个星期")], None).await;
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
        let mut town = app.client();
        town.login("town_clerk", PASSWORD).await;
        let id = first_item(&mut town).await;
        publish(&mut town, id, "已修复，监督电话（0974）851 9999，或13912345678").await;
        let list = voter.get("/published").await.html().text("#published");
        assert!(list.contains("（0974）851 9999"), "{list}");
        assert!(!list.contains("13912345678") && list.contains("139******78"), "{list}");
        // a township clerk cannot remove the county's number
        let remove = page.attrs("#public-phones form[action$='/remove']", "action");
        assert_eq!(town.post_form(&remove[0], &[]).await.status.as_u16(), 404);
        assert_eq!(clerk.post_form(&remove[0], &[]).await.status.as_u16(), 303);
        assert!(!clerk.get("/public-phones").await.html().text("#public-phones").contains("县信访局"));
    }
);

both_backends!(
    async fn a_merged_items_citizen_never_sees_the_survivors_reply(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut a = app.client();
        let fields = [("category", "street_lights"), ("description", "幸福路路灯坏了"), ("name", "王秀英"), ("phone", CITIZEN_PHONE)];
        let receipt_a = report(&mut a, &w.station_code, &fields, None).await.html().text("#receipt");
        let mut b = app.client();
        let fields = [("category", "street_lights"), ("description", "幸福路的路灯不亮"), ("phone", "13700000002")];
        let receipt_b = report(&mut b, &w.station_code, &fields, None).await.html().text("#receipt");
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let ids: Vec<i64> = clerk.get("/opinions").await.html().attrs("#queue a", "href").iter().map(|h| h.trim_start_matches("/opinions/").parse().unwrap()).collect();
        let (survivor, duplicate) = (*ids.iter().min().unwrap(), *ids.iter().max().unwrap());
        for id in [survivor, duplicate] {
            assert_eq!(act(&mut clerk, id, &[("as", "staff"), ("action", "accept")]).await.status.as_u16(), 303);
        }
        let r = act(&mut clerk, duplicate, &[("as", "staff"), ("action", "merge"), ("into", &survivor.to_string())]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let unit = w.unit_id.to_string();
        act(&mut clerk, survivor, &[("as", "staff"), ("action", "assign"), ("unit", &unit)]).await;
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        let reply = format!("王秀英您好：您家门口的路灯已修复，如有问题请回电{CITIZEN_PHONE}");
        assert_eq!(act(&mut u, survivor, &[("as", "unit"), ("action", "reply"), ("note", &reply)]).await.status.as_u16(), 303);
        // A reads the reply; B, merged into A, sees the progress and a plain line, not A's reply
        let t = a.get(&format!("/t?r={receipt_a}&d=5678")).await.html();
        assert!(t.text("#track-answer").contains("路灯已修复"));
        let t = b.get(&format!("/t?r={receipt_b}&d=0002")).await;
        assert_eq!(t.status.as_u16(), 200, "{}", t.body);
        assert_eq!(t.html().text("#track-stage"), "已答复");
        assert!(t.html().text("#track-answer").contains("合并办理"), "{}", t.body);
        assert_clean(&t.body, "the merged item's tracking page");
        assert!(!t.body.contains("路灯已修复"), "not the survivor's reply");
        // once A is published, B reads the published text, masked
        act(&mut clerk, survivor, &[("as", "staff"), ("action", "feedback")]).await;
        act(&mut clerk, survivor, &[("as", "staff"), ("action", "rate"), ("rating", "satisfied")]).await;
        let public = "【路灯】幸福路路灯已修复。群众王秀英，电话13912345678";
        let r = act(&mut clerk, survivor, &[("as", "staff"), ("action", "publish"), ("public_text", public)]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let t = b.get(&format!("/t?r={receipt_b}&d=0002")).await;
        assert_eq!(t.html().text("#track-stage"), "已办结");
        assert!(t.html().text("#track-answer").contains("幸福路路灯已修复"), "{}", t.body);
        assert_clean(&t.body, "the merged item's page once published");
    }
);

/// A citizen's item at the room with their name and mobile, and words about them in every kind of
/// staff text; assigned to the unit. Returns the item id.
async fn item_with_words_about_the_citizen(app: &TestApp, w: &World, share: bool) -> i64 {
    let mut voter = app.client();
    let mut fields = vec![
        ("category", "street_lights"),
        ("description", "我是王秀英，家门口路灯坏了，请打139-1234-5678"),
        ("name", "王秀英"),
        ("phone", CITIZEN_PHONE),
    ];
    if share {
        fields.push(("share", "on"));
    }
    let r = report(&mut voter, &w.station_code, &fields, None).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let mut clerk = app.client();
    clerk.login("town_clerk", PASSWORD).await;
    let id = first_item(&mut clerk).await;
    let unit = w.unit_id.to_string();
    for step in [
        vec![
            ("as", "staff"),
            ("action", "accept"),
            ("note", "已与王秀英电话（139 1234 5678）核实"),
        ],
        vec![
            ("as", "staff"),
            ("action", "assign"),
            ("unit", &unit),
            ("note", "联系人王秀英，一三九一二三四五六七八"),
        ],
    ] {
        let r = act(&mut clerk, id, &step).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    }
    let r = clerk
        .post_form(
            &format!("/opinions/{id}/note"),
            &[("body", "王秀英说晚上在家，电话139.1234.5678")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let r = clerk
        .post_form(
            &format!("/opinions/{id}/supervise"),
            &[("demand", "请联系王秀英（１３９１２３４５６７８）后答复")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    id
}

both_backends!(
    async fn a_unit_the_citizen_did_not_allow_sees_every_text_masked(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let id = item_with_words_about_the_citizen(&app, &w, false).await;
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        let page = u.get(&format!("/opinions/{id}")).await;
        assert_eq!(page.status.as_u16(), 200, "{}", page.body);
        assert!(page.body.contains("家门口路灯坏了") && page.html().text("#history").contains("交办"), "the words are there");
        assert!(page.html().text("#notes + section").contains("晚上在家"));
        assert_clean(&page.body, "the unit's item page");
        let queue = u.get("/opinions").await;
        assert_clean(&queue.body, "the unit's queue");
        let sheet = page.html().attrs("#supervision + section a[href^='/supervision/']", "href");
        let print = u.get(&sheet[0]).await;
        assert_eq!(print.status.as_u16(), 200, "{}", print.body);
        assert!(print.body.contains("后答复"));
        assert_clean(&print.body, "the printed 督办单");
        let (status, xlsx) = u.get_bytes("/opinions/export.xlsx").await;
        assert_eq!(status.as_u16(), 200);
        assert_clean(&xlsx_text(&xlsx), "the unit's export");
        // the staff handling it see everything
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let staff_view = clerk.get(&format!("/opinions/{id}")).await;
        assert!(staff_view.body.contains("王秀英说晚上在家，电话139.1234.5678"));
    }
);

both_backends!(
    async fn a_unit_the_citizen_allowed_sees_the_words_as_written(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let id = item_with_words_about_the_citizen(&app, &w, true).await;
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        let page = u.get(&format!("/opinions/{id}")).await;
        assert!(page.body.contains("王秀英说晚上在家，电话139.1234.5678"), "{}", page.body);
        assert!(page.body.contains("我是王秀英"));
    }
);

/// The text of every cell of an .xlsx, joined.
pub(crate) fn xlsx_text(bytes: &[u8]) -> String {
    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut out = String::new();
    for name in wb.sheet_names() {
        if let Ok(range) = wb.worksheet_range(&name) {
            for row in range.rows() {
                for cell in row {
                    out.push_str(&cell.to_string());
                    out.push('\t');
                }
            }
        }
    }
    out
}
