//! 双联系: each deputy directly links households — at least one well-off leader (致富带头人), one needy
//! household (困难群众) and one local notable (乡贤) — and meets them at least twice a year. The
//! thresholds differ by place, so they are a value, not constants in the code.

use serde::{Deserialize, Serialize};

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

/// Who may record a meeting with a household a deputy links: staff who keep the registry, and the
/// deputy themself (only their own households; another deputy of the same region may not).
pub fn may_record_meeting(scope: &crate::Scope, household_deputy: i64) -> bool {
    scope.can(crate::Permission::ManageRegistry)
        || (scope.can(crate::Permission::AnswerAsDeputy) && scope.person_id == Some(household_deputy))
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

    #[test]
    fn a_deputy_records_meetings_for_their_own_households_only() {
        let mut s = crate::Scope {
            account_id: 1,
            username: "d".into(),
            roles: vec![crate::Role::Deputy],
            region: crate::RegionCode::parse("632521").unwrap(),
            unit_id: None,
            station_id: None,
            person_id: Some(7),
        };
        assert!(may_record_meeting(&s, 7));
        assert!(!may_record_meeting(&s, 8), "another deputy's household");
        s.person_id = None;
        assert!(!may_record_meeting(&s, 7), "a deputy account bound to nobody");
        s.roles = vec![crate::Role::TownshipStaff];
        assert!(may_record_meeting(&s, 8), "staff keep the registry");
    }
}
