//! The audit log: what an entry records (`AuditAction`, with its Chinese label) and the hash chain. Each
//! entry's hash covers its content and the previous entry's hash, so a changed, inserted or deleted row
//! breaks the chain from that point on. The hash is keyed (HMAC-SHA256 with the deployment's
//! [`AuditKey`], kept outside the database), so someone who can write to the database cannot recompute
//! it; a [`Checkpoint`] of the head, sealed with the same key and also kept outside the database, makes
//! removing the newest entries (and the head with them) detectable.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod action;
mod seal;

pub use action::AuditAction;
pub use seal::{AuditKey, Checkpoint};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The content of one audit entry as it is hashed (and stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the chain, 1, 2, 3… with no gaps.
    pub seq: i64,
    /// RFC 3339 UTC time with microseconds, as stored.
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub region_code: Option<String>,
    pub ip: String,
    /// Free detail, JSON text.
    pub detail: String,
}

impl AuditEntry {
    /// HMAC-SHA256 with `key` over the previous hash and every field, each length-prefixed so no two
    /// entries collide.
    pub fn chain_hash(&self, prev_hash: &str, key: &AuditKey) -> String {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key.bytes()).expect("HMAC takes any key length");
        self.feed(prev_hash, |b| m.update(b));
        hex::encode(m.finalize().into_bytes())
    }

    /// The unkeyed SHA-256 of the entries written before the audit key existed (the first checkpoint
    /// pins where they end).
    pub fn legacy_hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        self.feed(prev_hash, |b| h.update(b));
        hex::encode(h.finalize())
    }

    fn feed(&self, prev_hash: &str, mut update: impl FnMut(&[u8])) {
        let mut field = |s: &str| {
            update(&(s.len() as u64).to_be_bytes());
            update(s.as_bytes());
        };
        field(prev_hash);
        field(&self.seq.to_string());
        field(&self.at);
        field(&self.actor_id.map(|i| i.to_string()).unwrap_or_default());
        field(&self.actor);
        field(&self.action);
        field(&self.target);
        field(self.region_code.as_deref().unwrap_or(""));
        field(&self.ip);
        field(&self.detail);
    }
}

/// Where a chain stopped holding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// Entry `seq` was expected next but `found` came (a deleted or inserted row).
    Gap { expected: i64, found: i64 },
    /// Entry `seq` does not point at its predecessor's hash.
    Link { seq: i64 },
    /// Entry `seq`'s content does not match its stored hash (a changed row).
    Content { seq: i64 },
    /// The chain ends before the recorded head (rows removed from the end).
    Truncated { head_seq: i64, last_seq: i64 },
    /// The chain ends before, or differs at, the checkpoint kept outside the database (rows and head
    /// removed or rewritten together).
    Checkpoint { checkpoint_seq: i64, last_seq: i64 },
    /// The checkpoint file does not carry a valid seal (edited, or another deployment's key).
    CheckpointUnreadable,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Gap { expected, found } => {
                write!(
                    f,
                    "第 {expected} 条缺失（下一条是第 {found} 条）：有记录被删除或插入"
                )
            }
            ChainBreak::Link { seq } => write!(f, "第 {seq} 条与前一条的哈希不衔接：记录被改动"),
            ChainBreak::Content { seq } => write!(f, "第 {seq} 条内容与其哈希不符：记录被改动"),
            ChainBreak::Truncated { head_seq, last_seq } => write!(
                f,
                "日志只到第 {last_seq} 条，但链头记录为第 {head_seq} 条：末尾记录被删除"
            ),
            ChainBreak::Checkpoint {
                checkpoint_seq,
                last_seq,
            } => write!(
                f,
                "数据库外保存的校验点为第 {checkpoint_seq} 条，与日志（共 {last_seq} 条）不符：记录被删除或改写"
            ),
            ChainBreak::CheckpointUnreadable => {
                write!(
                    f,
                    "数据库外保存的校验点文件已损坏、被改动，或不是用本部署的审计密钥写的"
                )
            }
        }
    }
}

