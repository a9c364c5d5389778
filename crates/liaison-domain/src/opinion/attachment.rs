//! 答复附件: the files a handling unit sends with its reply — photos (before / after) and the scanned
//! reply letter (答复函, a PDF). What each is is read from the content, never from the name; whether
//! the citizen sees one is a flag staff can change (photos shown by default, the letter not: it may
//! carry names).

use serde::{Deserialize, Serialize};

/// Most files one reply carries.
pub const MAX_FILES: usize = 4;
/// Largest reply letter (PDF) accepted, stored as it is.
pub const LETTER_MAX_BYTES: usize = 10 * 1024 * 1024;

/// What an attachment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    /// A photo, stored re-encoded as JPEG without its metadata.
    Photo,
    /// The scanned reply letter (答复函), a PDF stored as sent.
    Letter,
}

impl AttachmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentKind::Photo => "photo",
            AttachmentKind::Letter => "letter",
        }
    }

    pub fn parse(s: &str) -> Option<AttachmentKind> {
        match s {
            "photo" => Some(AttachmentKind::Photo),
            "letter" => Some(AttachmentKind::Letter),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AttachmentKind::Photo => "照片",
            AttachmentKind::Letter => "答复函",
        }
    }

    /// Whether the citizen sees one unless staff decide otherwise.
    pub fn public_by_default(self) -> bool {
        matches!(self, AttachmentKind::Photo)
    }

    /// What a file is, from its first bytes: a JPEG or PNG photo, or a PDF letter; anything else is
    /// refused with the Chinese message. Sizes are checked by the caller's limits (`LETTER_MAX_BYTES`).
    pub fn of(bytes: &[u8]) -> Result<AttachmentKind, &'static str> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] | [0x89, b'P', b'N', b'G', ..] => Ok(AttachmentKind::Photo),
            b if b.starts_with(b"%PDF-") && b.len() <= LETTER_MAX_BYTES => Ok(AttachmentKind::Letter),
            b if b.starts_with(b"%PDF-") => Err("答复函（PDF）不能超过 10 MB"),
            _ => Err(WRONG_TYPE),
        }
    }
}

/// What to say about a file that is neither a photo nor a PDF.
pub const WRONG_TYPE: &str = "只能上传 JPG、PNG 照片或 PDF 格式的答复函";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_comes_from_the_content() {
        assert_eq!(AttachmentKind::of(b"%PDF-1.7 ..."), Ok(AttachmentKind::Letter));
        assert_eq!(
            AttachmentKind::of(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok(AttachmentKind::Photo)
        );
        assert_eq!(AttachmentKind::of(b"\x89PNG\r\n"), Ok(AttachmentKind::Photo));
        assert_eq!(AttachmentKind::of(b"<html>%PDF-"), Err(WRONG_TYPE));
        assert_eq!(AttachmentKind::of(b"PK\x03\x04"), Err(WRONG_TYPE));
        let mut big = b"%PDF-".to_vec();
        big.resize(LETTER_MAX_BYTES + 1, b' ');
        assert!(AttachmentKind::of(&big).is_err());
        assert!(AttachmentKind::Photo.public_by_default() && !AttachmentKind::Letter.public_by_default());
        for k in [AttachmentKind::Photo, AttachmentKind::Letter] {
            assert_eq!(AttachmentKind::parse(k.as_str()), Some(k));
        }
    }
}
