//! 双联系: each deputy directly links households — at least one well-off leader (致富带头人), one needy
//! household (困难群众) and one local notable (乡贤) — and meets them at least twice a year. The
//! thresholds differ by place, so they are a value, not constants in the code.

use serde::{Deserialize, Serialize};

use crate::{Permission, RegionCode, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HouseholdKind {
    WellOffLeader,
    Needy,
    LocalNotable,
}

impl HouseholdKind {
    pub const ALL: [HouseholdKind; 3] = [
        HouseholdKind::WellOffLeader,
        HouseholdKind::Needy,
        HouseholdKind::LocalNotable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HouseholdKind::WellOffLeader => "well_off_leader",
            HouseholdKind::Needy => "needy",
            HouseholdKind::LocalNotable => "local_notable",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            HouseholdKind::WellOffLeader => "致富带头人",
            HouseholdKind::Needy => "困难群众",
            HouseholdKind::LocalNotable => "乡贤",
        }
    }

    pub fn parse(s: &str) -> Option<HouseholdKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s || k.label() == s)
    }
}

/// The rule as configured for a place and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRule {
    /// Kinds every deputy must link at least one household of.
    pub required_kinds: Vec<HouseholdKind>,
    pub min_households: usize,
    /// Meetings per linked household per year.
    pub min_meetings_per_household: usize,
}

impl Default for LinkRule {
    fn default() -> Self {
        LinkRule {
            required_kinds: HouseholdKind::ALL.to_vec(),
            min_households: 3,
            min_meetings_per_household: 2,
        }
    }
}

/// One linked household and how often it was met this year.
#[derive(Debug, Clone, Copy)]
pub struct LinkFact {
    pub kind: HouseholdKind,
    pub meetings_this_year: usize,
}

/// What is missing against the rule, in Chinese; empty when the deputy meets it.
pub fn link_gaps(rule: &LinkRule, facts: &[LinkFact]) -> Vec<String> {
    let mut gaps = Vec::new();
    if facts.len() < rule.min_households {
        gaps.push(format!(
            "联系户不足 {} 户（现有 {} 户）",
            rule.min_households,
            facts.len()
        ));
    }
    for k in &rule.required_kinds {
        if !facts.iter().any(|f| f.kind == *k) {
            gaps.push(format!("缺少{}联系户", k.label()));
        }
    }
    let short = facts
        .iter()
        .filter(|f| f.meetings_this_year < rule.min_meetings_per_household)
        .count();
    if short > 0 {
        gaps.push(format!(
            "{short} 户今年见面不足 {} 次",
            rule.min_meetings_per_household
        ));
    }
    gaps
}

/// A write on a deputy's linked households.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HouseholdWrite {
    /// Record a meeting with one of them.
    Meeting,
    /// Link a new household to the deputy (and edit or unlink one).
    Link,
}

/// Whose household it is and where it lives: what every household write and every read of its
/// members' names and phones is checked against.
#[derive(Debug, Clone, Copy)]
pub struct HouseholdFacts<'a> {
    /// The deputy (person) who links it.
    pub deputy: i64,
    /// The constituencies of that deputy's mandates.
    pub deputy_regions: &'a [RegionCode],
    /// Where the household lives.
    pub region: &'a RegionCode,
}

/// The deputy themself (the account's person).
fn own(scope: &Scope, facts: &HouseholdFacts<'_>) -> bool {
    scope.can(Permission::AnswerAsDeputy) && scope.person_id == Some(facts.deputy)
}

/// Staff holding `p` over both the deputy and the household: their region covers where it lives and
/// one of the deputy's constituencies.
fn staff_over(scope: &Scope, p: Permission, facts: &HouseholdFacts<'_>) -> bool {
    scope.can(p) && scope.covers(facts.region) && facts.deputy_regions.iter().any(|r| scope.covers(r))
}

/// Whether the caller may make this write: a meeting by the deputy themself (their own households
/// only: another deputy of the same region may not) or by staff who keep the registry over the
/// household's region; linking households is the staff's.
pub fn may_write(scope: &Scope, write: HouseholdWrite, facts: &HouseholdFacts<'_>) -> bool {
    let staff = staff_over(scope, Permission::ManageRegistry, facts);
    match write {
        HouseholdWrite::Meeting => staff || own(scope, facts),
        HouseholdWrite::Link => staff,
    }
}

