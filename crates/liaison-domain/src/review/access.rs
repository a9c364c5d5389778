//! Who may do what to a review opinion: the committee's office of the item's region (a township
//! congress has no standing committee, so only committee staff hold [`Permission::HandleReviews`]),
//! and the accounts of the body it was sent to. The pages, the menu and the store ask here.

use crate::review::Capacity;
use crate::{Permission, RegionCode, Scope};

/// What the rules need to know of an item.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    /// The standing committee's region.
    pub region: Option<&'a RegionCode>,
    /// The body it was sent to.
    pub unit: Option<i64>,
}

/// The standing committee's office: it handles every item of its region.
pub fn is_staff(scope: &Scope) -> bool {
    scope.can(Permission::HandleReviews)
}

/// A handling unit's account.
pub fn is_unit(scope: &Scope) -> bool {
    scope.can(Permission::AnswerAsUnit) && scope.unit_id.is_some()
}

/// Has the review-opinion pages (the list, the menu entry, the home panel): the office and units.
pub fn has_reviews(scope: &Scope) -> bool {
    is_staff(scope) || is_unit(scope)
}

/// The capacities `scope` has on the item, in [`Capacity::ALL`]'s order.
pub fn capacities(scope: &Scope, f: &Facts<'_>) -> Vec<Capacity> {
    let mut out = Vec::new();
    if is_staff(scope) && f.region.is_some_and(|r| scope.covers(r)) {
        out.push(Capacity::Staff);
    }
    if is_unit(scope) && f.unit.is_some() && scope.unit_id == f.unit {
        out.push(Capacity::Unit);
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

    fn scope(roles: &[Role], region: &str, unit: Option<i64>) -> Scope {
        Scope {
            account_id: 1,
            username: "t".into(),
            roles: roles.to_vec(),
            region: RegionCode::parse(region).unwrap(),
            unit_id: unit,
            station_id: None,
            person_id: None,
        }
    }

    #[test]
    fn the_office_of_the_region_and_the_body_only() {
        let county = RegionCode::parse("632521").unwrap();
        let f = Facts {
            region: Some(&county),
            unit: Some(10),
        };
        let office = scope(&[Role::CommitteeStaff], "632521", None);
        assert_eq!(capacities(&office, &f), [Capacity::Staff]);
        assert!(
            !may_see(&scope(&[Role::CommitteeStaff], "632522", None), &f),
            "another county"
        );
        let town = scope(&[Role::TownshipStaff], "632521100", None);
        assert!(
            !has_reviews(&town),
            "a township congress has no standing committee"
        );
        let county_town = scope(&[Role::TownshipStaff], "632521", None);
        assert!(!may_see(&county_town, &f));
        let unit = |u| scope(&[Role::HandlingUnit], "632521", Some(u));
        assert_eq!(capacities(&unit(10), &f), [Capacity::Unit]);
        assert!(capacities(&unit(11), &f).is_empty());
        assert!(has_reviews(&unit(11)));
        for r in [
            Role::Deputy,
            Role::StationManager,
            Role::ChairMeeting,
            Role::Auditor,
        ] {
            assert!(!may_see(&scope(&[r], "632521", Some(10)), &f), "{r:?}");
        }
    }
}
