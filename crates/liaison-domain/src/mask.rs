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

/// Free text made safe to publish: any run of 7 or more digits (a phone number, an ID-card number,
/// a bank card), possibly split by spaces or dashes and ending in the ID card's X, keeps its first
/// three and last two digits and loses the rest to `*`. Full-width digits count as digits.
pub fn free_text(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // the run: digits, single separators between digits, an optional trailing X
        let start = i;
        let mut end = i;
        let mut j = i;
        while j < chars.len() {
            if is_digit(chars[j]) {
                j += 1;
                end = j;
            } else if matches!(chars[j], ' ' | '-' | '－') && j + 1 < chars.len() && is_digit(chars[j + 1]) {
                j += 1;
            } else {
                break;
            }
        }
        let digits = chars[start..end].iter().filter(|c| is_digit(**c)).count();
        if end < chars.len() && matches!(chars[end], 'X' | 'x') && digits == 17 {
            end += 1;
        }
        let total = chars[start..end]
            .iter()
            .filter(|c| is_digit(**c) || matches!(c, 'X' | 'x'))
            .count();
        if total >= 7 {
            let mut seen = 0;
            for &c in &chars[start..end] {
                if is_digit(c) || matches!(c, 'X' | 'x') {
                    seen += 1;
                    out.push(if seen <= 3 || seen > total - 2 { c } else { '*' });
                } else {
                    out.push(c);
                }
            }
        } else {
            out.extend(&chars[start..end]);
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_in_free_text() {
        assert_eq!(
            free_text("路灯坏了，电话13812345678联系"),
            "路灯坏了，电话138******78联系"
        );
        assert_eq!(free_text("身份证63252119800101123X"), "身份证632*************3X");
        assert_eq!(free_text("号码 138 1234 5678 找我"), "号码 138 **** **78 找我");
        assert_eq!(free_text("座机0974-8512345"), "座机097*-*****45");
        assert_eq!(free_text("１３８１２３４５６７８"), "１３８******７８");
        // short numbers stay: house numbers, dates, counts
        assert_eq!(
            free_text("幸福路12号3单元，2026年5月坏了3盏"),
            "幸福路12号3单元，2026年5月坏了3盏"
        );
    }

    proptest! {
        #[test]
        fn no_long_digit_run_survives(s in "[0-9a-z 路-]{0,40}") {
            let out = free_text(&s);
            // digits still visible in one run joined by single separators: never 7 or more
            let cs: Vec<char> = out.chars().collect();
            let mut run = 0;
            for (i, c) in cs.iter().enumerate() {
                let joins = matches!(c, ' ' | '-')
                    && i > 0
                    && (cs[i - 1].is_ascii_digit() || cs[i - 1] == '*')
                    && cs.get(i + 1).is_some_and(|n| n.is_ascii_digit() || *n == '*');
                run = match c {
                    '0'..='9' => run + 1,
                    _ if joins => run,
                    _ => 0,
                };
                prop_assert!(run <= 6, "{} -> {}", s, out);
            }
            prop_assert_eq!(out.chars().count(), s.chars().count());
        }
    }

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
