//! Random secrets (session tokens, CSRF tokens, setup tokens) and their stored digests.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 32 random bytes, hex: 256 bits, safe in a cookie or URL.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// What the database keeps of a token: its SHA-256, so a stolen database gives no live sessions.
pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Constant-time comparison of two secrets.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A password that passes the default policy, for bootstrap and resets (shown once, must be changed).
pub fn random_password() -> String {
    const SETS: [&[u8]; 4] = [
        b"ABCDEFGHJKLMNPQRSTUVWXYZ",
        b"abcdefghijkmnpqrstuvwxyz",
        b"23456789",
        b"#%+=@!",
    ];
    let mut rng = rand::rng();
    loop {
        let mut out = String::new();
        for i in 0..14 {
            let set = SETS[if i < 4 { i } else { (rng.next_u32() % 4) as usize }];
            out.push(set[(rng.next_u32() as usize) % set.len()] as char);
        }
        if crate::password::PasswordPolicy::default()
            .violations(&out, "")
            .is_empty()
        {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_distinct_and_digests_stable() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert_eq!(token_digest(&a), token_digest(&a));
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&a, &random_token()));
    }

    #[test]
    fn random_passwords_pass_policy() {
        for _ in 0..50 {
            let p = random_password();
            assert!(crate::password::PasswordPolicy::default().check(&p, "").is_ok());
        }
    }
}
