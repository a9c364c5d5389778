//! Keyset paging through HTTP on both backends: the work queue's 下一页 walks every item exactly once,
//! newest first and by deadline; a link in the older form still opens the same page; and a page
//! position that does not parse, in any list, is the first page rather than an error.

use crate::support::*;
use chrono::{DateTime, Utc};
use liaison_domain::opinion::Channel;
use liaison_store::Actor;
use liaison_store::opinion::intake::NewOpinion;
use liaison_testkit::app::{Client, TestApp};
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

/// The ids listed on a queue page and the link to the next page, if any.
async fn queue_page(c: &mut Client<'_>, path: &str) -> (Vec<i64>, Option<String>) {
    let r = c.get(path).await;
    assert_eq!(r.status.as_u16(), 200, "{path}: {}", r.body);
    let doc = r.html();
    let ids = doc
        .attrs("#queue a", "href")
        .iter()
        .filter_map(|h| h.strip_prefix("/opinions/")?.parse().ok())
        .collect();
    let next = doc
        .attrs("a", "href")
        .into_iter()
        .find(|h| h.contains("&before=") || h.contains("&after="));
    (ids, next)
}

both_backends!(
    async fn the_queue_pages_through_every_item_once_in_either_order(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        let mut submitted = Vec::new();
        for i in 0..35 {
            let new = NewOpinion {
                nonce: format!("paging-{i}"),
                channel: Channel::StationCode,
                person_id: None,
                station_id: Some(w.station_id),
                region: rc("632521100201"),
                category: "street_lights".into(),
                description: format!("第{i}盏路灯不亮"),
                citizen_name: Default::default(),
                citizen_phone: Default::default(),
                callback_ok: false,
                share_contact: false,
                actor: Actor::system("test"),
                photos: vec![],
                limit_buckets: vec![],
                received_at: None,
            };
            submitted.push(app.db.submit_opinion(new).await.unwrap().id);
        }
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        for (first, newest) in [("/opinions", true), ("/opinions?sort=due", false)] {
            let (page1, next) = queue_page(&mut clerk, first).await;
            assert_eq!(page1.len(), 30, "{first}");
            let next = next.unwrap_or_else(|| panic!("{first}: a second page"));
            let (page2, last) = queue_page(&mut clerk, &next).await;
            assert_eq!(last, None, "{next}: the last page");
            let seen: Vec<i64> = page1.iter().chain(&page2).copied().collect();
            // each item deadline is its submission plus 24 hours, so both orders follow the ids
            let mut expected = submitted.clone();
            if newest {
                expected.reverse();
            }
            assert_eq!(seen, expected, "{first} then {next}");
            if !newest {
                // the link the queue used to write: the due time with its offset, URL-encoded
                let after = next.split("&after=").nth(1).unwrap();
                let (at, id) = after.rsplit_once('_').unwrap();
                let at: DateTime<Utc> = DateTime::parse_from_rfc3339(at).unwrap().with_timezone(&Utc);
                let old = format!("/opinions?sort=due&after={}_{id}", urlencoded(&at.to_rfc3339()));
                assert_eq!(queue_page(&mut clerk, &old).await.0, page2, "{old}");
            }
        }
    }
);

both_backends!(
    async fn a_page_position_that_does_not_parse_is_the_first_page(db) {
        cast(&db).await;
        let app = TestApp::with_db(db);
        let mut c = app.client();
        for path in ["/published?region=632521&after=garbage", "/published?region=632521&after=1791475199123456.9"] {
            let r = c.get(path).await;
            assert_eq!(r.status.as_u16(), 200, "{path}: {}", r.body);
        }
        // (a link with a bad position, the list's first page)
        let lists: [(&str, &[(&str, &str)]); 3] = [
            ("county_clerk", &[
                ("/opinions?before=x", "/opinions"),
                ("/opinions?sort=due&after=x_1", "/opinions?sort=due"),
                ("/opinions/bulk?action=accept&before=%", "/opinions/bulk?action=accept"),
                ("/stations?after=1.2.3", "/stations"),
                ("/deputies?after=", "/deputies"),
                ("/inbox?before=soon", "/inbox"),
            ]),
            ("sysadmin", &[("/admin/accounts?after=abc", "/admin/accounts"), ("/admin/sms?before=-", "/admin/sms")]),
            ("auditor", &[("/admin/audit?before=last", "/admin/audit")]),
        ];
        for (who, paths) in lists {
            let mut c = app.client();
            c.login(who, PASSWORD).await;
            for (bad, first) in paths {
                let r = c.get(bad).await;
                assert_eq!(r.status.as_u16(), 200, "{who} {bad}: {}", r.body);
                let plain = c.get(first).await;
                let rows = |body: &liaison_testkit::app::TestResponse| body.html().count("main tr, main li, #queue a");
                assert_eq!(rows(&r), rows(&plain), "{who} {bad} shows the first page");
            }
        }
    }
);

fn urlencoded(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
