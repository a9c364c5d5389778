//! How an opinion came in (来源).

use serde::{Deserialize, Serialize};

/// How an item came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Scanned a deputy's code.
    DeputyCode,
    /// Scanned a station's code.
    StationCode,
    /// Recorded by staff at a reception (民情工作日志).
    WalkIn,
    /// Recorded by staff from a phone call.
    Phone,
    /// Recorded by staff on a home visit.
    HomeVisit,
    /// Collected by a deputy on a visit and submitted from their phone.
    DeputyVisit,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::DeputyCode,
        Channel::StationCode,
        Channel::WalkIn,
        Channel::Phone,
        Channel::HomeVisit,
        Channel::DeputyVisit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::DeputyCode => "deputy_code",
            Channel::StationCode => "station_code",
            Channel::WalkIn => "walk_in",
            Channel::Phone => "phone",
            Channel::HomeVisit => "home_visit",
            Channel::DeputyVisit => "deputy_visit",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::DeputyCode => "扫代表码",
            Channel::StationCode => "扫站点码",
            Channel::WalkIn => "来访接待",
            Channel::Phone => "来电",
            Channel::HomeVisit => "走访",
            Channel::DeputyVisit => "代表收集",
        }
    }

    /// The deputy handles it first (their code, or they collected it themselves).
    pub fn deputy_first(self) -> bool {
        matches!(self, Channel::DeputyCode | Channel::DeputyVisit)
    }

    /// Staff recorded it on the citizen's behalf (the recording account is kept and audited).
    pub fn recorded_by_staff(self) -> bool {
        matches!(self, Channel::WalkIn | Channel::Phone | Channel::HomeVisit)
    }
}
