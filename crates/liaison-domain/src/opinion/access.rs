//! Who may do what on one opinion, as pure rules: what the caller is on the item ([`Relation`]: staff
//! handling it, the deputy it reached, a unit it was assigned to), in which capacities they may act
//! ([`capacities`]: the escalation rule and the lead unit), and whether they may read the citizen's
//! contact. Roles come in only through [`Permission`]s. The store, the item page, bulk actions and the
//! API all call these.

use crate::opinion::{Action, Capacity};
use crate::{Permission, RegionCode, Scope};

/// The facts of an item that access depends on.
#[derive(Debug, Clone, Copy)]
pub struct ItemFacts<'a> {
    pub region: &'a RegionCode,
    pub station_id: Option<i64>,
    /// The deputy (person) it reached.
    pub person_id: Option<i64>,
    /// Every unit it is assigned to (lead and co-units).
    pub unit_ids: &'a [i64],
    pub lead_unit_id: Option<i64>,
    /// Passed up to the county (上报县级).
    pub escalated: bool,
    /// The citizen allowed the handling unit to see their contact.
    pub share_contact: bool,
}

/// What the caller is on an item (several at once are possible, e.g. a township clerk who is also the
/// deputy it reached).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relation {
    /// Staff who handle it: opinion staff of a region covering it, or the manager of its station.
    pub staff: bool,
    /// The deputy it reached.
    pub deputy: bool,
    /// A unit it is assigned to (lead or co-unit).
    pub unit: bool,
}

impl Relation {
    /// Nothing at all: the item is out of the caller's scope (reported as not found).
    pub fn any(self) -> bool {
        self.staff || self.deputy || self.unit
    }
}

/// Staff who handle opinions over a region (township and committee staff).
pub fn handles_region(scope: &Scope) -> bool {
    scope.can(Permission::HandleRegionOpinions)
}

/// Staff who handle opinions at all: over a region, or at their own station.
pub fn is_staff(scope: &Scope) -> bool {
    handles_region(scope) || scope.can(Permission::HandleStationOpinions)
}

/// A deputy's account bound to its person: answers the items that reached that deputy.
pub fn answers_as_deputy(scope: &Scope) -> bool {
    scope.can(Permission::AnswerAsDeputy) && scope.person_id.is_some()
}

/// A handling unit's account bound to its unit: answers the items assigned to that unit.
pub fn answers_as_unit(scope: &Scope) -> bool {
    scope.can(Permission::AnswerAsUnit) && scope.unit_id.is_some()
}

/// Whether the caller has any work queue of items (a deputy's inbox, a unit's, a region's or a
/// station's): the menu shows 群众意见 exactly then.
pub fn has_queue(scope: &Scope) -> bool {
    answers_as_deputy(scope) || answers_as_unit(scope) || has_staff_queue(scope)
}

/// Staff with a queue of items to handle: over a region, or at the station their account is bound
/// to (a station manager bound to no station has none yet).
pub fn has_staff_queue(scope: &Scope) -> bool {
    handles_region(scope) || (scope.can(Permission::HandleStationOpinions) && scope.station_id.is_some())
}

/// A station manager without a wider staff role acts for their own station only.
pub fn station_only(scope: &Scope) -> bool {
    !handles_region(scope) && scope.can(Permission::HandleStationOpinions)
}

/// Whether staff who handle an item may act on it as staff: once it is passed up to the county, only
/// those who handle escalated items (the county's committee) do.
pub fn staff_may_act(scope: &Scope, escalated: bool) -> bool {
    !escalated || scope.can(Permission::HandleEscalatedOpinions)
}

/// What `scope` is on the item.
pub fn relation(scope: &Scope, item: &ItemFacts<'_>) -> Relation {
    let own_station = scope.station_id.is_some() && scope.station_id == item.station_id;
    let staff = scope.covers(item.region)
        && (handles_region(scope) || (scope.can(Permission::HandleStationOpinions) && own_station));
    let deputy = scope.can(Permission::AnswerAsDeputy)
        && scope.person_id.is_some()
        && scope.person_id == item.person_id;
    let unit =
        scope.can(Permission::AnswerAsUnit) && scope.unit_id.is_some_and(|u| item.unit_ids.contains(&u));
    Relation { staff, deputy, unit }
}

/// The capacities in which the caller may act on the item now: the deputy it reached; the lead unit
/// (a co-unit reads but does not answer); staff — but once passed up to the county, only staff who
/// handle escalated items (the county's committee).
pub fn capacities(scope: &Scope, item: &ItemFacts<'_>, rel: Relation) -> Vec<Capacity> {
    let mut v = Vec::new();
    if rel.deputy {
        v.push(Capacity::Deputy);
    }
    if rel.unit && scope.unit_id.is_some() && item.lead_unit_id == scope.unit_id {
        v.push(Capacity::Unit);
    }
    if rel.staff && staff_may_act(scope, item.escalated) {
        v.push(Capacity::Staff);
    }
    v
}

