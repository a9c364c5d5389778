//! What registration leads to when the clerk accepts and routes in one step (登记受理并交办): the
//! routing table's default unit when the caller may assign it, or passing the item up to the county
//! (上报县级) when the default is a county unit the township cannot assign.

use crate::opinion::Action;
use crate::{DomainError, RegionCode, RegionLevel, Scope};

/// The routing table's default unit for an item: its id and the region the unit belongs to.
#[derive(Debug, Clone, Copy)]
pub struct DefaultUnit<'a> {
    pub id: i64,
    pub region: &'a RegionCode,
}

/// The step offered after 登记受理.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Routed {
    /// Assign to this unit (pre-selected; the clerk may choose another).
    Assign(i64),
    /// The default is a county unit and the item a township's: pass it up to the county.
    Escalate,
    /// No default the caller can use: the clerk chooses.
    Choose,
}

/// The step to offer `scope` for an item at `item` whose default unit is `default`.
pub fn after_accept(
    scope: &Scope,
    item: &RegionCode,
    escalated: bool,
    default: Option<DefaultUnit<'_>>,
) -> Routed {
    let Some(d) = default else {
        return Routed::Choose;
    };
    if scope.covers(d.region) {
        return Routed::Assign(d.id);
    }
    let county_unit = d.region.level() <= RegionLevel::County;
    let township_item = item.level() >= RegionLevel::Township;
    if county_unit && township_item && !escalated {
        Routed::Escalate
    } else {
        Routed::Choose
    }
}

/// 登记受理 followed at once by `next` (交办 or 上报县级): the two steps the state machine takes in
/// order, in one transaction. Nothing else follows a registration in the same step.
pub fn accept_then(first: Action, next: Action) -> Result<[Action; 2], DomainError> {
    match (first, next) {
        (Action::Accept, Action::Assign { .. } | Action::Escalate) => Ok([first, next]),
        _ => Err(DomainError::Field {
            field: "then",
            message: "登记受理后只能接着交办或上报县级",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    fn scope(region: &str) -> Scope {
        Scope {
            account_id: 1,
            username: "t".into(),
            roles: vec![Role::TownshipStaff],
            region: RegionCode::parse(region).unwrap(),
            unit_id: None,
            station_id: None,
            person_id: None,
        }
    }

    #[test]
    fn a_township_assigns_its_own_units_and_passes_county_ones_up() {
        let village = RegionCode::parse("632521100201").unwrap();
        let town = RegionCode::parse("632521100").unwrap();
        let county = RegionCode::parse("632521").unwrap();
        let clerk = scope("632521100");
        let own = DefaultUnit { id: 7, region: &town };
        let up = DefaultUnit {
            id: 9,
            region: &county,
        };
        assert_eq!(
            after_accept(&clerk, &village, false, Some(own)),
            Routed::Assign(7)
        );
        assert_eq!(after_accept(&clerk, &village, false, Some(up)), Routed::Escalate);
        assert_eq!(
            after_accept(&clerk, &village, true, Some(up)),
            Routed::Choose,
            "passed up once"
        );
        assert_eq!(after_accept(&clerk, &village, false, None), Routed::Choose);
        // the county's committee assigns the county unit itself
        assert_eq!(
            after_accept(&scope("632521"), &village, false, Some(up)),
            Routed::Assign(9)
        );
        // a unit of another township is neither assignable nor the county's
        let other = RegionCode::parse("632521101").unwrap();
        let elsewhere = DefaultUnit {
            id: 4,
            region: &other,
        };
        assert_eq!(
            after_accept(&clerk, &village, false, Some(elsewhere)),
            Routed::Choose
        );
    }

    #[test]
    fn registration_is_followed_only_by_routing() {
        let assign = Action::Assign { unit: 7 };
        assert_eq!(accept_then(Action::Accept, assign), Ok([Action::Accept, assign]));
        assert!(accept_then(Action::Accept, Action::Escalate).is_ok());
        assert!(accept_then(Action::Accept, Action::Publish).is_err());
        assert!(accept_then(Action::Decline, assign).is_err());
        // both steps go through the machine in order
        let s = crate::opinion::Status::new(crate::opinion::Channel::StationCode);
        let done = accept_then(Action::Accept, assign)
            .unwrap()
            .iter()
            .try_fold(s, |s, a| s.apply(crate::opinion::Capacity::Staff, a));
        assert_eq!(done.map(|s| s.stage), Ok(crate::opinion::Stage::Assigned));
    }
}
