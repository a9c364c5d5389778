//! Masking personal information for anything the public (or a role without the need) can see.
//!
//! Free text is masked on its *normalised digit sequence*: every character a reader takes for a digit
//! counts as one (ASCII and full-width digits, circled and other Unicode digits, Chinese numerals
//! 〇零一…九 and 幺, the capitals 壹贰叁…), and anything that is neither a letter nor a digit (spaces of
//! any width, dashes of every width, dots, underscores, slashes, brackets, zero-width characters, …)
//! is skipped between digits, remembering where each digit stood. A run of seven or more digits that
//! is not one of the deployment's [`PublicPhones`] keeps its first three and last two digits and
//! loses the rest to `*`, in the original characters. A mobile number split by up to three letters
//! (`138a1234b5678`) is found as well. Masking replaces characters one for one, so it never moves
//! text around and masking twice changes nothing.

mod digits;
mod public;
#[cfg(test)]
mod tests;
mod text;

use std::sync::Arc;

pub use digits::{digit_value, digits, is_mobile, is_separator};
pub use public::PublicPhones;
use text::mask_numbers;

/// How many digits a masked run keeps at its start and at its end.
const KEEP_HEAD: usize = 3;
const KEEP_TAIL: usize = 2;
/// A run of this many digits (or more) is masked: phones (7–8 digit local numbers, 11-digit mobiles,
/// 10–12 digit landlines with their area code), ID-card, bank-card and account numbers.
const MASK_FROM: usize = 7;
/// The longest public number (a landline with its area code; a country code is dropped).
const PUBLIC_MAX: usize = 12;
/// A mobile number is also found across this many characters of anything but a line break.
const LOOSE_GAP: usize = 3;

/// `13812345678` -> `138****5678`; landlines keep the area code and the last two digits.
pub fn phone(p: &str) -> String {
    let digits: Vec<char> = digits(p).chars().collect();
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

/// What a text is cleaned of before a reader without the need to know sees it: every number that is
/// not public, and the names given (the citizen's own, say).
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    public: Arc<PublicPhones>,
    names: Vec<String>,
}

impl Redactor {
    pub fn new(public: Arc<PublicPhones>) -> Redactor {
        Redactor {
            public,
            names: Vec::new(),
        }
    }

    /// Also masks every occurrence of this name (`王秀英` -> `王**`); a name of one character is
    /// left alone (it would mask every word with that character).
    pub fn with_name(mut self, name: &str) -> Redactor {
        let n = name.trim();
        if n.chars().count() >= 2 && !self.names.iter().any(|x| x == n) {
            self.names.push(n.to_owned());
        }
        self
    }

    /// The text as that reader sees it.
    pub fn text(&self, s: &str) -> String {
        // numbers first: a masked name's `*` next to digits would read as masked digits
        let mut s = mask_numbers(s, &self.public);
        for n in &self.names {
            if s.contains(n.as_str()) {
                s = s.replace(n.as_str(), &self::name(n));
            }
        }
        s
    }
}

/// Free text made safe to publish, with nothing kept public: see the module's rule.
pub fn free_text(s: &str) -> String {
    mask_numbers(s, &PublicPhones::default())
}

/// Free text made safe to publish, keeping the deployment's public numbers.
pub fn free_text_keeping(s: &str, public: &PublicPhones) -> String {
    mask_numbers(s, public)
}
