//! Receipt codes (回执码) for citizens' opinions.

/// Receipt codes: 8 characters of the QR-code alphabet (no 0/O, 1/I/L, 2/Z, 5/S), shown as
/// `ABCD-EFGH`, safe to read aloud over the phone; ≈38 bits, and the tracking page also asks for the
/// phone's last 4 digits when a phone was given.
pub const RECEIPT_LEN: usize = 8;

pub fn new_receipt() -> String {
    use rand::RngCore;
    let alphabet = crate::registry::qr::ALPHABET;
    let mut rng = rand::rng();
    (0..RECEIPT_LEN)
        .map(|_| {
            loop {
                let b = (rng.next_u32() & 0xff) as usize;
                if b < 256 - 256 % alphabet.len() {
                    return alphabet[b % alphabet.len()] as char;
                }
            }
        })
        .collect()
}

/// What someone typed (any case, spaces, dashes) as a receipt code, or `None`.
pub fn parse_receipt(s: &str) -> Option<String> {
    let c: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '－')
        .collect::<String>()
        .to_uppercase();
    (c.len() == RECEIPT_LEN && c.bytes().all(|b| crate::registry::qr::ALPHABET.contains(&b))).then_some(c)
}

/// `ABCDEFGH` → `ABCD-EFGH`.
pub fn show_receipt(code: &str) -> String {
    if code.len() == RECEIPT_LEN && code.is_ascii() {
        format!("{}-{}", &code[..4], &code[4..])
    } else {
        code.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_read_aloud() {
        let r = new_receipt();
        assert_eq!(r.len(), RECEIPT_LEN);
        assert_eq!(parse_receipt(&show_receipt(&r).to_lowercase()), Some(r.clone()));
        assert_eq!(
            parse_receipt(" abcd efgh "),
            Some("ABCDEFGH".into()),
            "spaces and case do not matter"
        );
        assert_eq!(parse_receipt("ABCD-0FGH"), None, "0 is not in the alphabet");
        assert_eq!(parse_receipt("ABCD-EFG"), None);
    }
}
