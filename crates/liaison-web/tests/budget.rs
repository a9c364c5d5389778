//! The statement budget: every route the authorisation matrix knows, asked as every role of the
//! fixture cast, and the public pages, each answer counted in database statements (sqlx reports every
//! statement it runs as a `sqlx::query` event; a layer counts them). A page that needs more than
//! [`PAGE_BUDGET`] fails the test with the list of offenders. Its own test binary, one test at a time:
//! the count is process-wide (SQLite runs statements on its worker threads, outside the request's task).

#[path = "common/matrix.rs"]
#[allow(dead_code)]
mod matrix;
#[path = "it/support/mod.rs"]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};

use liaison_testkit::app::TestApp;
use liaison_testkit::fixtures::{PASSWORD, cast};
use liaison_testkit::{Backend, TestDb};
use tracing_subscriber::layer::{Context, SubscriberExt};

/// A session seen more than a minute ago is touched (one `UPDATE`) by the request that finds it: an
/// answer may take this many more than its allowance, and an allowance is only "too high" beyond it.
const TOUCH: usize = 1;

/// Statements one answer may take, whatever the page: the session with the account, its roles and
/// the unread badge in one read, then what the page shows. Writes (a step on an item, an upload) are
/// a transaction of their own and counted the same way.
const PAGE_BUDGET: usize = 12;

/// Routes known to need more, with the most they may take (any role, either backend). A ratchet:
/// the test fails when one takes more, and when one takes less than its allowance (lower it, or
/// remove the row once the route fits the budget). Detail pages and the audited contact reads are
/// what is left; each is listed in the notes with what it would take to fit.
#[rustfmt::skip]
const OVER: &[(&str, &str, usize)] = &[
    ("POST", "/deputies/{id}/contact", 24),
    ("POST", "/opinions/{id}/contact", 19),
    ("POST", "/deputies/{id}/households", 19),
    ("POST", "/deputies/{id}/households/contact", 18),
    ("GET",  "/deputies/{id}", 18),
    ("POST", "/opinions/{id}/note", 15),
    ("GET",  "/opinions/{id}", 16),
    ("GET",  "/admin/accounts/{id}", 13),
    ("POST", "/admin/accounts/{id}/mobile", 13),
    // 码上办: the station, the nonce and rate limits read and written, the item, its event, the
    // recipients and labels, its notice and its audit entry (three statements): what the group commit
    // shares is the transaction, not these
    ("POST", "/s/{id}", 17),
];

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);
/// With `BUDGET_TRACE=1`, each statement's text is kept here and written beside the report.
static TRACE: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

struct Count;

/// Keeps the statement's text (sqlx's `db.statement` field, or its summary).
struct Statement(String);

impl tracing::field::Visit for Statement {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if self.0.is_empty() || field.name() == "db.statement" {
            self.0 = value.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if self.0.is_empty() && field.name() == "summary" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Count {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
            if std::env::var_os("BUDGET_TRACE").is_some() {
                let mut v = Statement(String::new());
                event.record(&mut v);
                TRACE.lock().unwrap_or_else(|p| p.into_inner()).push(v.0);
            }
        }
    }
}

/// The statements traced since the last call, for the answer just counted.
fn traced() -> Vec<String> {
    std::mem::take(&mut *TRACE.lock().unwrap_or_else(|p| p.into_inner()))
}

/// Public pages (no matrix row: open to all) asked as nobody; a citizen's submission (text, and with a
/// phone photo) through a station's public form is asked last.
const PUBLIC: &[&str] = &[
    "/",
    "/healthz",
    "/login",
    "/find",
    "/published",
    "/s/{station}",
    "/t?r=ABCDEFGH",
];

