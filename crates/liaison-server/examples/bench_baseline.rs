//! The benchmark baselines, same machine, same build profile, same run:
//! - `bench_baseline ADDR`: a bare axum hello-world; `scripts/bench` reports every page as a ratio to it.
//! - `bench_baseline insert ADDR DB_FILE`: the one-INSERT-per-request ceiling for durable writes: each
//!   POST inserts one row into SQLite (WAL, `synchronous=FULL`, one writer connection) and answers
//!   after the commit. 码上办 submissions are reported as a ratio to it.

use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("insert") {
        let addr = args.get(2).cloned().unwrap_or_else(|| "127.0.0.1:18090".into());
        let file = args.get(3).cloned().unwrap_or_else(|| "bench-insert.db".into());
        let opts = SqliteConnectOptions::from_str(&format!("sqlite://{file}"))
            .expect("db url")
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await
            .expect("db");
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT NOT NULL, at TEXT NOT NULL)",
        )
        .execute(&pool)
        .await
        .expect("table");
        let app = axum::Router::new().route(
            "/",
            axum::routing::post(move |body: String| {
                let pool = pool.clone();
                async move {
                    sqlx::query("INSERT INTO t (body, at) VALUES ($1, datetime('now'))")
                        .bind(body)
                        .execute(&pool)
                        .await
                        .map(|_| "ok")
                        .map_err(|_| axum::http::StatusCode::INTERNAL_SERVER_ERROR)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
        axum::serve(listener, app).await.expect("serve");
        return;
    }
    let addr = args.get(1).cloned().unwrap_or_else(|| "127.0.0.1:18089".into());
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
