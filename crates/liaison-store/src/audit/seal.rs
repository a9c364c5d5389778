//! The audit chain's seal: the key its hashes are made with and the checkpoint of its head, both kept
//! outside the database by whoever opens the store (the server: `audit.key` and `audit.head` in the
//! data folder, owner-only). The checkpoint moves forward only while the entry it named is still
//! there unchanged; removing or rewriting entries and the head together is then found by
//! `audit_verify`. What is not yet in a checkpoint (the last minute) is guarded by the key alone.

use std::io::Write;
use std::path::PathBuf;

use liaison_domain::audit::{AuditKey, ChainBreak, Checkpoint};

use super::AuditRow;
use crate::{Result, Store, StoreError};

#[derive(Debug)]
pub struct AuditSeal {
    pub(crate) key: AuditKey,
    /// Where the checkpoint is kept; `None`: no checkpoint (tests, tools).
    checkpoint_file: Option<PathBuf>,
}

impl Default for AuditSeal {
    /// A fixed key and no checkpoint: for tests and tools only. The server always opens the store
    /// with the deployment's own key ([`Store::with_audit_seal`]).
    fn default() -> Self {
        AuditSeal {
            key: AuditKey::from_hex(&"00".repeat(32)).expect("constant key"),
            checkpoint_file: None,
        }
    }
}

impl AuditSeal {
    pub fn new(key: AuditKey, checkpoint_file: Option<PathBuf>) -> AuditSeal {
        AuditSeal { key, checkpoint_file }
    }

    /// The checkpoint on file: `Ok(None)` when there is none yet, `Err` when the file was edited.
    pub(crate) fn read_checkpoint(&self) -> std::result::Result<Option<Checkpoint>, ChainBreak> {
        let Some(path) = &self.checkpoint_file else {
            return Ok(None);
        };
        match std::fs::read_to_string(path) {
            Ok(line) => Checkpoint::from_line(&line, &self.key)
                .map(Some)
                .map_err(|_| ChainBreak::CheckpointUnreadable),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(_) => Err(ChainBreak::CheckpointUnreadable),
        }
    }

    fn write_checkpoint(&self, cp: &Checkpoint) -> Result<()> {
        let Some(path) = &self.checkpoint_file else {
            return Ok(());
        };
        let tmp = path.with_extension("tmp");
        let io = |e: std::io::Error| StoreError::Corrupt(format!("audit checkpoint {}: {e}", path.display()));
        let mut f = owner_only_file(&tmp).map_err(io)?;
        f.write_all(cp.to_line(&self.key).as_bytes()).map_err(io)?;
        f.sync_all().map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)?;
        Ok(())
    }
}

/// A new file readable and writable by the owner only.
pub fn owner_only_file(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

impl Store {
    /// This store, appending and verifying with the deployment's key and checkpoint.
    pub fn with_audit_seal(mut self, seal: AuditSeal) -> Store {
        self.seal = std::sync::Arc::new(seal);
        self
    }

    pub fn audit_seal(&self) -> &AuditSeal {
        &self.seal
    }

    /// Moves the checkpoint to the current head, if the entry the old checkpoint named is still
    /// there with the same hash; otherwise leaves it (so the break stays visible) and says where.
    pub async fn audit_checkpoint(&self) -> Result<std::result::Result<Checkpoint, ChainBreak>> {
        let old = match self.seal.read_checkpoint() {
            Ok(c) => c,
            Err(b) => return Ok(Err(b)),
        };
        let (seq, hash): (i64, String) = with_pool!(&self.write, p => {
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(p).await?
        });
        if let Some(old) = &old
            && old.seq > 0
        {
            let at: Option<(String,)> = with_pool!(&self.write, p => {
                sqlx::query_as("SELECT hash FROM audit_log WHERE seq = $1").bind(old.seq).fetch_optional(p).await?
            });
            if seq < old.seq || at.is_none_or(|(h,)| h != old.hash) {
                return Ok(Err(ChainBreak::Checkpoint {
                    checkpoint_seq: old.seq,
                    last_seq: seq,
                }));
            }
        }
        let legacy_until = match &old {
            Some(old) => old.legacy_until,
            // the first checkpoint: a head written before the key (unkeyed) marks where those end
            None => self.audit_legacy_head(seq, &hash).await?,
        };
        let cp = Checkpoint {
            seq,
            hash,
            legacy_until,
        };
        self.seal.write_checkpoint(&cp)?;
        Ok(Ok(cp))
    }

    /// `seq` when the head entry carries an unkeyed hash (a chain from before the key), else 0.
    async fn audit_legacy_head(&self, seq: i64, hash: &str) -> Result<i64> {
        let last: Option<AuditRow> = with_pool!(&self.write, p => {
            sqlx::query_as(
                "SELECT seq, at, actor_id, actor, action, target, region_code, ip, detail, prev_hash, hash \
                 FROM audit_log WHERE seq = $1",
            )
            .bind(seq)
            .fetch_optional(p)
            .await?
        });
        Ok(match last {
            Some(r) if r.hash == hash && r.entry().legacy_hash(&r.prev_hash) == hash => seq,
            _ => 0,
        })
    }
}
