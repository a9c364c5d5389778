//! Masking personal information for anything the public (or a role without the need) can see.

/// `13812345678` -> `138****5678`; landlines keep the area code and the last two digits.
pub fn phone(p: &str) -> String {
    let digits: Vec<char> = p.chars().filter(|c| c.is_ascii_digit()).collect();
    let n = digits.len();
    if n == 0 {
        return String::new();
    }
    if n == 11 && digits[0] == '1' {
        let head: String = digits[..3].iter().collect();
        let tail: String = digits[7..].iter().collect();
        return format!("{head}****{tail}");
    }
    if n <= 4 {
        return "*".repeat(n);
    }
    // a landline keeps its area code (010 and 02x are three digits, others four)
    let keep_head = match (digits[0], digits[1]) {
        ('0', '1' | '2') => 3,
        ('0', _) => 4,
        _ => (n / 3).min(4),
    };
    let head: String = digits[..keep_head].iter().collect();
    let tail: String = digits[n - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(n - keep_head - 2))
}

/// `张三` -> `张*`, `欧阳修文` -> `欧***`: keeps the first character only.
pub fn name(n: &str) -> String {
    let mut chars = n.trim().chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn masks() {
        assert_eq!(phone("13812345678"), "138****5678");
        assert_eq!(phone("0974-8512345"), "0974*****45");
        assert_eq!(phone("010-12345678"), "010******78");
        assert_eq!(phone(""), "");
        assert_eq!(name("张三"), "张*");
        assert_eq!(name("欧阳修文"), "欧***");
        assert_eq!(name("李"), "李*");
    }

    proptest! {
        /// A masked mobile number never shows the middle four digits.
        #[test]
        fn mobile_middle_never_shown(mid in "[0-9]{4}", tail in "[0-9]{4}") {
            let p = format!("139{mid}{tail}");
            let m = phone(&p);
            prop_assert_eq!(m.len(), 11);
            prop_assert!(m.contains("****"));
            prop_assert!(!m[3..7].contains(|c: char| c.is_ascii_digit()));
        }
    }
}
