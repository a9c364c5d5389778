//! What keeps the audit chain honest against someone who can write to the database: the key the
//! chain is hashed with, and a sealed checkpoint of the head. Both live outside the database (the
//! server keeps them in its data folder, owner-only, or takes the key from the environment).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::DomainError;

/// The deployment's 32-byte audit key.
#[derive(Clone)]
pub struct AuditKey([u8; 32]);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(***)")
    }
}

impl AuditKey {
    /// 64 hexadecimal digits (surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Result<AuditKey, DomainError> {
        let bytes = hex::decode(text.trim())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or(DomainError::InvalidAuditKey)?;
        Ok(AuditKey(bytes))
    }

    pub fn generate() -> AuditKey {
        use rand::RngCore;
        let mut b = [0u8; 32];
        rand::rng().fill_bytes(&mut b);
        AuditKey(b)
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }

    fn mac(&self, parts: &[&str]) -> String {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        for p in parts {
            m.update(&(p.len() as u64).to_be_bytes());
            m.update(p.as_bytes());
        }
        hex::encode(m.finalize().into_bytes())
    }
}

/// The chain's head (entry `seq` had `hash`) as it was at some moment, kept outside the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    /// Entries up to this one were written before the deployment had an audit key (unkeyed SHA-256).
    /// The first checkpoint pinned their last hash; every keyed entry after them chains from it.
    pub legacy_until: i64,
}

impl Checkpoint {
    /// One line: `seq hash legacy_until seal`, the seal an HMAC of the three with `key`.
    pub fn to_line(&self, key: &AuditKey) -> String {
        let seq = self.seq.to_string();
        let legacy = self.legacy_until.to_string();
        let seal = key.mac(&["checkpoint", &seq, &self.hash, &legacy]);
        format!("{seq} {} {legacy} {seal}\n", self.hash)
    }

    /// Reads a line written by [`Checkpoint::to_line`]; a line whose seal does not match (edited
    /// without the key, or written with another key) is refused.
    pub fn from_line(line: &str, key: &AuditKey) -> Result<Checkpoint, DomainError> {
        let bad = || DomainError::InvalidCheckpoint;
        let mut it = line.split_whitespace();
        let (Some(seq), Some(hash), Some(legacy), Some(seal), None) =
            (it.next(), it.next(), it.next(), it.next(), it.next())
        else {
            return Err(bad());
        };
        if key.mac(&["checkpoint", seq, hash, legacy]) != seal {
            return Err(bad());
        }
        Ok(Checkpoint {
            seq: seq.parse().map_err(|_| bad())?,
            hash: hash.to_owned(),
            legacy_until: legacy.parse().map_err(|_| bad())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_reads_back_only_with_its_key_and_unedited() {
        let key = AuditKey::generate();
        let cp = Checkpoint {
            seq: 42,
            hash: "ab".repeat(32),
            legacy_until: 7,
        };
        let line = cp.to_line(&key);
        assert_eq!(Checkpoint::from_line(&line, &key).unwrap(), cp);
        assert!(Checkpoint::from_line(&line, &AuditKey::generate()).is_err());
        let edited = line.replacen("42", "41", 1);
        assert!(Checkpoint::from_line(&edited, &key).is_err());
        assert!(Checkpoint::from_line("", &key).is_err());
        assert!(AuditKey::from_hex("xyz").is_err());
        assert_eq!(AuditKey::from_hex(&key.to_hex()).unwrap().to_hex(), key.to_hex());
        assert_eq!(format!("{key:?}"), "AuditKey(***)");
    }
}
