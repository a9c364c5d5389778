//! Deputies (人大代表): levels, and the attributes a deputy record carries.

use serde::{Deserialize, Serialize};

use crate::{Permission, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeputyLevel {
    National,
    Provincial,
    City,
    County,
    Township,
}

impl DeputyLevel {
    pub const ALL: [DeputyLevel; 5] = [
        DeputyLevel::National,
        DeputyLevel::Provincial,
        DeputyLevel::City,
        DeputyLevel::County,
        DeputyLevel::Township,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeputyLevel::National => "national",
            DeputyLevel::Provincial => "provincial",
            DeputyLevel::City => "city",
            DeputyLevel::County => "county",
            DeputyLevel::Township => "township",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DeputyLevel::National => "全国人大代表",
            DeputyLevel::Provincial => "省人大代表",
            DeputyLevel::City => "市人大代表",
            DeputyLevel::County => "县人大代表",
            DeputyLevel::Township => "乡镇人大代表",
        }
    }

    pub fn parse(s: &str) -> Option<DeputyLevel> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// Reads what a spreadsheet says: 全国/省/市/县/区/乡/镇 (with or without 人大代表).
    pub fn from_label(s: &str) -> Option<DeputyLevel> {
        let s = s.trim().trim_end_matches("人大代表").trim_end_matches("级");
        Some(match s {
            "全国" => DeputyLevel::National,
            "省" | "自治区" | "直辖市" => DeputyLevel::Provincial,
            "市" | "州" | "盟" => DeputyLevel::City,
            "县" | "区" | "县（区）" | "县(区)" | "旗" => DeputyLevel::County,
            "乡" | "镇" | "乡镇" | "街道" => DeputyLevel::Township,
            other => return Self::parse(other),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }

    pub fn parse(s: &str) -> Option<Gender> {
        match s.trim() {
            "male" | "男" => Some(Gender::Male),
            "female" | "女" => Some(Gender::Female),
            _ => None,
        }
    }
}

/// The 56 recognised ethnic groups (民族), as written on an identity card, in GB 3304 order.
pub const ETHNICITIES: [&str; 56] = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
];

/// GB 3304's entry for someone of none of the 56 groups (forms offer it after them).
pub const OTHER_ETHNICITY: &str = "其他";

/// Every choice a form offers for 民族: the 56 groups, then 其他.
pub fn ethnicity_choices() -> impl Iterator<Item = &'static str> {
    ETHNICITIES
        .iter()
        .copied()
        .chain(std::iter::once(OTHER_ETHNICITY))
}

/// Accepts "藏族" or "藏", and 其他.
pub fn parse_ethnicity(s: &str) -> Option<&'static str> {
    let s = s.trim();
    ethnicity_choices().find(|e| *e == s || (e.strip_suffix('族') == Some(s)))
}

/// Political affiliations (政治面貌) as deputy registers record them: the party, the youth league,
/// the eight democratic parties, non-party, the masses.
pub const PARTIES: [&str; 13] = [
    "中共党员",
    "中共预备党员",
    "共青团员",
    "民革党员",
    "民盟盟员",
    "民建会员",
    "民进会员",
    "农工党党员",
    "致公党党员",
    "九三学社社员",
    "台盟盟员",
    "无党派人士",
    "群众",
];

/// Reads a 政治面貌 as a spreadsheet writes it: the full name or its usual short form.
pub fn parse_party(s: &str) -> Option<&'static str> {
    let s = s.trim();
    let full = match s {
        "中共" | "党员" | "中国共产党党员" | "共产党员" => "中共党员",
        "预备党员" | "中共预备" => "中共预备党员",
        "团员" | "共青团" => "共青团员",
        "民革" => "民革党员",
        "民盟" => "民盟盟员",
        "民建" => "民建会员",
        "民进" => "民进会员",
        "农工党" | "农工" => "农工党党员",
        "致公党" | "致公" => "致公党党员",
        "九三学社" | "九三" => "九三学社社员",
        "台盟" => "台盟盟员",
        "无党派" => "无党派人士",
        other => return PARTIES.iter().copied().find(|p| *p == other),
    };
    Some(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_read_from_spreadsheets() {
        assert_eq!(DeputyLevel::from_label("县人大代表"), Some(DeputyLevel::County));
        assert_eq!(DeputyLevel::from_label("区"), Some(DeputyLevel::County));
        assert_eq!(DeputyLevel::from_label("乡镇"), Some(DeputyLevel::Township));
        assert_eq!(
            DeputyLevel::from_label("全国人大代表"),
            Some(DeputyLevel::National)
        );
        assert_eq!(DeputyLevel::from_label("村"), None);
        for l in DeputyLevel::ALL {
            assert_eq!(DeputyLevel::parse(l.as_str()), Some(l));
        }
    }

    #[test]
    fn ethnicity_and_party() {
        assert_eq!(ETHNICITIES.len(), 56);
        assert_eq!(parse_ethnicity("藏"), Some("藏族"));
        assert_eq!(parse_ethnicity("撒拉族"), Some("撒拉族"));
        assert_eq!(parse_ethnicity("火星族"), None);
        assert_eq!(parse_party("中共"), Some("中共党员"));
        assert_eq!(parse_party("无党派"), Some("无党派人士"));
        assert_eq!(parse_party("台盟"), Some("台盟盟员"));
        assert_eq!(parse_party("群众"), Some("群众"));
        assert_eq!(parse_party("火星党"), None);
        assert_eq!(parse_ethnicity("其他"), Some("其他"));
        assert_eq!(parse_ethnicity("土"), Some("土族"));
        assert_eq!(parse_ethnicity("土家"), Some("土家族"));
        assert_eq!(ethnicity_choices().count(), 57);
        for p in PARTIES {
            assert_eq!(parse_party(p), Some(p));
        }
    }
}

/// A deputy's own account looking at the deputy's own record (一人一档: the record, its households and
/// committee links, the service card and code): that needs no registry permission, and no region
/// reaching the constituency. Everyone else reads a deputy through `Permission::ViewRegistry` over the
/// constituency.
pub fn is_self(scope: &Scope, person_id: i64) -> bool {
    scope.person_id == Some(person_id) && scope.can(Permission::AnswerAsDeputy)
}

#[cfg(test)]
mod self_tests {
    use super::is_self;
    use crate::{RegionCode, Role, Scope};

    fn scope(roles: Vec<Role>, person: Option<i64>) -> Scope {
        Scope {
            account_id: 1,
            username: "d".into(),
            roles,
            region: RegionCode::parse("632521100").unwrap(),
            unit_id: None,
            station_id: None,
            person_id: person,
        }
    }

    #[test]
    fn only_the_deputy_themself_is_themself() {
        assert!(is_self(&scope(vec![Role::Deputy], Some(7)), 7));
        assert!(!is_self(&scope(vec![Role::Deputy], Some(7)), 8));
        assert!(!is_self(&scope(vec![Role::Deputy], None), 7));
        // an account bound to the person without the deputy's role is not the deputy
        assert!(!is_self(&scope(vec![Role::TownshipStaff], Some(7)), 7));
    }
}