/// Incremental verifier: feed stored rows in `seq` order, then `finish` with the recorded head.
#[derive(Debug)]
pub struct ChainVerifier {
    key: AuditKey,
    prev_hash: String,
    next_seq: i64,
    /// The checkpoint kept outside the database, and whether the chain passed through it.
    checkpoint: Option<Checkpoint>,
    checkpoint_met: bool,
    /// Entries up to this one carry the unkeyed hashes of before the key (see [`Checkpoint`]).
    legacy_until: i64,
}

impl ChainVerifier {
    pub fn new(key: AuditKey, checkpoint: Option<Checkpoint>) -> ChainVerifier {
        let checkpoint_met = checkpoint.as_ref().is_none_or(|c| c.seq == 0);
        let legacy_until = checkpoint.as_ref().map_or(0, |c| c.legacy_until);
        ChainVerifier {
            key,
            prev_hash: GENESIS.to_owned(),
            next_seq: 1,
            checkpoint,
            checkpoint_met,
            legacy_until,
        }
    }

    pub fn push(
        &mut self,
        entry: &AuditEntry,
        stored_prev: &str,
        stored_hash: &str,
    ) -> Result<(), ChainBreak> {
        if entry.seq != self.next_seq {
            return Err(ChainBreak::Gap {
                expected: self.next_seq,
                found: entry.seq,
            });
        }
        if stored_prev != self.prev_hash {
            return Err(ChainBreak::Link { seq: entry.seq });
        }
        let hash = if entry.seq <= self.legacy_until {
            entry.legacy_hash(stored_prev)
        } else {
            entry.chain_hash(stored_prev, &self.key)
        };
        if hash != stored_hash {
            return Err(ChainBreak::Content { seq: entry.seq });
        }
        if let Some(c) = &self.checkpoint
            && c.seq == entry.seq
        {
            if c.hash != stored_hash {
                return Err(ChainBreak::Checkpoint {
                    checkpoint_seq: c.seq,
                    last_seq: entry.seq,
                });
            }
            self.checkpoint_met = true;
        }
        self.prev_hash = stored_hash.to_owned();
        self.next_seq += 1;
        Ok(())
    }

