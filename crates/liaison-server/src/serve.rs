//! `serve`, `migrate`, `audit verify`, `bootstrap`.

use crate::AnyResult;
use std::net::SocketAddr;

use liaison_domain::password::hash_password;
use liaison_domain::token::{random_password, random_token, token_digest};
use liaison_domain::{RegionCode, RegionLevel, Role};
use liaison_store::account::NewAccount;
use liaison_store::{Actor, Store};
use liaison_web::{AppState, WebConfig};

use crate::config::Config;
use crate::demo;

/// Creates the data folder (owner-only), opens the database, migrates it and seals its audit chain
/// with the deployment's key.
pub async fn open(config: &Config) -> AnyResult<Store> {
    crate::data_dir::prepare(&config.data_dir)?;
    let store = Store::connect(&config.database_url()).await?;
    store.migrate().await?;
    crate::data_dir::prepare(&config.data_dir)?;
    crate::data_dir::seal(store, config).await
}

pub async fn migrate(config: &Config) -> AnyResult {
    let store = open(config).await?;
    for (level, n) in store.region_counts().await? {
        println!("region {level}: {n}");
    }
    println!("数据库已是最新结构。");
    Ok(())
}

pub async fn run(config: &Config, demo_data: bool) -> AnyResult {
    let store = open(config).await?;
    if demo_data && store.account_count().await? == 0 {
        demo::seed(&store, config).await?;
    }
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr()?;
    let base = format!("http://{addr}");
    println!("代表联络平台已启动: {base}/");
    if store.account_count().await? == 0 {
        let token = random_token();
        store.set_setup_token(&token_digest(&token)).await?;
        println!("系统尚未初始化。请在浏览器中打开以下一次性链接，创建系统管理员：");
        println!("  {base}/setup?token={token}");
    } else if demo_data {
        demo::print_accounts(config);
    }
    let interrupted = liaison_web::job::fail_interrupted(&store).await?;
    if interrupted > 0 {
        tracing::warn!(
            interrupted,
            "jobs left running by the previous run were marked failed"
        );
    }
    let state = AppState::new(
        store.clone(),
        liaison_store::blob::Blobs::new(&config.data_dir),
        WebConfig {
            secure_cookies: config.secure_cookies,
            trusted_proxies: config.proxies()?,
            public_url: public_url(config, demo_data, &base),
            intake_per_ip: config.intake_per_ip,
            sms_url: (!config.sms_url.is_empty()).then(|| config.sms_url.clone()),
        },
    );
    // the SMS sender job; without a gateway the messages stay queued (nothing is lost)
    let sms = liaison_web::notification::sms::SmsSender::from_config(&state.config)?;
    if sms.enabled() {
        tokio::spawn(liaison_web::notification::sms::run(store.clone(), sms));
    } else {
        tracing::info!("LIAISON_SMS_URL is not set: SMS notifications stay queued, unsent");
    }
    tokio::spawn(sweep_deadlines(store.clone()));
    tokio::spawn(compact_tally(store.clone()));
    tokio::spawn(sweep_orphan_files(store.clone(), state.blobs.clone()));
    let app = liaison_web::router(state);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown())
        .await?;
    crate::data_dir::checkpoint(&store).await;
    store.close().await;
    Ok(())
}

/// The address printed into QR codes and SMS links: the configured one; for the demo, the address it
/// listens on; otherwise none (staff pages then say that codes cannot be printed yet).
fn public_url(config: &Config, demo_data: bool, listening: &str) -> Option<String> {
    if !config.public_url.is_empty() {
        return Some(config.public_url.clone());
    }
    if demo_data {
        return Some(listening.to_owned());
    }
    println!("未设置对外访问地址（LIAISON_PUBLIC_URL）：二维码和短信链接暂不能生成。");
    None
}

/// The deadline sweep: every minute, the audit checkpoint, due-soon and overdue alerts for whoever holds an item, then the
/// duplicate pass (疑似重复). Both keep their state in the items themselves, so a restart simply runs
/// them again and nothing is sent or flagged twice.
async fn sweep_deadlines(store: Store) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        crate::data_dir::checkpoint(&store).await;
        match store.sweep_deadlines(chrono::Utc::now()).await {
            Ok(s) if s.due_soon + s.overdue > 0 => {
                tracing::info!(due_soon = s.due_soon, overdue = s.overdue, "deadline sweep")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "deadline sweep failed; retrying in a minute"),
        }
        // 疑似重复: the items submitted since the last pass, compared with earlier open ones
        match store.flag_duplicates().await {
            Ok(d) if d.flagged > 0 => {
                tracing::info!(checked = d.checked, flagged = d.flagged, "duplicate pass")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "duplicate pass failed; retrying in a minute"),
        }
    }
}

/// Every 10 seconds: the work queue's counter changes folded into the counters (`opinion::tally`), so
/// a read sums a few seconds' changes at most. A failure (two instances compacting at once on
/// PostgreSQL) is retried at the next tick; nothing is lost, the changes wait.
async fn compact_tally(store: Store) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = store.compact_tally().await {
            tracing::warn!(error = %e, "counter compaction failed; retrying in 10 seconds");
        }
    }
}

/// Every hour: files no row refers to (a submission refused after its photos were stored, a crash
/// between the two), once they are an hour old. A file still referred to is never removed.
async fn sweep_orphan_files(store: Store, blobs: liaison_store::blob::Blobs) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match store
            .sweep_orphan_files(&blobs, liaison_store::blob::ORPHAN_AGE)
            .await
        {
            Ok(n) if n > 0 => tracing::info!(removed = n, "orphan file sweep"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "orphan file sweep failed; retrying in an hour"),
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

pub async fn audit_verify(config: &Config) -> AnyResult {
    let store = open(config).await?;
    match store.audit_verify().await? {
        Ok(n) => {
            println!("审计日志完整：{n} 条记录，哈希链校验通过。");
            Ok(())
        }
        Err(b) => Err(format!("审计日志被篡改：{b}").into()),
    }
}

pub async fn bootstrap(config: &Config, region: &str, username: &str) -> AnyResult {
    let store = open(config).await?;
    let code = RegionCode::parse(region)?;
    if !matches!(
        code.level(),
        RegionLevel::Province | RegionLevel::City | RegionLevel::County
    ) {
        return Err("部署范围应为省、市或县级行政区".into());
    }
    liaison_domain::password::validate_username(username)?;
    let password = random_password();
    let admin = NewAccount {
        username: username.to_owned(),
        display_name: "系统管理员".into(),
        region: code.clone(),
        roles: vec![Role::SystemAdmin],
        unit_id: None,
        station_id: None,
        person_id: None,
        password_hash: hash_password(&password)?,
        must_change_password: true,
    };
    store
        .bootstrap(&Actor::system("bootstrap"), &code, admin)
        .await
        .map_err(|e| match e {
            liaison_store::StoreError::Conflict(_) => "系统已初始化，不能再次初始化".to_string(),
            liaison_store::StoreError::NotFound => format!("没有行政区划代码 {region}"),
            other => other.to_string(),
        })?;
    println!("已创建系统管理员 {username}，初始密码（只显示这一次，首次登录须修改）：{password}");
    println!(
        "下一步：系统管理员登录后，在“账号管理”中创建第一个安全管理员和第一个审计管理员（三员分立，见 docs/ADMINISTRATORS.md）。"
    );
    Ok(())
}
