//! The data folder: created owner-only (it holds the database, citizens' photos, exports and the audit
//! key), and the audit key and checkpoint kept in it — outside the database, so that whoever can
//! write to the database (a DBA on PostgreSQL) can neither recompute the audit chain nor cut its end
//! unseen.

use std::path::Path;

use liaison_domain::audit::AuditKey;
use liaison_store::Store;
use liaison_store::audit::seal::{AuditSeal, owner_only_file};

use crate::AnyResult;
use crate::config::Config;

/// Environment variable that, when set, holds the audit key (64 hex digits) instead of `audit.key`.
pub const AUDIT_KEY_ENV: &str = "LIAISON_AUDIT_KEY";

/// Creates the data folder and its subfolders, readable by the owner only (existing ones are
/// narrowed to that too, with the database file).
pub fn prepare(dir: &Path) -> AnyResult {
    for sub in ["", "files", "exports", "backups"] {
        let p = dir.join(sub);
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(&p)
            .map_err(|e| format!("cannot create data folder {}: {e}", p.display()))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let owner_only = |p: &Path, mode: u32| {
            if p.exists() {
                let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
            }
        };
        owner_only(dir, 0o700);
        for f in [
            "liaison.db",
            "liaison.db-wal",
            "liaison.db-shm",
            "demo-accounts.txt",
        ] {
            owner_only(&dir.join(f), 0o600);
        }
    }
    Ok(())
}

/// The deployment's audit key: `LIAISON_AUDIT_KEY`, else `audit.key` in the data folder, created on
/// first use.
pub fn audit_key(dir: &Path) -> AnyResult<AuditKey> {
    if let Some(v) = std::env::var(AUDIT_KEY_ENV).ok().filter(|v| !v.trim().is_empty()) {
        return Ok(AuditKey::from_hex(&v).map_err(|e| format!("{AUDIT_KEY_ENV}: {e}"))?);
    }
    let path = dir.join("audit.key");
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(AuditKey::from_hex(&text).map_err(|e| format!("{}: {e}", path.display()))?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = AuditKey::generate();
            let mut f = owner_only_file(&path)?;
            std::io::Write::write_all(&mut f, format!("{}\n", key.to_hex()).as_bytes())?;
            f.sync_all()?;
            tracing::info!(path = %path.display(), "created the audit key; back it up with the database");
            Ok(key)
        }
        Err(e) => Err(format!("cannot read {}: {e}", path.display()).into()),
    }
}

/// Seals the store's audit chain with the deployment's key and checkpoint (the first checkpoint also
/// pins the end of a chain written before the key existed).
pub async fn seal(store: Store, config: &Config) -> AnyResult<Store> {
    let key = audit_key(&config.data_dir)?;
    let store = store.with_audit_seal(AuditSeal::new(key, Some(config.data_dir.join("audit.head"))));
    checkpoint(&store).await;
    Ok(store)
}

/// Moves the checkpoint to the head; a break is logged loudly and left for `audit verify`.
pub async fn checkpoint(store: &Store) {
    match store.audit_checkpoint().await {
        Ok(Ok(_)) => {}
        Ok(Err(b)) => tracing::error!("审计日志校验点不符，未更新：{b}（请运行 liaison audit verify）"),
        Err(e) => tracing::warn!(error = %e, "audit checkpoint failed; retrying in a minute"),
    }
}
