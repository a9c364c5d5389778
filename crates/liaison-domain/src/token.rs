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

/// A first or reset password (shown once, must be changed at the first login) that one person can
/// read out to another over the phone: three groups of four joined by `-`, one capital then
/// lowercase letters, digits, lowercase letters, without look-alikes (0/O, 1/l/I), e.g.
/// `Kmrt-4827-pxav` (≈ 48 bits: enough for a password that lives until its first use behind the
/// login throttle). It passes the default policy.
pub fn random_password() -> String {
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const DIGITS: &[u8] = b"23456789";
    let mut rng = rand::rng();
    let mut pick = |set: &[u8]| set[(rng.next_u32() as usize) % set.len()] as char;
    loop {
        let mut out = String::with_capacity(14);
        out.push(pick(UPPER));
        (0..3).for_each(|_| out.push(pick(LOWER)));
        out.push('-');
        (0..4).for_each(|_| out.push(pick(DIGITS)));
        out.push('-');
        (0..4).for_each(|_| out.push(pick(LOWER)));
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

    #[test]
    fn first_passwords_read_out_over_the_phone() {
        for _ in 0..200 {
            let p = random_password();
            let groups: Vec<&str> = p.split('-').collect();
            assert_eq!(groups.len(), 3, "{p}");
            assert!(groups.iter().all(|g| g.len() == 4), "{p}");
            assert!(groups[1].bytes().all(|b| b.is_ascii_digit()), "{p}");
            assert!(!p.contains(['0', '1', 'O', 'l', 'I']), "{p}");
            assert!(
                crate::password::PasswordPolicy::default()
                    .violations(&p, "")
                    .is_empty(),
                "{p}"
            );
        }
        assert_ne!(random_password(), random_password());
    }
}
