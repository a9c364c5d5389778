//! Migrations: both folders in step (tables, columns, indexes and triggers), forward-only runs are
//! idempotent, region data loaded once.

use std::collections::BTreeSet;

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

/// One index as both backends can state it: (table, name, unique, keys, partial predicate). Keys and
/// predicate are normalised (see `norm`). Indexes behind a PRIMARY KEY or UNIQUE constraint are named
/// by each engine after its own convention (`sqlite_autoindex_opinion_1`, `opinion_receipt_key`), so
/// those carry the name `constraint`; explicit CREATE INDEX names must match.
type Index = (String, String, bool, Vec<String>, Option<String>);

/// The spelling of a key or predicate with what the engines add or drop taken away: case, blanks,
/// parentheses, PostgreSQL's `::type` casts, its `public.` schema prefix and its array form of `IN`.
fn norm(s: &str) -> String {
    const TYPES: &[&str] = &[
        "timestamp with time zone",
        "character varying",
        "text",
        "bigint",
        "integer",
        "boolean",
    ];
    let mut out = s.to_lowercase().replace("public.", "");
    while let Some(at) = out.find("::") {
        let rest = &out[at + 2..];
        let len = TYPES.iter().find(|t| rest.starts_with(*t)).map_or_else(
            || {
                rest.find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                    .unwrap_or(rest.len())
            },
            |t| t.len(),
        );
        out.replace_range(at..at + 2 + len, "");
    }
    let out: String = out
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '(' && *c != ')')
        .collect();
    // PostgreSQL keeps `x NOT IN ('a', 'b')` as `x <> ALL (ARRAY['a', 'b'])`, `x IN (..)` as `= ANY`
    out.replace("<>allarray[", "notin")
        .replace("=anyarray[", "in")
        .replace(']', "")
}

/// Splits `a, substr(b, 1, 9), c` at the commas outside parentheses.
fn split_top(list: &str) -> Vec<String> {
    let (mut parts, mut depth, mut cur) = (Vec::new(), 0, String::new());
    for c in list.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts.iter().map(|p| norm(p)).collect()
}

/// The key list and predicate of `CREATE [UNIQUE] INDEX name ON table [USING m] (keys) [WHERE pred]`.
fn parse_index_sql(sql: &str) -> (Vec<String>, Option<String>) {
    let open = sql.find('(').expect("index key list");
    let mut depth = 0;
    let close = sql[open..]
        .char_indices()
        .find(|&(_, c)| {
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            depth == 0
        })
        .map(|(i, _)| open + i)
        .expect("closing parenthesis");
    let rest = &sql[close + 1..];
    let pred = rest
        .to_lowercase()
        .find("where")
        .map(|at| norm(&rest[at + "where".len()..]));
    (split_top(&sql[open + 1..close]), pred)
}

#[test]
fn normalised_spellings_compare_equal_and_different_meanings_do_not() {
    let pg = "CREATE INDEX x ON public.opinion USING btree (substr((region_code)::text, 1, 9), id) \
              WHERE ((stage)::text <> ALL (ARRAY['closed'::text, 'merged'::text]))";
    let lite =
        "CREATE INDEX x ON opinion (substr(region_code, 1, 9), id) WHERE stage NOT IN ('closed', 'merged')";
    assert_eq!(parse_index_sql(pg), parse_index_sql(lite));
    assert_eq!(parse_index_sql(lite).0, ["substrregion_code,1,9", "id"]);
    assert_ne!(norm("due_at IS NOT NULL"), norm("due_at IS NULL"));
    assert_ne!(norm("stage NOT IN ('closed')"), norm("stage IN ('closed')"));
    assert_ne!(
        parse_index_sql(lite),
        parse_index_sql("CREATE INDEX x ON opinion (id, substr(region_code, 1, 9))")
    );
}

