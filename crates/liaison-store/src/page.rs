//! Keyset paging (翻页位置): a list is read `limit + 1` rows at a time after (or before) the sort key
//! of the last row shown, never by offset. [`Paged`] is one page of rows and where the next starts;
//! [`Key`] is such a position as it travels in a URL. A position that does not parse is no position:
//! the first page, never an error (a link may be old, cut short or typed by hand).
//!
//! The positions: an `i64` id (lists by id), a [`Cursor`] (region code, id) and a [`TimeCursor`]
//! (time, id).

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};

/// A keyset position written into a URL by `Display` and read back by `parse`.
pub trait Key: Sized + fmt::Display {
    /// The position written by `Display` (or an older link's form); `None` for anything else.
    fn parse(s: &str) -> Option<Self>;
}

/// One page of a list and the position the next page starts after; `None` on the last page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged<T, K> {
    pub rows: Vec<T>,
    pub next: Option<K>,
}

/// How many rows to read for a page of `limit`: one more, which tells whether another page follows.
pub fn fetch(limit: i64) -> i64 {
    limit + 1
}

impl<T, K> Paged<T, K> {
    /// Rows read with [`fetch`]`(limit)`, cut to `limit`; when there were more, the next page
    /// starts at the key of the last row kept.
    pub fn cut(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> K) -> Paged<T, K> {
        let limit = usize::try_from(limit).unwrap_or(0);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = if more { rows.last().map(key) } else { None };
        Paged { rows, next }
    }
}

impl Key for i64 {
    fn parse(s: &str) -> Option<i64> {
        s.trim().parse().ok()
    }
}

/// A position in a list ordered by (region code, id): `632521100201.123` in a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub region: String,
    pub id: i64,
}

impl Cursor {
    pub fn new(region: &str, id: i64) -> Cursor {
        Cursor {
            region: region.to_owned(),
            id,
        }
    }

    /// The bound values for `(region, id) > ($a, $b)`; before everything when there is no cursor.
    pub(crate) fn split(c: Option<&Cursor>) -> (String, i64) {
        c.map(|c| (c.region.clone(), c.id)).unwrap_or_default()
    }
}

impl Key for Cursor {
    fn parse(s: &str) -> Option<Cursor> {
        let (region, id) = s.split_once('.')?;
        let ok = region.len() == 12 && region.bytes().all(|b| b.is_ascii_digit());
        Some(Cursor {
            region: ok.then(|| region.to_owned())?,
            id: id.parse().ok()?,
        })
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.region, self.id)
    }
}

/// A position in a list ordered by (time, id): `2026-10-08T15:59:59.123456789Z_42` in a URL. The time
/// is written to the nanosecond, as stored, so the row at the position compares equal to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeCursor {
    pub at: DateTime<Utc>,
    pub id: i64,
}

impl Key for TimeCursor {
    /// Also reads the older forms: any RFC 3339 offset before the `_`, and the public list's
    /// `unix-microseconds.id`.
    fn parse(s: &str) -> Option<TimeCursor> {
        let s = s.trim();
        if let Some((at, id)) = s.rsplit_once('_') {
            return Some(TimeCursor {
                at: DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc),
                id: id.parse().ok()?,
            });
        }
        let (micros, id) = s.split_once('.')?;
        Some(TimeCursor {
            at: DateTime::from_timestamp_micros(micros.parse().ok()?)?,
            id: id.parse().ok()?,
        })
    }
}

impl fmt::Display for TimeCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.at.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        write!(f, "{at}_{}", self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<K: Key + PartialEq + fmt::Debug>(k: K) {
        assert_eq!(K::parse(&k.to_string()), Some(k));
    }

    #[test]
    fn positions_read_back_what_they_write() {
        round_trip(42_i64);
        round_trip(Cursor::new("632521100201", 123));
        let at = DateTime::parse_from_rfc3339("2026-10-08T15:59:59.123456789Z")
            .unwrap()
            .with_timezone(&Utc);
        round_trip(TimeCursor { at, id: 42 });
        let whole = DateTime::parse_from_rfc3339("2026-10-08T16:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        round_trip(TimeCursor { at: whole, id: 1 });
        let t = TimeCursor { at, id: 42 }.to_string();
        assert!(
            t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-:._".contains(&b)),
            "no escaping needed in a URL: {t}"
        );
    }

    #[test]
    fn older_links_still_parse() {
        // the work queue wrote the due time with its offset, URL-encoded by the page
        let old = TimeCursor::parse("2026-10-08T23:59:59.5+08:00_7").unwrap();
        assert_eq!(
            old.at.to_rfc3339_opts(SecondsFormat::Millis, true),
            "2026-10-08T15:59:59.500Z"
        );
        assert_eq!(old.id, 7);
        // the public list wrote unix microseconds
        let old = TimeCursor::parse("1791475199123456.9").unwrap();
        assert_eq!(
            old.at.to_rfc3339_opts(SecondsFormat::Micros, true),
            "2026-10-08T15:59:59.123456Z"
        );
        assert_eq!(old.id, 9);
    }

    #[test]
    fn a_malformed_position_is_the_first_page() {
        for s in ["", "x", "-", "1.5", "9223372036854775808"] {
            assert_eq!(<i64 as Key>::parse(s), None, "{s:?}");
        }
        for s in [
            "",
            "x.1",
            "632521.1",
            "632521100201.",
            "632521100201.x",
            "632521100201",
        ] {
            assert_eq!(Cursor::parse(s), None, "{s:?}");
        }
        for s in [
            "",
            "x",
            "2026-13-01T00:00:00Z_1",
            "2026-10-08T00:00:00Z_",
            "_1",
            "abc.1",
            "99999999999999999999.1",
        ] {
            assert_eq!(TimeCursor::parse(s), None, "{s:?}");
        }
    }

    #[test]
    fn a_page_is_cut_to_its_limit_and_points_past_its_last_row() {
        let p = Paged::cut((1..=fetch(3)).collect::<Vec<i64>>(), 3, |r| *r * 10);
        assert_eq!(
            p,
            Paged {
                rows: vec![1, 2, 3],
                next: Some(30)
            }
        );
        let last = Paged::cut(vec![1, 2, 3], 3, |r: &i64| *r * 10);
        assert_eq!(
            last,
            Paged {
                rows: vec![1, 2, 3],
                next: None
            }
        );
        let empty = Paged::cut(Vec::<i64>::new(), 3, |r| *r);
        assert_eq!(empty.next, None);
    }
}
