//! 公开电话: the numbers a deployment publishes itself, in every form they may be written in.

use std::collections::HashSet;

use super::{MASK_FROM, PUBLIC_MAX, is_mobile};

/// The phone numbers a deployment publishes itself (公开电话): handling units' and stations' office
/// numbers from the registry and the numbers staff add to the list. Masking leaves them intact, in
/// any writing (`0974-8512345`, `(0974)8512345`, `8512345` without the area code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicPhones {
    digits: HashSet<String>,
}

impl PublicPhones {
    /// From numbers as typed; a field may hold several (`0974-8512345/8512346`). Anything shorter
    /// than seven digits is not a phone number and is ignored.
    pub fn new<S: AsRef<str>>(numbers: impl IntoIterator<Item = S>) -> PublicPhones {
        let mut digits = HashSet::new();
        for field in numbers {
            for part in field
                .as_ref()
                .split(['/', '／', '、', ',', '，', ';', '；', '|', '\n'])
            {
                // two numbers side by side with only a space between are two numbers
                let d = super::digits(part);
                let pieces: Vec<String> = if d.len() > PUBLIC_MAX + 4 {
                    part.split_whitespace().map(super::digits).collect()
                } else {
                    vec![d]
                };
                for form in pieces.iter().flat_map(|d| Self::forms(d)) {
                    if (MASK_FROM..=PUBLIC_MAX).contains(&form.len()) {
                        digits.insert(form);
                    }
                }
            }
        }
        PublicPhones { digits }
    }

    /// One number as it may be written: whole, without the country code, without the area code.
    fn forms(d: &str) -> Vec<String> {
        let d = d
            .strip_prefix("0086")
            .or_else(|| d.strip_prefix("86").filter(|rest| is_mobile(rest)))
            .unwrap_or(d);
        let mut v = vec![d.to_owned()];
        if d.starts_with('0') && (10..=12).contains(&d.len()) {
            let area = if matches!(d.as_bytes()[1], b'1' | b'2') {
                3
            } else {
                4
            };
            v.push(d[area..].to_owned());
        }
        v
    }

    pub fn is_empty(&self) -> bool {
        self.digits.is_empty()
    }

    pub fn len(&self) -> usize {
        self.digits.len()
    }

    /// Whether these digits (ASCII) are a public number.
    pub fn contains(&self, digits: &str) -> bool {
        self.digits.contains(digits)
    }
}
