//! The audit log: what an entry records (`AuditAction`, with its Chinese label) and the hash chain. Each
//! entry's hash covers its content and the previous entry's hash, so a changed, inserted or deleted row
//! breaks the chain from that point on.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod action;

pub use action::AuditAction;

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
    /// SHA-256 over the previous hash and every field, each length-prefixed so no two entries collide.
    pub fn chain_hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
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
        hex::encode(h.finalize())
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
        }
    }
}

/// Incremental verifier: feed stored rows in `seq` order, then `finish` with the recorded head.
#[derive(Debug)]
pub struct ChainVerifier {
    prev_hash: String,
    next_seq: i64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            prev_hash: GENESIS.to_owned(),
            next_seq: 1,
        }
    }
}

impl ChainVerifier {
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
        if entry.chain_hash(stored_prev) != stored_hash {
            return Err(ChainBreak::Content { seq: entry.seq });
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
                let h = e.chain_hash(&prev);
                let row = (e, prev.clone(), h.clone());
                prev = h;
                row
            })
            .collect()
    }

    fn verify(rows: &[(AuditEntry, String, String)], head: (i64, &str)) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::default();
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
}
