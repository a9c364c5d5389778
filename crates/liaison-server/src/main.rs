//! `liaison`: the one binary. Subcommands: serve, migrate, seed-demo, sweep, recount, config, audit
//! verify, bootstrap, unlock.

mod config;
mod data_dir;
mod demo;
mod serve;

/// What the commands return: any error, printed by `main`.
pub(crate) type AnyResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use config::{CliOverrides, Config};

#[derive(Parser)]
#[command(
    name = "liaison",
    version,
    about = "代表联络平台 Liaison: people's congress deputy liaison platform"
)]
struct Cli {
    /// Configuration file (default: ./liaison.toml if present).
    #[arg(long, global = true)]
    config: Option<std::path::PathBuf>,
    #[command(flatten)]
    overrides: CliOverrides,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrates first).
    Serve {
        /// Load demo data (a county, accounts for every role) when the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and load region data, then exit.
    Migrate,
    /// Load demo data into an empty database, then exit.
    SeedDemo {
        /// `county` (共和县, with accounts for every role) or `province` (河北省 at benchmark scale).
        #[arg(long, default_value = "county")]
        scale: String,
    },
    /// Benchmark data: add synthetic opinions in a region's townships, then exit (built with the
    /// `bench-data` feature only).
    #[cfg(feature = "bench-data")]
    SeedOpinions {
        /// How many items to add.
        #[arg(long)]
        count: i64,
        /// Region code whose townships receive them.
        #[arg(long)]
        region: String,
    },
    /// Benchmark data: add synthetic suggestions over a meeting per county of a region, then exit
    /// (built with the `bench-data` feature only).
    #[cfg(feature = "bench-data")]
    SeedSuggestions {
        /// How many items to add.
        #[arg(long)]
        count: i64,
        /// Region code whose counties' meetings receive them.
        #[arg(long)]
        region: String,
    },
    /// Run the deadline sweep, the duplicate pass and the counters' compaction once and print what they
    /// did and how long they took.
    Sweep,
    /// Rebuild the work queue's counters (计数) from the items in one transaction and print how many
    /// counter rows there are and how many were wrong.
    Recount,
    /// Print the effective configuration (secrets masked).
    Config,
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// First-run setup from the command line: serve region and system administrator, with a generated
    /// password that must be changed at first login.
    Bootstrap {
        /// Region code this deployment serves (province 2, city 4 or county 6 digits).
        #[arg(long)]
        region: String,
        #[arg(long, default_value = "sysadmin")]
        username: String,
    },
    /// Lift every login lock on an account (from every address, and account-wide): the way back when
    /// the only security administrator is locked out. Audited.
    Unlock {
        /// The account's username.
        username: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit log's hash chain from the first entry to the head.
    Verify,
}

/// glibc's allocator, set before any thread starts: large buffers (uploaded photos, decoded images) come
/// from `mmap` and go back to the system when freed, instead of staying in one of many per-thread
/// arenas. Without it, 8 clients posting 10 MB photos kept ≈ 380 MB resident although at most ≈ 200 MB
/// was ever in use at once; with it, ≈ 195 MB (`scripts/probe-uploads`; docs/ARCHITECTURE.md, "Upload
/// limits").
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only sets allocator parameters; called first thing in main, before any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

/// Rust's allocations go to mimalloc: measured on the township clerk's home page, /deputies and /find
/// (A/B on the same release build, alternating) it answers 10–40% more per core than glibc's malloc,
/// whose arenas and consolidation took ≈20% of the CPU. SQLite's own allocations stay on glibc (tuned in
/// `tune_allocator`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (not exported by libmimalloc-sys 0.1): freed memory goes back to
/// the system at once instead of after 10 ms, which keeps the peak under photo uploads near glibc's
/// (`scripts/probe-uploads`, 8 clients: 239 MB against 202 MB; 341 MB with the default delay).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // SAFETY: sets one allocator option (an integer), first thing in main
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    tune_allocator();
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref(), &cli.overrides) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("配置错误: {e}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LIAISON_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(async move {
        match cli.command {
            Command::Serve { demo } => serve::run(&config, demo).await,
            Command::Migrate => serve::migrate(&config).await,
            Command::SeedDemo { scale } => {
                let store = serve::open(&config).await?;
                match scale.as_str() {
                    "county" => demo::seed(&store, &config).await?,
                    #[cfg(feature = "bench-data")]
                    "province" => demo::seed_province(&store, &config).await?,
                    #[cfg(not(feature = "bench-data"))]
                    "province" => {
                        return Err("省级规模的基准测试数据需要用 --features bench-data 构建".into());
                    }
                    other => return Err(format!("--scale 应为 county 或 province，而不是 {other}").into()),
                }
                Ok(())
            }
            #[cfg(feature = "bench-data")]
            Command::SeedOpinions { count, region } => {
                let store = serve::open(&config).await?;
                let region = liaison_domain::RegionCode::parse(&region)?;
                let total = store.generate_opinions(&region, count).await?;
                store.analyze().await?;
                println!("opinions: {total}");
                Ok(())
            }
            #[cfg(feature = "bench-data")]
            Command::SeedSuggestions { count, region } => {
                let store = serve::open(&config).await?;
                let region = liaison_domain::RegionCode::parse(&region)?;
                let total = store.generate_suggestions(&region, count).await?;
                store.analyze().await?;
                println!("suggestions: {total}");
                Ok(())
            }
            Command::Sweep => {
                let store = serve::open(&config).await?;
                let t = std::time::Instant::now();
                let s = store.sweep_deadlines(chrono::Utc::now()).await?;
                let swept = t.elapsed().as_secs_f64() * 1000.0;
                let t = std::time::Instant::now();
                let d = store.flag_duplicates().await?;
                let flagged = t.elapsed().as_secs_f64() * 1000.0;
                let t = std::time::Instant::now();
                let folded = store.compact_tally().await?;
                println!(
                    "sweep: {} due soon, {} overdue, {:.1} ms; duplicates: {} checked, {} flagged, {:.1} ms; \
                     counters: {} changes folded, {:.1} ms",
                    s.due_soon,
                    s.overdue,
                    swept,
                    d.checked,
                    d.flagged,
                    flagged,
                    folded,
                    t.elapsed().as_secs_f64() * 1000.0
                );
                Ok(())
            }
            Command::Recount => {
                let store = serve::open(&config).await?;
                let t = std::time::Instant::now();
                let r = store.recount_tally().await?;
                println!(
                    "recount: {} counter rows, {} corrected, {:.1} ms",
                    r.keys,
                    r.corrected,
                    t.elapsed().as_secs_f64() * 1000.0
                );
                Ok(())
            }
            Command::Config => {
                print!("{}", config.to_toml_masked());
                Ok(())
            }
            Command::Audit {
                command: AuditCommand::Verify,
            } => serve::audit_verify(&config).await,
            Command::Bootstrap { region, username } => serve::bootstrap(&config, &region, &username).await,
            Command::Unlock { username } => {
                let store = serve::open(&config).await?;
                match store
                    .unlock_username(&liaison_store::Actor::system("cli"), &username)
                    .await
                {
                    Ok(()) => {
                        println!("已解除账号 {username} 的登录锁定。");
                        Ok(())
                    }
                    Err(liaison_store::StoreError::NotFound) => {
                        Err(format!("没有用户名为 {username} 的账号").into())
                    }
                    Err(e) => Err(e.into()),
                }
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误: {e}");
            ExitCode::FAILURE
        }
    }
}