/// Why the caller may not take `action` in capacity `who` on the item, in the words they see; `None`
/// when the capacity is theirs (whether the action fits the stage is the state machine's question).
pub fn refusal(
    scope: &Scope,
    item: &ItemFacts<'_>,
    rel: Relation,
    who: Capacity,
    action: &Action,
) -> Option<String> {
    if capacities(scope, item, rel).contains(&who) {
        return None;
    }
    if who == Capacity::Staff && rel.staff && item.escalated {
        return Some("该事项已上报县级，由县人大常委会办理".into());
    }
    Some(format!("您不能对该事项执行“{}”", action.label()))
}

/// May read the citizen's name and phone (each read audited): staff and the deputy it reached; a unit
/// only when the citizen allowed it.
pub fn may_read_contact(rel: Relation, item: &ItemFacts<'_>) -> bool {
    rel.staff || rel.deputy || (rel.unit && item.share_contact)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    fn scope(region: &str, roles: &[Role]) -> Scope {
        Scope {
            account_id: 1,
            username: "t".into(),
            roles: roles.to_vec(),
            region: RegionCode::parse(region).unwrap(),
            unit_id: None,
            station_id: None,
            person_id: None,
        }
    }

    fn item<'a>(region: &'a RegionCode, units: &'a [i64]) -> ItemFacts<'a> {
        ItemFacts {
            region,
            station_id: Some(5),
            person_id: Some(9),
            unit_ids: units,
            lead_unit_id: units.first().copied(),
            escalated: false,
            share_contact: false,
        }
    }

    #[test]
    fn escalated_items_are_the_countys() {
        let region = RegionCode::parse("632521100201").unwrap();
        let mut it = item(&region, &[]);
        let township = scope("632521100", &[Role::TownshipStaff]);
        let county = scope("632521", &[Role::CommitteeStaff]);
        for s in [&township, &county] {
            let rel = relation(s, &it);
            assert!(rel.staff);
            assert_eq!(capacities(s, &it, rel), [Capacity::Staff]);
        }
        it.escalated = true;
        let rel = relation(&township, &it);
        assert!(rel.staff, "the township still sees it");
        assert!(capacities(&township, &it, rel).is_empty(), "but no longer acts");
        assert_eq!(
            refusal(&township, &it, rel, Capacity::Staff, &Action::Accept).as_deref(),
            Some("该事项已上报县级，由县人大常委会办理")
        );
        assert_eq!(
            refusal(&township, &it, rel, Capacity::Unit, &Action::Reply).as_deref(),
            Some("您不能对该事项执行“承办答复”")
        );
        let rel = relation(&county, &it);
        assert_eq!(capacities(&county, &it, rel), [Capacity::Staff]);
    }

    #[test]
    fn a_station_manager_handles_their_own_station_only() {
        let region = RegionCode::parse("632521100201").unwrap();
        let it = item(&region, &[]);
        let mut m = scope("632521100", &[Role::StationManager]);
        assert!(station_only(&m) && is_staff(&m));
        m.station_id = Some(6);
        assert!(!relation(&m, &it).any(), "another station's item");
        m.station_id = Some(5);
        assert!(relation(&m, &it).staff);
        // a manager who is also township staff handles the whole township
        let mut both = scope("632521100", &[Role::StationManager, Role::TownshipStaff]);
        both.station_id = Some(6);
        assert!(!station_only(&both) && relation(&both, &it).staff);
    }

    #[test]
    fn deputies_and_units_act_on_their_own() {
        let region = RegionCode::parse("632521100201").unwrap();
        let it = item(&region, &[3, 4]);
        let mut d = scope("632521", &[Role::Deputy]);
        d.person_id = Some(9);
        let rel = relation(&d, &it);
        assert_eq!(
            rel,
            Relation {
                staff: false,
                deputy: true,
                unit: false
            }
        );
        assert_eq!(capacities(&d, &it, rel), [Capacity::Deputy]);
        assert!(may_read_contact(rel, &it));
        let mut lead = scope("632521", &[Role::HandlingUnit]);
        lead.unit_id = Some(3);
        let rel = relation(&lead, &it);
        assert_eq!(capacities(&lead, &it, rel), [Capacity::Unit]);
        assert!(!may_read_contact(rel, &it), "not without the citizen's consent");
        let mut co = scope("632521", &[Role::HandlingUnit]);
        co.unit_id = Some(4);
        let rel = relation(&co, &it);
        assert!(rel.unit, "a co-unit sees the item");
        assert!(
            capacities(&co, &it, rel).is_empty(),
            "but only the lead unit answers"
        );
        let mut other = scope("632521", &[Role::HandlingUnit]);
        other.unit_id = Some(8);
        assert!(!relation(&other, &it).any());
        // an administrator is nothing on an item
        assert!(!relation(&scope("632521", &[Role::SystemAdmin]), &it).any());
    }
}
