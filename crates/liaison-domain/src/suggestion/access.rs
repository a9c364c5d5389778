//! Who may do what to a suggestion: the capacities a caller has on an item, from their roles'
//! permissions and the item's facts. The pages, the bulk actions and the store ask here.

use crate::suggestion::Capacity;
use crate::{Permission, RegionCode, Scope};

/// What the rules need to know of an item.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    /// The meeting's region (a county's or a township's).
    pub region: Option<&'a RegionCode>,
    pub proposer: Option<i64>,
    /// Every invited co-signer.
    pub cosigners: &'a [i64],
    pub lead: Option<i64>,
    pub co_units: &'a [i64],
}

/// Staff of the office: they handle every item of a meeting in their region.
pub fn is_staff(scope: &Scope) -> bool {
    scope.can(Permission::HandleSuggestions)
}

/// A deputy who may raise suggestions (their own account's person).
pub fn is_deputy(scope: &Scope) -> bool {
    scope.can(Permission::ProposeSuggestions) && scope.person_id.is_some()
}

/// A handling unit's account.
pub fn is_unit(scope: &Scope) -> bool {
    scope.can(Permission::AnswerAsUnit) && scope.unit_id.is_some()
}

/// Has any suggestion page: the office, deputies and units.
pub fn has_suggestions(scope: &Scope) -> bool {
    is_staff(scope) || is_deputy(scope) || is_unit(scope)
}

/// The capacities `scope` has on the item, in [`Capacity::ALL`]'s order.
pub fn capacities(scope: &Scope, f: &Facts<'_>) -> Vec<Capacity> {
    let me = |p: Option<i64>| is_deputy(scope) && p.is_some() && scope.person_id == p;
    let unit = |u: Option<i64>| is_unit(scope) && u.is_some() && scope.unit_id == u;
    let mut out = Vec::new();
    if me(f.proposer) {
        out.push(Capacity::Proposer);
    }
    if f.cosigners.iter().any(|c| me(Some(*c))) {
        out.push(Capacity::Cosigner);
    }
    if is_staff(scope) && f.region.is_some_and(|r| scope.covers(r)) {
        out.push(Capacity::Staff);
    }
    if unit(f.lead) {
        out.push(Capacity::LeadUnit);
    }
    if f.co_units.iter().any(|c| unit(Some(*c))) {
        out.push(Capacity::CoUnit);
    }
    out
}

/// Whether `scope` may see the item at all (some capacity on it).
pub fn may_see(scope: &Scope, f: &Facts<'_>) -> bool {
    !capacities(scope, f).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    fn scope(roles: &[Role], region: &str, person: Option<i64>, unit: Option<i64>) -> Scope {
        Scope {
            account_id: 1,
            username: "t".into(),
            roles: roles.to_vec(),
            region: RegionCode::parse(region).unwrap(),
            unit_id: unit,
            station_id: None,
            person_id: person,
        }
    }

    #[test]
    fn each_party_gets_its_capacity_and_nobody_else_any() {
        let county = RegionCode::parse("632521").unwrap();
        let f = Facts {
            region: Some(&county),
            proposer: Some(1),
            cosigners: &[2, 3],
            lead: Some(10),
            co_units: &[11],
        };
        let deputy = |p| scope(&[Role::Deputy], "632521", Some(p), None);
        assert_eq!(capacities(&deputy(1), &f), [Capacity::Proposer]);
        assert_eq!(capacities(&deputy(3), &f), [Capacity::Cosigner]);
        assert!(capacities(&deputy(4), &f).is_empty());
        let office = scope(&[Role::CommitteeStaff], "632521", None, None);
        assert_eq!(capacities(&office, &f), [Capacity::Staff]);
        let other = scope(&[Role::CommitteeStaff], "632522", None, None);
        assert!(!may_see(&other, &f), "another county's office");
        let unit = |u| scope(&[Role::HandlingUnit], "632521", None, Some(u));
        assert_eq!(capacities(&unit(10), &f), [Capacity::LeadUnit]);
        assert_eq!(capacities(&unit(11), &f), [Capacity::CoUnit]);
        assert!(capacities(&unit(12), &f).is_empty());
        let station = scope(&[Role::StationManager], "632521", Some(1), None);
        assert!(
            capacities(&station, &f).is_empty(),
            "a person id without the deputy role"
        );
    }
}
