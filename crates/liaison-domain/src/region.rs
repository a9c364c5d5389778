//! Administrative divisions (行政区划), keyed by the 12-digit NBS statistical code.
//!
//! Codes arrive in their short form (2, 4, 6, 9 or 12 digits) and are padded with zeros on the right.
//! Because every code starts with its parent's code, a region's whole subtree is one contiguous range of
//! 12-digit codes: that is how a [`crate::Scope`] becomes a single indexed SQL predicate.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
    Township,
    Village,
}

impl RegionLevel {
    pub const ALL: [RegionLevel; 5] = [
        RegionLevel::Province,
        RegionLevel::City,
        RegionLevel::County,
        RegionLevel::Township,
        RegionLevel::Village,
    ];

    /// Number of significant leading digits of a code at this level.
    pub fn digits(self) -> usize {
        match self {
            RegionLevel::Province => 2,
            RegionLevel::City => 4,
            RegionLevel::County => 6,
            RegionLevel::Township => 9,
            RegionLevel::Village => 12,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
            RegionLevel::Township => "township",
            RegionLevel::Village => "village",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RegionLevel::Province => "省级",
            RegionLevel::City => "市级",
            RegionLevel::County => "县级",
            RegionLevel::Township => "乡级",
            RegionLevel::Village => "村级",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn child(self) -> Option<Self> {
        match self {
            RegionLevel::Province => Some(RegionLevel::City),
            RegionLevel::City => Some(RegionLevel::County),
            RegionLevel::County => Some(RegionLevel::Township),
            RegionLevel::Township => Some(RegionLevel::Village),
            RegionLevel::Village => None,
        }
    }

    /// The level a code of this many significant digits has.
    fn from_digits(n: usize) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.digits() == n)
    }
}

/// A full 12-digit region code. Construct with [`RegionCode::parse`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    /// Accepts the short form (2/4/6/9 digits) or the full 12-digit form; surrounding spaces are ignored.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = input.trim();
        let valid_len = matches!(s.len(), 2 | 4 | 6 | 9 | 12);
        if !valid_len || !s.bytes().all(|b| b.is_ascii_digit()) || s.starts_with("00") {
            return Err(DomainError::InvalidRegionCode(input.chars().take(20).collect()));
        }
        let mut full = String::with_capacity(12);
        full.push_str(s);
        while full.len() < 12 {
            full.push('0');
        }
        Ok(RegionCode(full))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level, read off the code: the shortest prefix after which only zeros follow.
    /// Township digits never read 000 and village digits never 000, per NBS rules. Three county-level
    /// rows the source adds for cities without counties (441900 东莞, 442000 中山, 460400 儋州) read as
    /// their city; their subtree range is the same either way, which is all scoping needs. The stored
    /// `region.level` column is the authority for display.
    pub fn level(&self) -> RegionLevel {
        let b = self.0.as_bytes();
        let zeros_from = |i: usize| b[i..].iter().all(|&c| c == b'0');
        for level in RegionLevel::ALL {
            if zeros_from(level.digits()) {
                return level;
            }
        }
        RegionLevel::Village
    }

    /// The significant prefix (the NBS short form).
    pub fn short(&self) -> &str {
        &self.0[..self.level().digits()]
    }

    /// Inclusive range of 12-digit codes covering this region and everything below it.
    pub fn subtree_range(&self) -> (String, String) {
        let short = self.short();
        let mut lo = short.to_owned();
        let mut hi = short.to_owned();
        while lo.len() < 12 {
            lo.push('0');
            hi.push('9');
        }
        (lo, hi)
    }

    /// True when `other` is this region or lies below it.
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.0.starts_with(self.short())
    }

    /// The code of the level above, if any (by code structure; a placeholder city such as 市辖区 is a real row).
    pub fn parent(&self) -> Option<RegionCode> {
        let level = self.level();
        let idx = RegionLevel::ALL.iter().position(|l| *l == level)?;
        if idx == 0 {
            return None;
        }
        let parent_digits = RegionLevel::ALL[idx - 1].digits();
        RegionCode::parse(&self.0[..parent_digits]).ok()
    }

    /// All codes from the province down to this one.
    pub fn lineage(&self) -> Vec<RegionCode> {
        let mut out = vec![self.clone()];
        let mut cur = self.clone();
        while let Some(p) = cur.parent() {
            out.push(p.clone());
            cur = p;
        }
        out.reverse();
        out
    }

    pub fn level_of_short(short: &str) -> Option<RegionLevel> {
        RegionLevel::from_digits(short.len())
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(c: RegionCode) -> String {
        c.0
    }
}

