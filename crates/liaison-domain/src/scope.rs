//! `Scope`: who is asking, with which roles, over which region subtree. Every store function that lists,
//! reads personal information or writes takes one and applies its region range itself.

use serde::Serialize;

use crate::{Permission, RegionCode, Role};

#[derive(Debug, Clone, Serialize)]
pub struct Scope {
    pub account_id: i64,
    pub username: String,
    pub roles: Vec<Role>,
    /// The account's home region: the root of everything it may see.
    pub region: RegionCode,
    /// For a handling-unit role: the unit it answers for.
    pub unit_id: Option<i64>,
    /// For a station-manager role: the station it runs.
    pub station_id: Option<i64>,
    /// For a deputy role: the person (deputy) the account speaks for.
    pub person_id: Option<i64>,
}

impl Scope {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn can(&self, p: Permission) -> bool {
        self.roles.iter().any(|r| r.permits(p))
    }

    /// True when `code` lies in this scope's subtree.
    pub fn covers(&self, code: &RegionCode) -> bool {
        self.region.contains(code)
    }

    /// The SQL form of the subtree: `region_code BETWEEN lo AND hi`.
    pub fn range(&self) -> (String, String) {
        self.region.subtree_range()
    }

    /// The caller's region narrowed by a filter's: the narrower of the two (one contains the other), or
    /// None when they do not meet (the filter lies outside the caller's region).
    pub fn narrowed(&self, filter: Option<&RegionCode>) -> Option<RegionCode> {
        match filter {
            None => Some(self.region.clone()),
            Some(r) if self.region.contains(r) => Some(r.clone()),
            Some(r) if r.contains(&self.region) => Some(self.region.clone()),
            Some(_) => None,
        }
    }

    /// [`Scope::narrowed`] as the code range a query binds; None when the two do not meet.
    pub fn narrowed_range(&self, filter: Option<&RegionCode>) -> Option<(String, String)> {
        self.narrowed(filter).map(|r| r.subtree_range())
    }

    /// A list filter's region, which must lie inside the caller's (a wider or foreign one is refused,
    /// unlike [`Scope::narrowed`], which a queue's filter uses): its code range, or None.
    pub fn filter_range(&self, filter: Option<&RegionCode>) -> Option<(String, String)> {
        match filter {
            Some(r) if self.covers(r) => Some(r.subtree_range()),
            Some(_) => None,
            None => Some(self.range()),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.roles.iter().any(|r| r.is_admin())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_filter_narrows_the_region_or_finds_nothing() {
        let s = scope("632521100", &[Role::TownshipStaff]);
        let code = |c: &str| RegionCode::parse(c).unwrap();
        assert_eq!(s.narrowed(None), Some(code("632521100")));
        assert_eq!(
            s.narrowed(Some(&code("632521100201"))),
            Some(code("632521100201"))
        );
        assert_eq!(
            s.narrowed(Some(&code("632521"))),
            Some(code("632521100")),
            "a wider filter adds nothing"
        );
        assert_eq!(s.narrowed(Some(&code("632521101"))), None, "another township");
        // a list filter must lie inside: a wider one is refused rather than narrowed
        assert_eq!(s.filter_range(Some(&code("632521"))), None);
        assert_eq!(s.filter_range(None), Some(s.range()));
        assert_eq!(
            s.filter_range(Some(&code("632521100201"))),
            s.narrowed_range(Some(&code("632521100201")))
        );
    }

    #[test]
    fn township_clerk_sees_only_own_township() {
        let s = scope("632521100", &[Role::TownshipStaff]);
        assert!(s.covers(&RegionCode::parse("632521100201").unwrap()));
        assert!(!s.covers(&RegionCode::parse("632521101").unwrap()));
        assert!(!s.covers(&RegionCode::parse("632521").unwrap()));
        assert!(s.can(Permission::ViewWorkbench));
        assert!(!s.can(Permission::ManageAccounts));
    }
}
