//! The work queue on a PC: finding an item by receipt code, by a word or by the last 4 digits of the
//! citizen's phone (that search audited), by handling unit, the number of matches, the dense table
//! with boxes to tick for a bulk action, and the bulk page's table with 全选 that works without script.

use crate::support::*;
use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

both_backends!(
    async fn a_clerk_finds_items_and_ticks_them_in_a_table(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let lamp = report(&mut voter, &w.station_code, &[("category", "street_lights"), ("description", "幸福路100%的路灯坏了"), ("phone", "13900001234")], None).await.html().text("#receipt");
        report(&mut voter, &w.station_code, &[("category", "roads"), ("description", "村道破损严重，雨天积水"), ("phone", "13900005678")], None).await;
        report(&mut voter, &w.station_code, &[("category", "roads"), ("description", "小桥桥面出现裂缝")], None).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let all = clerk.get("/opinions?tab=region").await.html();
        assert_eq!(all.text("#total strong"), "3");
        // a word, with a wildcard in it taken as written
        let found = clerk.get(&format!("/opinions?tab=region&q={}", liaison_web_urlencode("100%的路灯"))).await.html();
        assert_eq!(found.text("#total strong"), "1");
        assert_eq!(found.count("#queue .item-link"), 1);
        assert_eq!(clerk.get("/opinions?tab=region&q=%25").await.html().text("#total strong"), "1", "only the item with a real %");
        // the receipt code, as the citizen reads it out (with its dash, in lower case)
        let by_receipt = clerk.get(&format!("/opinions?tab=region&q={}", lamp.to_lowercase())).await.html();
        assert_eq!(by_receipt.text("#total strong"), "1");
        let id: i64 = by_receipt.attrs("#queue a", "href")[0].trim_start_matches("/opinions/").parse().unwrap();
        // the last 4 digits of the phone: found, and the search is in the audit log
        let by_phone = clerk.get("/opinions?tab=region&phone4=1234").await.html();
        assert_eq!(by_phone.attrs("#queue a", "href"), [format!("/opinions/{id}")]);
        assert_eq!(clerk.get("/opinions?tab=region&phone4=12a4").await.status.as_u16(), 422);
        let mut aud = app.client();
        aud.login("auditor", PASSWORD).await;
        let j = aud.get_json("/api/v1/audit?action=personal.read").await.json();
        let searches: Vec<_> = j["items"].as_array().unwrap().iter().filter(|e| e["target"] == "opinion:search").collect();
        assert_eq!(searches.len(), 1, "{j}");
        // a unit has no phone search
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        assert_eq!(u.get("/opinions?tab=unit&phone4=1234").await.status.as_u16(), 422);
        // by handling unit
        let unit = w.unit_id.to_string();
        act(&mut clerk, id, &[("as", "staff"), ("action", "accept"), ("then", "assign"), ("unit", &unit)]).await;
        let by_unit = clerk.get(&format!("/opinions?tab=region&unit={unit}")).await.html();
        assert_eq!(by_unit.attrs("#queue a", "href"), [format!("/opinions/{id}")]);
        // the dense table, with receipt codes and boxes that lead to the bulk page ticked
        let table = clerk.get("/opinions?tab=region&view=table").await.html();
        assert_eq!(table.count("#queue-table tbody tr"), 3);
        assert!(table.text("#queue-table").contains(&lamp));
        let boxes = table.attrs("#queue-bulk input[name=ids]", "value");
        assert_eq!(boxes.len(), 3);
        assert_eq!(table.count("#queue"), 0, "the cards are the default view only");
        assert!(clerk.get("/opinions?tab=region").await.html().count("#queue .item-link") == 3);
        let others: Vec<&String> = boxes.iter().filter(|b| **b != id.to_string()).collect();
        let bulk = clerk.get(&format!("/opinions/bulk?action=accept&ids={}&ids={id}", others[0])).await.html();
        // only the items accepting applies to are rows: the assigned one is not
        assert_eq!(bulk.count("#bulk-table tbody tr"), 2);
        assert_eq!(bulk.attrs("#bulk-table input[name=ids][checked]", "value"), [others[0].clone()]);
        assert!(bulk.text("#bulk-table").contains('-'), "receipt codes shown");
        // 全选 without script
        let href = bulk.attrs("#select-all a", "href");
        assert_eq!(href, ["/opinions/bulk?action=accept&all=1"]);
        let every = clerk.get(&href[0]).await.html();
        assert_eq!(every.count("#bulk-table input[name=ids][checked]"), 2);
        assert_eq!(every.text("#select-all a"), "全不选");
    }
);

fn liaison_web_urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

both_backends!(
    async fn the_export_has_the_answer_the_rating_and_the_comment_masked(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut voter = app.client();
        let receipt = report(&mut voter, &w.station_code, &[("category", "street_lights"), ("description", "幸福路的路灯坏了一个月"), ("name", "王秀英"), ("phone", "13900001234")], None).await.html().text("#receipt");
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let id: i64 = clerk.get("/opinions?tab=region").await.html().attrs("#queue a", "href")[0].trim_start_matches("/opinions/").parse().unwrap();
        let unit = w.unit_id.to_string();
        act(&mut clerk, id, &[("as", "staff"), ("action", "accept"), ("then", "assign"), ("unit", &unit)]).await;
        let mut u = app.client();
        u.login("unit", PASSWORD).await;
        act(&mut u, id, &[("as", "unit"), ("action", "reply"), ("note", "已修复，维修师傅电话13812345678")]).await;
        voter.post_form("/t/rate", &[("r", &receipt), ("d", "1234"), ("rating", "unsatisfied"), ("note", "王秀英：还是不亮，请打13900001234")]).await;
        let (status, bytes) = clerk.get_bytes("/opinions/export.xlsx?tab=region").await;
        assert_eq!(status.as_u16(), 200);
        let sheet = {
            use calamine::{Reader, Xlsx, open_workbook_from_rs};
            let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
            let name = wb.sheet_names()[0].clone();
            wb.worksheet_range(&name).unwrap().rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>()).collect::<Vec<_>>()
        };
        let col = |h: &str| sheet[0].iter().position(|x| x == h).unwrap_or_else(|| panic!("no column {h}: {:?}", sheet[0]));
        let row = &sheet[1];
        assert_eq!(row[col("答复内容")], "已修复，维修师傅电话138******78");
        assert_eq!(row[col("评价")], "不满意");
        let comment = &row[col("群众评价意见")];
        assert!(comment.contains("还是不亮") && comment.contains("139******34"), "{comment}");
        assert!(!comment.contains("王秀英") && !comment.contains("13900001234"), "{comment}");
        assert!(!sheet.iter().flatten().any(|c| c.contains("13812345678") || c.contains("王秀英")));
    }
);
