//! Migrations: both folders in step, forward-only runs are idempotent, region data loaded once.

use liaison_domain::RegionCode;
use liaison_testkit::{Backend, TestDb, both_backends};

#[test]
fn migration_folders_have_the_same_names() {
    let (sqlite, postgres) = liaison_store::Store::migration_names();
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres must hold the same files"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_schemas_have_the_same_tables_and_columns() {
    let lite = TestDb::new(Backend::Sqlite).await;
    let pg = TestDb::new(Backend::Postgres).await;
    let a = lite.schema_columns().await.unwrap();
    let b = pg.schema_columns().await.unwrap();
    assert!(a.len() > 30, "introspection found too little: {a:?}");
    assert_eq!(a, b);
}

both_backends!(
    async fn regions_load_once_with_real_counts(db) {
        let counts: std::collections::HashMap<String, i64> = db.region_counts().await.unwrap().into_iter().collect();
        assert_eq!(counts["province"], 31);
        assert_eq!(counts["city"], 342);
        // 2,978 in the source, less 东莞, 中山 and 儋州, whose county rows are their city (see migrate.rs)
        assert_eq!(counts["county"], 2_975);
        // 41,352 less the township row 350527000 金门县, which is its county again
        assert_eq!(counts["township"], 41_351);
        assert_eq!(counts["village"], 1_214);
        // running the migrations again changes nothing
        db.migrate().await.unwrap();
        let again: std::collections::HashMap<String, i64> = db.region_counts().await.unwrap().into_iter().collect();
        assert_eq!(counts, again);
    }
);

both_backends!(
    async fn region_tree_queries(db) {
        let county = RegionCode::parse("632521").unwrap();
        let r = db.region(&county).await.unwrap().unwrap();
        assert_eq!(r.name, "共和县");
        let towns = db.region_children(Some(&county)).await.unwrap();
        assert_eq!(towns.len(), 15);
        assert!(towns.iter().any(|t| t.name == "巴卡台农场" && t.kind == "non_admin"));
        let lineage = db.region_lineage(&RegionCode::parse("632521100201").unwrap()).await.unwrap();
        let names: Vec<_> = lineage.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["青海省", "海南藏族自治州", "共和县", "恰卜恰镇", "东香卡村委会"]);
        let hits = db.region_search(&county, "恰卜恰", 10).await.unwrap();
        assert_eq!(hits[0].name, "恰卜恰镇");
        // the search never leaves the root
        assert!(db.region_search(&county, "观溪路", 10).await.unwrap().is_empty());
        // placeholder cities are kept and marked
        let bj = db.region_children(Some(&RegionCode::parse("11").unwrap())).await.unwrap();
        assert_eq!(bj[0].name, "市辖区");
        assert!(bj[0].is_placeholder());
        assert_eq!(db.region_children(None).await.unwrap().len(), 31);
        // 东莞's townships hang on the city itself
        let dg = db.region_children(Some(&RegionCode::parse("4419").unwrap())).await.unwrap();
        assert!(dg.len() > 20 && dg.iter().all(|t| t.level == "township"), "{}", dg.len());
    }
);