async fn sqlite_indexes(db: &TestDb) -> BTreeSet<Index> {
    let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
    // origin: 'c' CREATE INDEX, 'u' a UNIQUE constraint, 'pk' a PRIMARY KEY that is not the rowid
    let rows: Vec<(String, String, bool, String)> = sqlx::query_as(
        "SELECT m.name, l.name, l.\"unique\", l.origin FROM sqlite_master m, pragma_index_list(m.name) l \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
           AND m.name NOT LIKE '\\_sqlx%' ESCAPE '\\'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut out = BTreeSet::new();
    for (table, name, unique, origin) in rows {
        let sql: Option<String> =
            sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
                .bind(&name)
                .fetch_optional(&pool)
                .await
                .unwrap()
                .flatten();
        let index = match (origin.as_str(), sql) {
            ("c", Some(sql)) => {
                let (keys, pred) = parse_index_sql(&sql);
                (table, name, unique, keys, pred)
            }
            _ => {
                let keys: Vec<String> =
                    sqlx::query_scalar("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                        .bind(&name)
                        .fetch_all(&pool)
                        .await
                        .unwrap();
                (table, "constraint".into(), unique, keys, None)
            }
        };
        out.insert(index);
    }
    // an INTEGER PRIMARY KEY is the rowid itself, with no index entry: state it as PostgreSQL's pkey
    let pks: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c \
         WHERE m.type = 'table' AND c.pk = 1 AND lower(c.type) = 'integer' \
           AND (SELECT count(*) FROM pragma_table_info(m.name) WHERE pk > 0) = 1 \
           AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND m.name NOT LIKE '\\_sqlx%' ESCAPE '\\'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    for (table, col) in pks {
        out.insert((table, "constraint".into(), true, vec![col], None));
    }
    out
}

async fn postgres_indexes(db: &TestDb) -> BTreeSet<Index> {
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    let rows: Vec<(String, String, bool, bool, String)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, ix.indisunique, \
                EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid), \
                pg_get_indexdef(ix.indexrelid) \
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND t.relname NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(table, name, unique, constraint, def)| {
            let (keys, pred) = parse_index_sql(&def);
            let name = if constraint { "constraint".into() } else { name };
            (table, name, unique, keys, pred)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_schemas_have_the_same_indexes() {
    let lite = sqlite_indexes(&TestDb::new(Backend::Sqlite).await).await;
    let pg = postgres_indexes(&TestDb::new(Backend::Postgres).await).await;
    assert!(
        lite.iter().any(|i| i.4.is_some()) && lite.len() > 40,
        "introspection found too little: {lite:#?}"
    );
    let only_lite: Vec<_> = lite.difference(&pg).collect();
    let only_pg: Vec<_> = pg.difference(&lite).collect();
    assert!(
        only_lite.is_empty() && only_pg.is_empty(),
        "indexes differ\nonly in SQLite: {only_lite:#?}\nonly in PostgreSQL: {only_pg:#?}"
    );
}

/// (table, timing, event, trigger name), one row per event a trigger fires on.
type Trigger = (String, String, String, String);

/// The timing and events of `CREATE TRIGGER name BEFORE UPDATE OR DELETE ON table ...`; an event's
/// column list (`UPDATE OF a, b`) is part of the event, spelt without blanks (`UPDATE OF A,B`).
fn parse_trigger_sql(sql: &str) -> (String, Vec<String>) {
    let upper = sql.to_uppercase();
    let words: Vec<&str> = upper.split_whitespace().collect();
    let at = words
        .iter()
        .position(|w| ["BEFORE", "AFTER", "INSTEAD"].contains(w))
        .expect("trigger timing");
    let on = words[at..].iter().position(|w| *w == "ON").expect("ON") + at;
    let mut events: Vec<String> = Vec::new();
    for w in &words[at + 1..on] {
        match (*w, events.last_mut()) {
            ("OR", _) => {}
            ("OF", Some(e)) => e.push_str(" OF "),
            (w, Some(e)) if e.ends_with(" OF ") || e.ends_with(',') => e.push_str(w),
            (w, _) => events.push(w.to_owned()),
        }
    }
    (words[at].to_owned(), events)
}

#[test]
fn a_trigger_s_column_list_belongs_to_its_event() {
    let pg = "CREATE TRIGGER t AFTER UPDATE OF stage, alerted ON public.opinion FOR EACH ROW WHEN (x) EXECUTE FUNCTION f()";
    let lite = "CREATE TRIGGER t AFTER UPDATE OF stage,  alerted ON opinion\nWHEN x BEGIN SELECT 1; END";
    assert_eq!(
        parse_trigger_sql(pg),
        ("AFTER".into(), vec!["UPDATE OF STAGE,ALERTED".to_owned()])
    );
    assert_eq!(parse_trigger_sql(pg), parse_trigger_sql(lite));
    assert_eq!(
        parse_trigger_sql("CREATE TRIGGER a BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW"),
        ("BEFORE".into(), vec!["UPDATE".to_owned(), "DELETE".to_owned()])
    );
}

async fn sqlite_triggers(db: &TestDb) -> BTreeSet<Trigger> {
    let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger'")
            .fetch_all(&pool)
            .await
            .unwrap();
    let mut out = BTreeSet::new();
    for (table, name, sql) in rows {
        let (timing, events) = parse_trigger_sql(&sql);
        for e in events {
            out.insert((table.clone(), timing.clone(), e, name.clone()));
        }
    }
    out
}

async fn postgres_triggers(db: &TestDb) -> BTreeSet<Trigger> {
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.relname::text, t.tgname::text, pg_get_triggerdef(t.oid) \
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE NOT t.tgisinternal AND n.nspname = current_schema()",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut out = BTreeSet::new();
    for (table, name, sql) in rows {
        let (timing, events) = parse_trigger_sql(&sql);
        for e in events {
            out.insert((table.clone(), timing.clone(), e, name.clone()));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_schemas_have_the_same_triggers() {
    let lite = sqlite_triggers(&TestDb::new(Backend::Sqlite).await).await;
    let mut pg = postgres_triggers(&TestDb::new(Backend::Postgres).await).await;
    let row = |t: &str, timing: &str, e: &str, n: &str| {
        (t.to_owned(), timing.to_owned(), e.to_owned(), n.to_owned())
    };
    // The differences the engines force, stated one by one (0001_foundation): SQLite has no TRUNCATE,
    // so only PostgreSQL guards the audit log against it; a SQLite trigger fires on one event, so the
    // audit log's DELETE guard is its own trigger there, while PostgreSQL's audit_log_no_update covers
    // UPDATE OR DELETE.
    assert!(
        pg.remove(&row("audit_log", "BEFORE", "TRUNCATE", "audit_log_no_truncate")),
        "{pg:#?}"
    );
    assert!(
        pg.remove(&row("audit_log", "BEFORE", "DELETE", "audit_log_no_update")),
        "{pg:#?}"
    );
    pg.insert(row("audit_log", "BEFORE", "DELETE", "audit_log_no_delete"));
    assert!(
        lite.contains(&row("audit_log", "BEFORE", "UPDATE", "audit_log_no_update")),
        "{lite:#?}"
    );
    assert_eq!(lite, pg);
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
