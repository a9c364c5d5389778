//! The short ids behind printed QR codes: random, unguessable, safe to read aloud, revocable (the
//! revocation lives with the id in the database).

use rand::RngCore;

/// No 0/O, 1/I/L, 2/Z, 5/S: nothing a voter or clerk can misread.
pub const ALPHABET: &[u8] = b"346789ABCDEFGHJKMNPQRTUVWXY";
/// 10 characters of 27 symbols ≈ 47 bits.
pub const LEN: usize = 10;

pub fn new_code() -> String {
    random_code(LEN)
}

/// `len` random characters of [`ALPHABET`] (receipt codes use it too).
pub fn random_code(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| {
            // rejection sampling keeps the distribution uniform
            loop {
                let b = (rng.next_u32() & 0xff) as usize;
                if b < 256 - 256 % ALPHABET.len() {
                    return ALPHABET[b % ALPHABET.len()] as char;
                }
            }
        })
        .collect()
}

/// Normalises what someone typed or a scanner read: upper case, no spaces; `None` if it cannot be one.
pub fn parse_code(s: &str) -> Option<String> {
    let c: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase();
    (c.len() == LEN && c.bytes().all(|b| ALPHABET.contains(&b))).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_back_and_differ() {
        let a = new_code();
        assert_eq!(parse_code(&a.to_lowercase()), Some(a.clone()));
        assert_ne!(a, new_code());
        assert_eq!(parse_code("OIL0000000"), None);
        assert_eq!(parse_code("short"), None);
    }
}
