//! Stations (家站室点): the places where deputies meet voters.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StationKind {
    /// 代表之家
    Home,
    /// 代表联络站
    Station,
    /// 代表联络室 / 活动室
    Room,
    /// 代表联络点
    Point,
    /// 基层立法联系点
    LegislativeContactPoint,
    /// 代表工作室
    Studio,
    /// 助侨联系点
    OverseasChinesePoint,
}

impl StationKind {
    pub const ALL: [StationKind; 7] = [
        StationKind::Home,
        StationKind::Station,
        StationKind::Room,
        StationKind::Point,
        StationKind::LegislativeContactPoint,
        StationKind::Studio,
        StationKind::OverseasChinesePoint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StationKind::Home => "home",
            StationKind::Station => "station",
            StationKind::Room => "room",
            StationKind::Point => "point",
            StationKind::LegislativeContactPoint => "legislative_contact_point",
            StationKind::Studio => "studio",
            StationKind::OverseasChinesePoint => "overseas_chinese_point",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StationKind::Home => "代表之家",
            StationKind::Station => "代表联络站",
            StationKind::Room => "代表联络室",
            StationKind::Point => "代表联络点",
            StationKind::LegislativeContactPoint => "基层立法联系点",
            StationKind::Studio => "代表工作室",
            StationKind::OverseasChinesePoint => "助侨联系点",
        }
    }

    pub fn parse(s: &str) -> Option<StationKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Reads the Chinese name a spreadsheet uses (活动室 counts as a room).
    pub fn from_label(s: &str) -> Option<StationKind> {
        let s = s.trim();
        if s == "代表活动室" || s == "活动室" || s == "联络室" {
            return Some(StationKind::Room);
        }
        Self::ALL.into_iter().find(|k| k.label() == s || k.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in StationKind::ALL {
            assert_eq!(StationKind::parse(k.as_str()), Some(k));
            assert_eq!(StationKind::from_label(k.label()), Some(k));
        }
        assert_eq!(StationKind::from_label("活动室"), Some(StationKind::Room));
        assert_eq!(StationKind::from_label("茶馆"), None);
    }
}