    /// Number of entries verified so far.
    pub fn count(&self) -> i64 {
        self.next_seq - 1
    }

    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        let last = self.next_seq - 1;
        if !self.checkpoint_met {
            return Err(ChainBreak::Checkpoint {
                checkpoint_seq: self.checkpoint.map_or(0, |c| c.seq),
                last_seq: last,
            });
        }
        if head_seq != last || head_hash != self.prev_hash {
            return Err(ChainBreak::Truncated {
                head_seq,
                last_seq: last,
            });
        }
        Ok(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(seq: i64, action: &str) -> AuditEntry {
        AuditEntry {
            seq,
            at: "2026-11-22T00:00:00.000000Z".into(),
            actor_id: Some(1),
            actor: "admin".into(),
            action: action.into(),
            target: "account:2".into(),
            region_code: Some("632521000000".into()),
            ip: "127.0.0.1".into(),
            detail: "{}".into(),
        }
    }

    fn build(n: i64) -> Vec<(AuditEntry, String, String)> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|i| {
                let e = entry(i, &format!("a{i}"));
                let h = e.chain_hash(&prev, &key());
                let row = (e, prev.clone(), h.clone());
                prev = h;
                row
            })
            .collect()
    }

    fn key() -> AuditKey {
        AuditKey::from_hex(&"ab".repeat(32)).unwrap()
    }

    fn verify(rows: &[(AuditEntry, String, String)], head: (i64, &str)) -> Result<i64, ChainBreak> {
        verify_with(rows, head, None)
    }

    fn verify_with(
        rows: &[(AuditEntry, String, String)],
        head: (i64, &str),
        cp: Option<Checkpoint>,
    ) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::new(key(), cp);
        for (e, p, h) in rows {
            v.push(e, p, h)?;
        }
        v.finish(head.0, head.1)
    }

    proptest! {
        #[test]
        fn intact_chain_verifies_and_any_tamper_is_found(n in 1i64..30, k in 0usize..30, kind in 0u8..3) {
            let mut rows = build(n);
            let head = (n, rows.last().unwrap().2.clone());
            prop_assert_eq!(verify(&rows, (head.0, &head.1)), Ok(n));
            let k = k % rows.len();
            match kind {
                0 => rows[k].0.detail = "{\"x\":1}".into(),      // change
                1 => { rows.remove(k); }                           // delete
                _ => { rows.truncate(k); }                         // cut the tail
            }
            prop_assert!(verify(&rows, (head.0, &head.1)).is_err());
        }
    }

    #[test]
    fn without_the_key_a_rewritten_chain_does_not_verify() {
        // someone with database access rewrites entry 2 and recomputes every hash, unkeyed and with a
        // guessed key: neither passes
        let rows = build(3);
        for forge in [None, Some(AuditKey::from_hex(&"00".repeat(32)).unwrap())] {
            let mut prev = GENESIS.to_owned();
            let mut forged = Vec::new();
            for (mut e, _, _) in rows.clone() {
                if e.seq == 2 {
                    e.detail = "{\"forged\":true}".into();
                }
                let h = match &forge {
                    None => e.legacy_hash(&prev),
                    Some(k) => e.chain_hash(&prev, k),
                };
                forged.push((e, prev.clone(), h.clone()));
                prev = h;
            }
            let head = (3, forged.last().unwrap().2.clone());
            assert!(matches!(
                verify(&forged, (head.0, &head.1)),
                Err(ChainBreak::Content { seq: 1 })
            ));
        }
    }

    #[test]
    fn cutting_the_tail_and_the_head_together_is_caught_by_the_checkpoint() {
        let rows = build(5);
        let cp = Checkpoint {
            seq: 4,
            hash: rows[3].2.clone(),
            legacy_until: 0,
        };
        assert_eq!(verify_with(&rows, (5, &rows[4].2), Some(cp.clone())), Ok(5));
        // entries 4 and 5 removed and the head set back to 3: consistent inside the database
        let cut = &rows[..3];
        assert_eq!(verify(cut, (3, &cut[2].2)), Ok(3));
        assert_eq!(
            verify_with(cut, (3, &cut[2].2), Some(cp.clone())),
            Err(ChainBreak::Checkpoint {
                checkpoint_seq: 4,
                last_seq: 3
            })
        );
        // a checkpoint that does not match what is stored at its place
        let other = Checkpoint {
            seq: 2,
            hash: rows[3].2.clone(),
            legacy_until: 0,
        };
        assert!(verify_with(&rows, (5, &rows[4].2), Some(other)).is_err());
    }

    #[test]
    fn entries_from_before_the_key_are_pinned_by_the_first_checkpoint() {
        // three unkeyed entries, then the key arrives and two keyed ones follow
        let mut prev = GENESIS.to_owned();
        let mut rows = Vec::new();
        for i in 1..=5 {
            let e = entry(i, &format!("a{i}"));
            let h = if i <= 3 {
                e.legacy_hash(&prev)
            } else {
                e.chain_hash(&prev, &key())
            };
            rows.push((e, prev.clone(), h.clone()));
            prev = h;
        }
        let first = Checkpoint {
            seq: 3,
            hash: rows[2].2.clone(),
            legacy_until: 3,
        };
        assert_eq!(verify_with(&rows, (5, &rows[4].2), Some(first.clone())), Ok(5));
        // the unkeyed part rewritten and recomputed by someone without the key
        let mut forged = rows.clone();
        forged[0].0.detail = "{}x".into();
        let mut p = GENESIS.to_owned();
        for r in forged.iter_mut().take(3) {
            r.1 = p.clone();
            r.2 = r.0.legacy_hash(&p);
            p = r.2.clone();
        }
        assert!(verify_with(&forged, (5, &rows[4].2), Some(first)).is_err());
    }
}
