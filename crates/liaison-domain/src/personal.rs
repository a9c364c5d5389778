//! Personal information of citizens (their names and phone numbers) as a type a page cannot print by
//! accident: [`Personal`] has no `Display`, its `Debug` shows nothing and it serialises masked. Code that
//! really needs the text (the audited contact read, the SMS sender, the database write) asks for it by
//! name with [`Personal::expose`], so every such place can be found, and encryption at rest later has
//! one place to hook. A phone number typed into a form becomes a [`Phone`] only if it is one (parse,
//! don't validate).

use std::fmt;
use std::marker::PhantomData;

use serde::{Serialize, Serializer};

use crate::{DomainError, mask};

/// How a kind of personal information is masked.
pub trait Masking {
    fn mask(text: &str) -> String;
}

/// A person's name or form of address (`张*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NameKind;

/// A phone number (`138****5678`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PhoneKind;

impl Masking for NameKind {
    fn mask(text: &str) -> String {
        mask::name(text)
    }
}

impl Masking for PhoneKind {
    fn mask(text: &str) -> String {
        mask::phone(text)
    }
}

/// A piece of personal information.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Personal<K> {
    text: String,
    kind: PhantomData<K>,
}

/// A citizen's name as they gave it (may be empty: names are optional).
pub type CitizenName = Personal<NameKind>;
/// A citizen's phone number, digits only (may be empty).
pub type CitizenPhone = Personal<PhoneKind>;
/// A station staff member's (室长's, 联络员's) phone number: not public, read through an audited read
/// like a deputy's.
pub type StaffPhone = Personal<PhoneKind>;

impl<K: Masking> Personal<K> {
    pub fn new(text: impl Into<String>) -> Personal<K> {
        Personal {
            text: text.into(),
            kind: PhantomData,
        }
    }

    /// What anyone without the need to know sees.
    pub fn masked(&self) -> String {
        K::mask(&self.text)
    }

    /// The text itself: only for an audited read, the message sender or the database.
    pub fn expose(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

impl<K: Masking> From<String> for Personal<K> {
    fn from(text: String) -> Personal<K> {
        Personal::new(text)
    }
}

impl<K> fmt::Debug for Personal<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Personal(…)")
    }
}

/// Serialised masked: a value that reaches JSON by accident leaks nothing.
impl<K: Masking> Serialize for Personal<K> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.masked())
    }
}

/// A phone number as typed, checked: 7–12 digits once a `+86` / `0086` before a mobile is dropped;
/// the digits may be written full-width (a Chinese keyboard types them) and separated by spaces,
/// dashes, dots or brackets (the same reading [`mask`] uses). Kept as ASCII digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// `None` for an empty field (a phone is optional), an error for something that is not a number.
    pub fn parse(typed: &str) -> Result<Option<Phone>, DomainError> {
        let typed = typed.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        let ok_chars = typed
            .chars()
            .all(|c| mask::digit_value(c).is_some() || mask::is_separator(c));
        let digits = mask::digits(typed);
        let digits = match digits.strip_prefix("0086").or_else(|| digits.strip_prefix("86")) {
            Some(rest) if mask::is_mobile(rest) => rest.to_owned(),
            _ => digits,
        };
        if !ok_chars || !(7..=12).contains(&digits.len()) {
            return Err(DomainError::Field {
                field: "phone",
                message: "电话号码格式不对，请填写手机号或座机号（可以不填）",
            });
        }
        Ok(Some(Phone(digits)))
    }

    /// The last four digits, which the citizen types to open their tracking page.
    pub fn last4(&self) -> &str {
        &self.0[self.0.len() - 4..]
    }

    pub fn into_personal(self) -> CitizenPhone {
        Personal::new(self.0)
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Phone(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_text_shows_only_masked() {
        let p = CitizenPhone::new("13912345678");
        assert_eq!(p.masked(), "139****5678");
        assert_eq!(format!("{p:?}"), "Personal(…)");
        assert_eq!(serde_json::to_string(&p).unwrap(), r#""139****5678""#);
        assert_eq!(p.expose(), "13912345678");
        let n = CitizenName::new("王建国");
        assert_eq!(n.masked(), "王**");
        assert!(CitizenName::default().is_empty());
    }

    #[test]
    fn phones_are_parsed_once() {
        let p = Phone::parse(" 139-1234 5678 ").unwrap().unwrap();
        assert_eq!(p.last4(), "5678");
        assert_eq!(p.into_personal().expose(), "13912345678");
        assert_eq!(Phone::parse("  ").unwrap(), None);
        assert!(Phone::parse("12345").is_err(), "too short");
        assert!(Phone::parse("1391234567890").is_err(), "too long");
        assert!(Phone::parse("tel:13912345678").is_err());
        assert!(Phone::parse("139 1234 abcd").is_err());
    }

    /// The same number however it is typed: full-width, other dashes and dots, brackets, +86.
    #[test]
    fn a_phone_is_read_like_the_masker_reads_it() {
        for typed in [
            "１３９１２３４５６７８",
            "139－1234－5678",
            "139.1234.5678",
            "(139)1234\u{2014}5678",
            "+86 139 1234 5678",
            "0086-13912345678",
        ] {
            let p = Phone::parse(typed).unwrap().unwrap();
            assert_eq!(p.into_personal().expose(), "13912345678", "{typed}");
        }
        let landline = Phone::parse("（0974）851-2345").unwrap().unwrap();
        assert_eq!(landline.into_personal().expose(), "09748512345");
    }
}