/// Village names are the full official names (XX村民委员会, XX居委会); people say "XX村", "XX社区".
/// 村民委员会 / 村委会 -> 村, 居民委员会 / 居委会 -> 社区 (unless the stem already ends so).
pub fn short_name(name: &str) -> String {
    const RULES: [(&str, &str); 4] = [
        ("村民委员会", "村"),
        ("村委会", "村"),
        ("居民委员会", "社区"),
        ("居委会", "社区"),
    ];
    for (suffix, unit) in RULES {
        if let Some(stem) = name.strip_suffix(suffix) {
            if stem.is_empty() {
                return name.to_owned();
            }
            if stem.ends_with(unit) || (unit == "社区" && stem.ends_with('村')) {
                return stem.to_owned();
            }
            return format!("{stem}{unit}");
        }
    }
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pads_short_codes_and_reads_levels() {
        let c = RegionCode::parse("632521").unwrap();
        assert_eq!(c.as_str(), "632521000000");
        assert_eq!(c.level(), RegionLevel::County);
        assert_eq!(RegionCode::parse("63").unwrap().level(), RegionLevel::Province);
        assert_eq!(RegionCode::parse("6325").unwrap().level(), RegionLevel::City);
        assert_eq!(
            RegionCode::parse("632521100").unwrap().level(),
            RegionLevel::Township
        );
        assert_eq!(
            RegionCode::parse("632521100201").unwrap().level(),
            RegionLevel::Village
        );
        // 街道 codes start at 001, so a township code has a non-zero last digit group
        assert_eq!(
            RegionCode::parse("110101001").unwrap().level(),
            RegionLevel::Township
        );
    }

    #[test]
    fn rejects_bad_codes() {
        for bad in [
            "",
            "1",
            "123",
            "12345",
            "abcdef",
            "632521x",
            "0012",
            "6325210000001",
        ] {
            assert!(RegionCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn subtree_is_a_contiguous_range() {
        let c = RegionCode::parse("632521").unwrap();
        assert_eq!(c.subtree_range(), ("632521000000".into(), "632521999999".into()));
        let t = RegionCode::parse("632521100").unwrap();
        assert!(c.contains(&t));
        assert!(!t.contains(&c));
        let other = RegionCode::parse("632522").unwrap();
        assert!(!c.contains(&other));
    }

    #[test]
    fn lineage_runs_from_province() {
        let v = RegionCode::parse("632521100201").unwrap();
        let l: Vec<_> = v.lineage().iter().map(|c| c.short().to_owned()).collect();
        assert_eq!(l, ["63", "6325", "632521", "632521100", "632521100201"]);
    }

    #[test]
    fn city_without_counties_still_scopes_its_townships() {
        let dongguan = RegionCode::parse("441900").unwrap();
        let town = RegionCode::parse("441900003").unwrap();
        assert!(dongguan.contains(&town));
        assert!(!dongguan.contains(&RegionCode::parse("442000").unwrap()));
    }

    #[test]
    fn village_short_names() {
        assert_eq!(short_name("惠阳北街社区居民委员会"), "惠阳北街社区");
        assert_eq!(short_name("东关村民委员会"), "东关村");
        assert_eq!(short_name("恰卜恰镇"), "恰卜恰镇");
        assert_eq!(short_name("城中居委会"), "城中社区");
        assert_eq!(short_name("次汗素村委会"), "次汗素村");
        assert_eq!(short_name("黄河路社区居委会"), "黄河路社区");
    }

    proptest! {
        /// contains() and the SQL range agree for any pair of codes.
        #[test]
        fn contains_agrees_with_range(a in "[1-6][0-9]{1,11}", b in "[1-6][0-9]{11}") {
            if let (Ok(a), Ok(b)) = (RegionCode::parse(&a), RegionCode::parse(&b)) {
                let (lo, hi) = a.subtree_range();
                let in_range = b.as_str() >= lo.as_str() && b.as_str() <= hi.as_str();
                prop_assert_eq!(a.contains(&b), in_range);
            }
        }
    }
}
