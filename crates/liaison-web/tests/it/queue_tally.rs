//! The region queue's counts come from the counters (计数): exact above the 1,000 at which counting items
//! stops ("1000+"), on the queue page and the home page alike, the changes not yet folded included; a
//! station manager's are their station's; a filtered view still counts items, capped.

use chrono::{DateTime, Duration, Utc};
use liaison_store::Actor;
use liaison_store::account::AccountChange;
use liaison_testkit::app::TestApp;
use liaison_testkit::fixtures::{PASSWORD, cast, grant};
use liaison_testkit::{Backend, TestDb, both_backends};

use crate::support::{rc, world};

/// Adds `n` items at once, straight into the table (the triggers keep the counters as for any write):
/// in village 东香卡村, at `station`, in `stage`; every other one overdue and marked so by the sweep
/// (`alerted` = 2), one in a hundred 重点督办.
async fn bulk(db: &TestDb, tag: &str, n: i64, station: Option<i64>, stage: &str) {
    let sql = "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $1) \
         INSERT INTO opinion (receipt, nonce, channel, station_id, region_code, category, description, stage, holder, \
           event_count, submitted_at, updated_at, stage_at, due_at, alerted, key_supervision) \
         SELECT $2 || i, $2 || i, 'station_code', $3, '632521100201', 'roads', '批量生成的群众意见：村道破损', $4, 'station', \
           1, $5, $5, $5, CASE WHEN i % 2 = 0 THEN $6 ELSE $7 END, CASE WHEN i % 2 = 0 THEN 2 ELSE 0 END, i % 100 = 0 \
         FROM seq";
    let now = Utc::now();
    let (past, later): (DateTime<Utc>, DateTime<Utc>) = (now - Duration::days(1), now + Duration::days(5));
    macro_rules! run {
        ($pool:expr) => {{
            let pool = $pool;
            sqlx::query(sql)
                .bind(n)
                .bind(tag)
                .bind(station)
                .bind(stage)
                .bind(now)
                .bind(past)
                .bind(later)
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }};
    }
    match db.backend {
        Backend::Sqlite => run!(sqlx::SqlitePool::connect(&db.url).await.unwrap()),
        Backend::Postgres => run!(sqlx::PgPool::connect(&db.url).await.unwrap()),
    }
}

both_backends!(
    async fn the_region_queue_counts_exactly_above_a_thousand(db) {
        let c = cast(&db).await;
        let app = TestApp::with_db(db);
        let w = world(&app, &c).await;
        // the station manager answers for the world's station
        let admin = app.db.scope_of(c.id("sysadmin")).await.unwrap();
        let acc = app.db.account(&admin, c.id("station_mgr")).await.unwrap();
        let ch = AccountChange {
            display_name: acc.display_name.clone(),
            region: rc(&acc.region_code),
            roles: acc.roles.clone(),
            unit_id: None,
            station_id: Some(w.station_id),
            person_id: None,
        };
        app.db.update_account(&admin, &Actor::of(&admin, "-"), c.id("station_mgr"), ch).await.unwrap();
        grant(&app.db, c.id("station_mgr")).await;
        // 1,100 open items at the station, folded into the counters; then, still as pending changes,
        // 150 open ones recorded without a station and 20 closed ones
        bulk(&app.db, "A", 1100, Some(w.station_id), "accepted").await;
        assert!(app.db.compact_tally().await.unwrap() >= 1100);
        bulk(&app.db, "B", 150, None, "submitted").await;
        bulk(&app.db, "C", 20, Some(w.station_id), "closed").await;
        let mut clerk = app.client();
        clerk.login("county_clerk", PASSWORD).await;
        let q = clerk.get("/opinions?tab=region").await.html();
        let counts = q.text("#counts");
        // open 1,250; overdue 550 + 75 (the closed ones do not count); 重点督办 11 + 1
        assert!(counts.contains("未办结 1250"), "{counts}");
        assert!(counts.contains("已超期 625"), "{counts}");
        assert!(counts.contains("重点督办 12"), "{counts}");
        assert!(!counts.contains("1000+"), "{counts}");
        assert_eq!(q.text("#total strong"), "1270");
        let open = clerk.get("/opinions?tab=region&stage=open&sort=due").await.html();
        assert_eq!(open.text("#total strong"), "1250");
        // the overdue summary sums the counters too
        let overdue = clerk.get("/opinions?tab=region&due=overdue&sort=due").await.html();
        assert!(overdue.text("#overdue-summary").contains("625"), "{}", overdue.text("#overdue-summary"));
        // a filtered view counts items, and stops at 1,000
        let roads = clerk.get("/opinions?tab=region&category=roads").await.html();
        assert!(roads.text("#counts").contains("未办结 1000+"), "{}", roads.text("#counts"));
        assert_eq!(roads.text("#total strong"), "1000+");
        // the home page's tallies: the same numbers
        let home = clerk.get("/").await.html();
        let tallies = home.texts("#panel-region .tally");
        assert!(tallies.iter().any(|t| t.contains("1250") && t.contains("待办理")), "{tallies:?}");
        assert!(tallies.iter().any(|t| t.contains("625") && t.contains("已超期")), "{tallies:?}");
        // the station manager: their station's items only
        let mut mgr = app.client();
        mgr.login("station_mgr", PASSWORD).await;
        let counts = mgr.get("/opinions?tab=region").await.html().text("#counts");
        assert!(counts.contains("未办结 1100"), "{counts}");
        assert!(counts.contains("已超期 550"), "{counts}");
        let tallies = mgr.get("/").await.html().texts("#panel-region .tally");
        assert!(tallies.iter().any(|t| t.contains("1100") && t.contains("待办理")), "{tallies:?}");
        // folded, the same
        app.db.compact_tally().await.unwrap();
        let counts = clerk.get("/opinions?tab=region").await.html().text("#counts");
        assert!(counts.contains("未办结 1250") && counts.contains("已超期 625"), "{counts}");
    }
);
