//! Staff records of walk-ins and calls: which deputy received the citizen, the village, and the day
//! it was received — a paper record entered later keeps its real date and its deadline counts from
//! it, and a day ahead of today is refused.

use crate::support::*;
use liaison_testkit::app::TestApp;
use liaison_testkit::both_backends;
use liaison_testkit::fixtures::{PASSWORD, cast};

both_backends!(
    async fn a_paper_walk_in_keeps_its_deputy_village_and_day(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        world(&app, &c).await;
        let mut clerk = app.client();
        clerk.login("town_clerk", PASSWORD).await;
        let form = clerk.get("/opinions/new").await.html();
        let deputies = form.attrs("select[name=deputy] option", "value");
        let person = deputies.iter().find(|v| !v.is_empty()).expect("the township's deputy is offered").clone();
        assert!(form.attrs("select[name=village] option", "value").contains(&"632521100201".to_owned()));
        let today = liaison_domain::time::today();
        let day = (today - chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
        let tomorrow = (today + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
        let nonce = form.attrs("input[name=nonce]", "value")[0].clone();
        // a day ahead of today: refused, everything typed kept
        let f = [("nonce", nonce.as_str()), ("channel", "walk_in"), ("category", "roads"), ("description", "来访群众反映村道坑洼积水"), ("deputy", person.as_str()), ("village", "632521100201"), ("received", tomorrow.as_str())];
        let r = clerk.post_multipart("/opinions/new", &f, &[]).await;
        assert_eq!(r.status.as_u16(), 422);
        let page = r.html();
        assert!(page.text(".errors").contains("收到日期不能晚于今天"), "{}", page.text(".errors"));
        assert_eq!(page.attr("input[name=received]", "value").as_deref(), Some(tomorrow.as_str()));
        assert_eq!(page.attrs("select[name=village] option[selected]", "value"), ["632521100201"]);
        // the real day three days ago
        let f = [("nonce", nonce.as_str()), ("channel", "walk_in"), ("category", "roads"), ("description", "来访群众反映村道坑洼积水"), ("deputy", person.as_str()), ("village", "632521100201"), ("received", day.as_str())];
        let r = clerk.post_multipart("/opinions/new", &f, &[]).await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
        let item = clerk.get(r.location().unwrap()).await.html();
        let main = item.text("main");
        assert!(main.contains("拉毛代表"), "the deputy who received it: {main}");
        assert!(main.contains("东香卡村"), "the village: {main}");
        let shown = (today - chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
        assert!(item.text(".muted").contains(&shown), "dated the day it was received: {}", item.text(".muted"));
        // its 24-hour first response counted from that day: already late
        assert!(item.text("#due").contains("已超期"), "{}", item.text("#due"));
        // the deputy who received it finds it
        let mut deputy = app.client();
        deputy.login("deputy", PASSWORD).await;
        assert_eq!(deputy.get(r.location().unwrap()).await.status.as_u16(), 200);
    }
);