/// One answer as counted.
struct Answer {
    statements: usize,
    /// (method, route as in the router's table; public pages: the path)
    route: (&'static str, String),
    what: String,
    /// The statements' texts (with `BUDGET_TRACE` only).
    sql: Vec<String>,
}

async fn measure(backend: Backend) -> Vec<Answer> {
    let db = TestDb::new(backend).await;
    let c = cast(&db).await;
    let cfg = liaison_web::WebConfig {
        public_url: Some("https://rd.example.cn".into()),
        ..Default::default()
    };
    let app = TestApp::with_config(db, cfg);
    let ids = matrix::setup(&app, &c).await;
    let mut out = Vec::new();
    for who in matrix::WHO {
        let mut client = app.client();
        if *who != "anon" {
            client.login(who, PASSWORD).await;
        } else {
            for path in PUBLIC {
                let path = matrix::fill(&ids, path);
                traced();
                let before = STATEMENTS.load(Ordering::SeqCst);
                let r = client.get(&path).await;
                let n = STATEMENTS.load(Ordering::SeqCst) - before;
                out.push(Answer {
                    statements: n,
                    route: ("GET", path.clone()),
                    what: format!("{backend:?} anon GET {path} ({})", r.status.as_u16()),
                    sql: traced(),
                });
            }
        }
        // the page every login lands on, and every row of the matrix
        for (how, route, path, fields, _) in matrix::MATRIX {
            let path = matrix::fill(&ids, path);
            let values: Vec<String> = fields.iter().map(|(_, v)| matrix::fill(&ids, v)).collect();
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .zip(&values)
                .map(|((k, _), v)| (*k, v.as_str()))
                .collect();
            // the CSRF token comes from the last page seen: load one first, uncounted
            if *how != "GET" {
                client.get("/account").await;
            }
            traced();
            let before = STATEMENTS.load(Ordering::SeqCst);
            let r = match *how {
                "GET" => client.get(&path).await,
                "POST" => client.post_form(&path, &fields).await,
                _ => client.post_multipart(&path, &fields, &[]).await,
            };
            let n = STATEMENTS.load(Ordering::SeqCst) - before;
            let method = if *how == "GET" { "GET" } else { "POST" };
            out.push(Answer {
                statements: n,
                route: (method, (*route).to_owned()),
                what: format!("{backend:?} {who} {how} {path} ({})", r.status.as_u16()),
                sql: traced(),
            });
        }
    }
    // 码上办 last (its new items would change what the pages above show)
    {
        let mut client = app.client();
        // 码上办: a citizen's submission through a station's public form, text only and with a photo
        for photo in [None, Some(support::jpeg_with_exif())] {
            let page = client.get(&matrix::fill(&ids, "/s/{station}")).await;
            let nonce = page.html().attrs("input[name=nonce]", "value")[0].clone();
            let fields = [
                ("nonce", nonce.as_str()),
                ("category", "street_lights"),
                ("description", "村口的路灯坏了一个星期，晚上看不见路"),
            ];
            let files: Vec<(&str, &str, &[u8])> = photo
                .as_deref()
                .map(|p| vec![("photo", "IMG_1.jpg", p)])
                .unwrap_or_default();
            let path = matrix::fill(&ids, "/s/{station}");
            traced();
            let before = STATEMENTS.load(Ordering::SeqCst);
            let r = client.post_multipart(&path, &fields, &files).await;
            let n = STATEMENTS.load(Ordering::SeqCst) - before;
            let what = if photo.is_some() { "with a photo" } else { "text" };
            out.push(Answer {
                statements: n,
                route: ("POST", "/s/{id}".to_owned()),
                what: format!("{backend:?} anon POST {path} ({what}, {})", r.status.as_u16()),
                sql: traced(),
            });
        }
    }
    out
}

#[test]
fn every_page_answers_within_its_statement_budget() {
    let subscriber = tracing_subscriber::registry().with(Count);
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut all = rt.block_on(measure(Backend::Sqlite));
    if std::env::var("LIAISON_TEST_PG").is_ok() {
        all.extend(rt.block_on(measure(Backend::Postgres)));
    }
    all.sort_by_key(|a| std::cmp::Reverse(a.statements));
    let report: Vec<String> = all
        .iter()
        .map(|a| {
            let mut line = format!("{:>4}  {}", a.statements, a.what);
            for q in &a.sql {
                line.push_str(&format!("\n        {}", q.chars().take(300).collect::<String>()));
            }
            line
        })
        .collect();
    // the whole table, most first, for whoever works on a page's statements
    let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("statement-budget.txt");
    std::fs::write(&file, report.join("\n")).expect("write the report");
    let allowance = |(m, r): &(&str, String)| {
        OVER.iter()
            .find(|(om, or, _)| om == m && or == r)
            .map_or(PAGE_BUDGET, |o| o.2)
    };
    let mut problems: Vec<String> = all
        .iter()
        .filter(|a| a.statements > allowance(&a.route) + TOUCH)
        .map(|a| format!("{:>4} > {:>2}  {}", a.statements, allowance(&a.route), a.what))
        .collect();
    for (m, r, allowed) in OVER {
        let most = all
            .iter()
            .filter(|a| a.route.0 == *m && a.route.1 == *r)
            .map(|a| a.statements)
            .max();
        match most {
            None => problems.push(format!("{m} {r}: listed in OVER but never asked")),
            Some(n) if n + TOUCH < *allowed => problems.push(format!(
                "{m} {r}: takes at most {n} now, allowed {allowed}: lower its allowance{}",
                if n <= PAGE_BUDGET {
                    " (or remove the row: it fits the budget)"
                } else {
                    ""
                }
            )),
            Some(_) => {}
        }
    }
    assert!(
        problems.is_empty(),
        "statement budget ({PAGE_BUDGET} a page; see {}):\n{}",
        file.display(),
        problems.join("\n")
    );
}
