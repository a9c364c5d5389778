//! `liaison seed-demo` on SQLite and PostgreSQL: the demo county has opinions in every stage of the
//! handling loop, spread over months, and every demo desk (deputy, township clerk, unit) finds work in
//! its own queue; a second run leaves the data as it was; the audit chain still verifies.

use std::process::{Command, Output};

use liaison_domain::Scope;
use liaison_domain::opinion::Stage;
use liaison_store::Store;
use liaison_store::opinion::Queue;
use liaison_store::opinion::queue::QueueFilter;
use liaison_testkit::{Backend, TestDb};

fn liaison(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_liaison"))
        .args(args)
        .env_remove("LIAISON_DATABASE_URL")
        .output()
        .unwrap()
}

async fn scope(db: &Store, username: &str) -> Scope {
    let rec = db.login_record(username).await.unwrap().unwrap();
    db.scope_of(rec.id).await.unwrap()
}

async fn items(
    db: &Store,
    scope: &Scope,
    queue: Queue,
    stages: &[Stage],
) -> Vec<liaison_store::opinion::Opinion> {
    let f = QueueFilter {
        stages: stages.to_vec(),
        ..QueueFilter::default()
    };
    db.queue(scope, queue, &f, None, 1000).await.unwrap()
}

async fn the_demo_county_is_at_work(db: TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let started = std::time::Instant::now();
    let o = liaison(&["seed-demo", "--database-url", &db.url, "--data-dir", d]);
    let took = started.elapsed();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("件群众意见"), "{out}");
    eprintln!("seed-demo on {:?}: {took:?}\n{out}", db.backend);

    let county = scope(&db, "xianlian").await;
    let all = items(&db, &county, Queue::Region, &[]).await;
    assert!((150..=300).contains(&all.len()), "{} items", all.len());
    for stage in [
        Stage::Submitted,
        Stage::Referred,
        Stage::Accepted,
        Stage::Assigned,
        Stage::Replied,
        Stage::Answered,
        Stage::Closed,
        Stage::Published,
        Stage::Declined,
        Stage::Merged,
    ] {
        assert!(
            all.iter().any(|o| o.stage() == stage),
            "no item is {}",
            stage.label()
        );
    }
    let reopened = all
        .iter()
        .filter(|o| o.stage() == Stage::Assigned && o.reopen_count > 0)
        .count();
    assert!(reopened > 0, "a 不满意 sent back to its unit");
    assert!(
        all.iter()
            .any(|o| o.rating.as_deref() == Some("satisfied") && o.stage() == Stage::Closed)
    );
    assert!(
        all.iter().any(|o| o.escalated),
        "county matters passed up by a township"
    );
    assert!(all.iter().any(|o| o.merged_into.is_some()));
    let counts = db
        .queue_counts(&county, Queue::Region, &QueueFilter::default())
        .await
        .unwrap();
    assert!(counts.overdue > 0 && counts.key > 0, "{counts:?}");
    // a key item has its 督办单
    let key = all.iter().find(|o| o.key_supervision).unwrap();
    let key = db.opinion(&county, key.id).await.unwrap();
    assert!(!db.supervision_notices(&key).await.unwrap().is_empty());
    // months of work, not one afternoon; nothing in the future
    let now = chrono::Utc::now();
    let oldest = all.iter().map(|o| o.submitted_at).min().unwrap();
    assert!(now - oldest > chrono::Duration::days(150), "oldest {oldest}");
    assert!(
        all.iter()
            .all(|o| o.updated_at <= now && o.submitted_at <= o.updated_at)
    );
    let overdue = all.iter().filter(|o| o.due_at.is_some_and(|d| d < now)).count();
    assert!(overdue < all.len() / 4, "{overdue} overdue of {}", all.len());

    // the registry's people are plausible: no name doubles a character, no monk is in a party
    let f = liaison_store::registry::deputy::DeputyFilter::default();
    let deputies = db.deputies(&county, &f, None, 5000).await.unwrap();
    assert!(deputies.len() > 900, "{}", deputies.len());
    for d in &deputies {
        let chars: Vec<char> = d.name.chars().collect();
        let doubled = chars.iter().enumerate().any(|(i, c)| chars[i + 1..].contains(c));
        assert!(!doubled, "a doubled syllable: {}", d.name);
        if d.occupation == "僧人" {
            assert_eq!(d.party, "群众", "{} is a monk", d.name);
        }
    }
    assert!(
        deputies.iter().any(|d| d.occupation == "僧人"),
        "the county has religious deputies"
    );

    // each demo desk has work of its own
    let deputy = scope(&db, "daibiao").await;
    let inbox = items(&db, &deputy, Queue::Deputy(deputy.person_id.unwrap()), &[]).await;
    assert!(
        inbox.iter().any(|o| o.stage() == Stage::Submitted),
        "the deputy's inbox"
    );
    let unit = scope(&db, "chengban").await;
    let work = items(&db, &unit, Queue::Unit(unit.unit_id.unwrap()), &[Stage::Assigned]).await;
    assert!(!work.is_empty(), "the township government's assigned items");
    for clerk in ["qiabuqia", "daotanghe"] {
        let s = scope(&db, clerk).await;
        let open = items(&db, &s, Queue::Region, &[Stage::Submitted, Stage::Accepted]).await;
        assert!(!open.is_empty(), "{clerk} has items to accept or assign");
    }
    let manager = scope(&db, "zhanzhang").await;
    assert!(
        !items(&db, &manager, Queue::Region, &[]).await.is_empty(),
        "the station manager's own station"
    );
    let transport = scope(&db, "jiaotong").await;
    assert!(
        !items(&db, &transport, Queue::Unit(transport.unit_id.unwrap()), &[])
            .await
            .is_empty()
    );

    // a second run changes nothing; the audit chain verifies (before the pages below log in with
    // the test app's own audit key)
    let o = liaison(&["seed-demo", "--database-url", &db.url, "--data-dir", d]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("跳过"));
    assert_eq!(items(&db, &county, Queue::Region, &[]).await.len(), all.len());
    let o = liaison(&["audit", "verify", "--database-url", &db.url, "--data-dir", d]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // the pages a newcomer opens first show the data without an error
    let mut pages: Vec<(&str, String)> = vec![
        ("xianlian", "/opinions".into()),
        ("xianlian", "/opinions?due=overdue&sort=due".into()),
        ("xianlian", "/inbox".into()),
        ("qiabuqia", "/opinions".into()),
        ("daibiao", "/opinions".into()),
        ("chengban", "/opinions".into()),
        ("zhanzhang", "/opinions".into()),
        ("jiaotong", "/inbox".into()),
    ];
    for stage in [
        "submitted",
        "assigned",
        "answered",
        "published",
        "declined",
        "merged",
    ] {
        let o = all.iter().find(|o| o.stage == stage).unwrap();
        pages.push(("xianlian", format!("/opinions/{}", o.id)));
    }
    let notice = db.supervision_notices(&key).await.unwrap()[0].id;
    pages.push(("xianlian", format!("/supervision/{notice}")));
    let password = std::fs::read_to_string(dir.path().join("demo-accounts.txt"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("password = ").map(str::to_owned))
        .unwrap();
    let app = liaison_testkit::app::TestApp::with_db(db);
    for (user, path) in &pages {
        let mut c = app.client();
        c.login(user, &password).await;
        let r = c.get(path).await;
        assert_eq!(r.status.as_u16(), 200, "{user} {path}");
    }
    let mut public = app.client();
    let r = public.get("/published").await;
    assert_eq!(r.status.as_u16(), 200);
    assert!(
        r.html().text("#published").contains("答复"),
        "the public list shows outcomes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_county_is_at_work_on_sqlite() {
    the_demo_county_is_at_work(TestDb::new(Backend::Sqlite).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_county_is_at_work_on_postgres() {
    the_demo_county_is_at_work(TestDb::new(Backend::Postgres).await).await;
}