/// Whether the caller may read the household members' names and phones (each read audited): the
/// deputy who links them, and staff who may read contacts over the household's region. Everyone else
/// who sees the deputy's page sees them masked.
pub fn may_read_contact(scope: &Scope, facts: &HouseholdFacts<'_>) -> bool {
    own(scope, facts) || staff_over(scope, Permission::ReadContacts, facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn f(kind: HouseholdKind, m: usize) -> LinkFact {
        LinkFact {
            kind,
            meetings_this_year: m,
        }
    }

    #[test]
    fn the_seeds_rule() {
        let rule = LinkRule::default();
        let full = [
            f(HouseholdKind::WellOffLeader, 2),
            f(HouseholdKind::Needy, 3),
            f(HouseholdKind::LocalNotable, 2),
        ];
        assert!(link_gaps(&rule, &full).is_empty());
        let gaps = link_gaps(&rule, &[f(HouseholdKind::Needy, 1)]);
        assert_eq!(
            gaps,
            [
                "联系户不足 3 户（现有 1 户）",
                "缺少致富带头人联系户",
                "缺少乡贤联系户",
                "1 户今年见面不足 2 次"
            ]
        );
    }

    proptest! {
        /// Adding a household or a meeting never adds a gap.
        #[test]
        fn more_never_hurts(kinds in proptest::collection::vec(0usize..3, 0..6), meets in proptest::collection::vec(0usize..4, 6)) {
            let rule = LinkRule::default();
            let facts: Vec<LinkFact> = kinds.iter().zip(&meets).map(|(k, m)| f(HouseholdKind::ALL[*k], *m)).collect();
            let before = link_gaps(&rule, &facts).len();
            let mut more = facts.clone();
            more.push(f(HouseholdKind::Needy, 5));
            prop_assert!(link_gaps(&rule, &more).len() <= before);
        }
    }

    fn scope(region: &str, roles: &[crate::Role], person: Option<i64>) -> Scope {
        Scope {
            account_id: 1,
            username: "d".into(),
            roles: roles.to_vec(),
            region: RegionCode::parse(region).unwrap(),
            unit_id: None,
            station_id: None,
            person_id: person,
        }
    }

    #[test]
    fn a_deputy_records_meetings_for_their_own_households_only() {
        use crate::Role;
        let village = RegionCode::parse("632521100201").unwrap();
        let regions = [village.clone()];
        let facts = |deputy| HouseholdFacts {
            deputy,
            deputy_regions: &regions,
            region: &village,
        };
        let mut s = scope("632521", &[Role::Deputy], Some(7));
        assert!(may_write(&s, HouseholdWrite::Meeting, &facts(7)));
        assert!(
            !may_write(&s, HouseholdWrite::Meeting, &facts(8)),
            "another deputy's household"
        );
        assert!(
            !may_write(&s, HouseholdWrite::Link, &facts(7)),
            "linking is the staff's"
        );
        assert!(may_read_contact(&s, &facts(7)) && !may_read_contact(&s, &facts(8)));
        s.person_id = None;
        assert!(
            !may_write(&s, HouseholdWrite::Meeting, &facts(7)),
            "a deputy account bound to nobody"
        );
        // a deputy who also holds a station: still only their own
        let both = scope("632521", &[Role::Deputy, Role::StationManager], Some(7));
        assert!(!may_write(&both, HouseholdWrite::Meeting, &facts(8)));
        assert!(
            may_read_contact(&both, &facts(8)),
            "a station manager reads contacts in region"
        );
        let town = scope("632521100", &[Role::TownshipStaff], None);
        assert!(
            may_write(&town, HouseholdWrite::Meeting, &facts(8)),
            "staff keep the registry"
        );
        assert!(may_write(&town, HouseholdWrite::Link, &facts(8)));
    }

    #[test]
    fn staff_write_only_where_both_the_deputy_and_the_household_are_theirs() {
        use crate::Role;
        let home = RegionCode::parse("632521100201").unwrap();
        let elsewhere = RegionCode::parse("632521101201").unwrap();
        let town = scope("632521100", &[Role::TownshipStaff], None);
        let county = scope("632521", &[Role::CommitteeStaff], None);
        // a deputy of this township whose household lives in the next one
        let regions = [home.clone()];
        let away = HouseholdFacts {
            deputy: 8,
            deputy_regions: &regions,
            region: &elsewhere,
        };
        assert!(!may_write(&town, HouseholdWrite::Meeting, &away));
        assert!(!may_read_contact(&town, &away));
        assert!(may_write(&county, HouseholdWrite::Meeting, &away));
        // a household here of a deputy of the next township
        let theirs = [elsewhere.clone()];
        let foreign = HouseholdFacts {
            deputy: 8,
            deputy_regions: &theirs,
            region: &home,
        };
        assert!(!may_write(&town, HouseholdWrite::Link, &foreign));
        let unit = scope("632521", &[Role::HandlingUnit], None);
        assert!(
            !may_read_contact(&unit, &foreign),
            "a unit sees households masked"
        );
    }
}
