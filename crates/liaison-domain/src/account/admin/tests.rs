//! The rule's whole table, creation, one's own account, edits in parts, and a property: no sequence of
//! attempts breaks the separation.

use super::*;
use proptest::prelude::*;

const SYS: &[Role] = &[Role::SystemAdmin];
const SEC: &[Role] = &[Role::SecurityAdmin];
const AUD: &[Role] = &[Role::Auditor];
const DEPUTY: &[Role] = &[Role::Deputy];
const CHAIR: &[Role] = &[Role::ChairMeeting];

fn party(id: i64, roles: &[Role]) -> Party<'_> {
    Party { id, roles }
}

fn word(d: Result<Decision, Refusal>) -> &'static str {
    match d {
        Ok(Decision::Now) => "now",
        Ok(Decision::Confirm(Role::SystemAdmin)) => "sys",
        Ok(Decision::Confirm(Role::SecurityAdmin)) => "sec",
        Ok(Decision::Confirm(Role::Auditor)) => "aud",
        Ok(Decision::Confirm(_)) => "?",
        Err(_) => "no",
    }
}

/// The whole table: each action by each kind of actor on each kind of account (a business account
/// holds the deputy role, which reads personal data). `now`: alone; `sec`/`sys`/`aud`: asked, and
/// confirmed by that administrator; `no`: refused.
const TABLE: &str = "
    # action             actor     business  system  security  audit
    rename               system    now       now     now       now
    rename               security  no        no      no        no
    set_roles_chair      system    now       no      no        no
    set_roles_clerk      system    sec       no      no        no
    set_roles_admin      system    no        no      no        no
    set_roles_chair      security  no        no      no        no
    region_narrower      system    now       no      no        no
    region_wider         system    sec       no      no        no
    region_wider         security  no        no      no        no
    rebind               system    sec       no      no        no
    reset_password       system    now       no      aud       sec
    reset_password       security  no        aud     no        sys
    disable              system    now       no      aud       sec
    disable              security  no        aud     no        sys
    enable               system    now       no      aud       sec
    enable               security  no        aud     no        sys
    unlock               system    no        no      no        no
    unlock               security  now       now     now       now
    end_sessions         system    no        no      no        no
    end_sessions         security  now       now     now       now
";

fn action(name: &str) -> Action<'static> {
    match name {
        "rename" => Action::Rename,
        "set_roles_chair" => Action::SetRoles {
            to: &[Role::Deputy, Role::ChairMeeting],
        },
        "set_roles_clerk" => Action::SetRoles {
            to: &[Role::Deputy, Role::TownshipStaff],
        },
        "set_roles_admin" => Action::SetRoles { to: &[Role::Auditor] },
        "region_narrower" => Action::ChangeRegion { widens: false },
        "region_wider" => Action::ChangeRegion { widens: true },
        "rebind" => Action::Rebind,
        "reset_password" => Action::ResetPassword,
        "disable" => Action::Disable,
        "enable" => Action::Enable,
        "unlock" => Action::Unlock,
        "end_sessions" => Action::EndSessions,
        other => panic!("{other}"),
    }
}

#[test]
fn the_table_is_the_rule() {
    let targets = [DEPUTY, SYS, SEC, AUD];
    let mut rows = 0;
    for line in TABLE
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let cells: Vec<&str> = line.split_whitespace().collect();
        let actor = match cells[1] {
            "system" => SYS,
            "security" => SEC,
            _ => panic!("{line}"),
        };
        for (i, want) in cells[2..].iter().enumerate() {
            let got = word(decide(party(1, actor), party(2, targets[i]), action(cells[0])));
            assert_eq!(got, *want, "{line}: column {i}");
        }
        rows += 1;
    }
    assert_eq!(rows, 20);
}

#[test]
fn the_auditor_and_business_roles_manage_no_account() {
    for actor in [AUD, DEPUTY, CHAIR, &[Role::CommitteeStaff][..], &[][..]] {
        for target in [DEPUTY, SYS, SEC, AUD] {
            for name in [
                "rename",
                "set_roles_chair",
                "region_wider",
                "rebind",
                "reset_password",
                "disable",
                "enable",
                "unlock",
                "end_sessions",
            ] {
                assert!(
                    decide(party(1, actor), party(2, target), action(name)).is_err(),
                    "{actor:?} {name} {target:?}"
                );
            }
        }
        assert!(decide_create(party(1, actor), CHAIR, true).is_err());
    }
    assert_eq!(
        decide(party(1, AUD), party(2, SYS), Action::ResetPassword),
        Err(Refusal::AuditorKeepsNoAccounts)
    );
}

#[test]
fn creating_accounts() {
    let sys = party(1, SYS);
    assert_eq!(decide_create(sys, CHAIR, false), Ok(Decision::Now));
    assert_eq!(
        decide_create(sys, DEPUTY, false),
        Ok(Decision::Confirm(Role::SecurityAdmin))
    );
    assert_eq!(
        decide_create(sys, &[Role::TownshipStaff, Role::ChairMeeting], false),
        Ok(Decision::Confirm(Role::SecurityAdmin))
    );
    // the first security administrator and auditor of a deployment; later ones are granted
    assert_eq!(decide_create(sys, SEC, true), Ok(Decision::Now));
    assert_eq!(decide_create(sys, AUD, true), Ok(Decision::Now));
    assert_eq!(
        decide_create(sys, SEC, false),
        Ok(Decision::Confirm(Role::SecurityAdmin))
    );
    assert_eq!(
        decide_create(sys, AUD, false),
        Ok(Decision::Confirm(Role::SecurityAdmin))
    );
    // a second system administrator always is
    assert_eq!(
        decide_create(sys, SYS, true),
        Ok(Decision::Confirm(Role::SecurityAdmin))
    );
    // never an administrator with anything else, never no role
    assert_eq!(
        decide_create(sys, &[Role::SystemAdmin, Role::TownshipStaff], true),
        Err(Refusal::AdministratorRoleCombined)
    );
    assert_eq!(
        decide_create(sys, &[Role::SecurityAdmin, Role::Auditor], true),
        Err(Refusal::AdministratorRoleCombined)
    );
    assert_eq!(decide_create(sys, &[], true), Err(Refusal::NoRole));
    // the security administrator creates nothing
    assert_eq!(
        decide_create(party(1, SEC), CHAIR, false),
        Err(Refusal::SystemAdministratorsDuty)
    );
}

#[test]
fn nobody_acts_on_their_own_account() {
    for roles in [SYS, SEC, AUD, DEPUTY] {
        let me = party(7, roles);
        for name in [
            "rename",
            "set_roles_chair",
            "region_narrower",
            "rebind",
            "reset_password",
            "disable",
            "enable",
            "unlock",
            "end_sessions",
        ] {
            assert!(decide(me, me, action(name)).is_err(), "{roles:?} {name}");
        }
        assert!(
            decide_change(me, me, Change::default()).is_err(),
            "{roles:?}: even an empty edit"
        );
    }
    assert_eq!(
        decide(party(7, SYS), party(7, SYS), Action::Rename),
        Err(Refusal::OwnAccount)
    );
}

#[test]
fn an_edit_needs_the_grant_when_any_part_does() {
    let sys = party(1, SYS);
    let clerk = party(2, &[Role::TownshipStaff]);
    let chair = party(3, CHAIR);
    let rename = Change {
        renamed: true,
        ..Default::default()
    };
    assert_eq!(decide_change(sys, clerk, rename), Ok(Decision::Now));
    let moved = Change {
        region: Some(true),
        ..rename
    };
    assert_eq!(
        decide_change(sys, clerk, moved),
        Ok(Decision::Confirm(Role::SecurityAdmin))
    );
    let narrowed = Change {
        region: Some(false),
        ..rename
    };
    assert_eq!(decide_change(sys, clerk, narrowed), Ok(Decision::Now));
    // a chair moved elsewhere reads nothing more; given a reading role as well, it waits
    assert_eq!(decide_change(sys, chair, moved), Ok(Decision::Now));
    let more = [Role::ChairMeeting, Role::TownshipStaff];
    let grown = Change {
        roles: Some(&more),
        region: Some(true),
        ..Default::default()
    };
    assert_eq!(
        decide_change(sys, chair, grown),
        Ok(Decision::Confirm(Role::SecurityAdmin))
    );
    // removing a role never waits
    let less = [Role::ChairMeeting];
    let both = party(4, &[Role::ChairMeeting, Role::TownshipStaff]);
    assert_eq!(
        decide_change(
            sys,
            both,
            Change {
                roles: Some(&less),
                ..Default::default()
            }
        ),
        Ok(Decision::Now)
    );
    // an administrator's account: a new name, nothing else
    let aud = party(5, AUD);
    assert_eq!(decide_change(sys, aud, rename), Ok(Decision::Now));
    assert_eq!(
        decide_change(sys, aud, moved),
        Err(Refusal::AdministratorRegionFixed)
    );
    let to = [Role::TownshipStaff];
    assert_eq!(
        decide_change(
            sys,
            aud,
            Change {
                roles: Some(&to),
                ..Default::default()
            }
        ),
        Err(Refusal::AdministratorRolesFixed)
    );
    assert_eq!(Refusal::AdministratorRegionFixed.field(), Some("region"));
}

/// One account of a small world, as the rule sees it.
#[derive(Debug, Clone)]
struct Acc {
    roles: Vec<Role>,
}

fn roles_of(bits: u16) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, r)| r)
        .collect()
}

fn valid(roles: &[Role]) -> bool {
    roles.is_empty() || check_role_set(roles).is_ok()
}

proptest! {
    /// Whatever the administrators try, in any order, with requests confirmed by whoever the rule
    /// names: no account ever holds an administrator role beside another role, nobody acts on
    /// their own account, and no one administrator alone ever gives an account a role that reads
    /// personal data or an administrator's role.
    #[test]
    fn no_sequence_breaks_the_separation(steps in proptest::collection::vec(
        (0usize..8, 0usize..8, 0u8..12, 0u16..512, any::<bool>()), 1..60)
    ) {
        let mut world: Vec<Acc> = vec![
            Acc { roles: vec![Role::SystemAdmin] },
            Acc { roles: vec![Role::SecurityAdmin] },
            Acc { roles: vec![Role::Auditor] },
            Acc { roles: vec![Role::Deputy] },
            Acc { roles: vec![Role::ChairMeeting] },
        ];
        // pending role proposals: (target, roles, requester)
        let mut pending: Vec<(usize, Vec<Role>, usize)> = Vec::new();
        // each step: (actor, target, what, role-set bits, widens)
        for (a, t, what, bits, widens) in steps {
            let n = world.len();
            let (a, t) = (a % n, t % n);
            let actor_roles = world[a].roles.clone();
            let actor = Party { id: a as i64, roles: &actor_roles };
            let target_roles = world[t].roles.clone();
            let target = Party { id: t as i64, roles: &target_roles };
            let to = roles_of(bits);
            let act = match what {
                0 => Action::Rename,
                1 => Action::SetRoles { to: &to },
                2 => Action::ChangeRegion { widens },
                3 => Action::Rebind,
                4 => Action::ResetPassword,
                5 => Action::Disable,
                6 => Action::Enable,
                7 => Action::Unlock,
                8 => Action::EndSessions,
                9 => {
                    // create
                    let founding = !world.iter().any(|w| to.iter().any(|r| r.is_admin() && w.roles.contains(r)));
                    match decide_create(actor, &to, founding) {
                        Ok(Decision::Now) => {
                            prop_assert!(!to.iter().any(|r| r.reads_personal_data()), "a reader created alone: {to:?}");
                            prop_assert!(to.iter().all(|r| !r.is_admin()) || founding);
                            world.push(Acc { roles: to.clone() });
                        }
                        Ok(Decision::Confirm(r)) => {
                            prop_assert_eq!(r, Role::SecurityAdmin);
                            world.push(Acc { roles: vec![] });
                            pending.push((world.len() - 1, to.clone(), a));
                        }
                        Err(_) => {}
                    }
                    continue;
                }
                _ => {
                    // confirm the oldest pending proposal, as `a`
                    if let Some((target, proposed, requester)) = pending.first().cloned() {
                        let ok = crate::account::request::may_confirm(
                            actor, requester as i64, target as i64, Role::SecurityAdmin, false,
                        ).and_then(|_| crate::account::request::may_grant(&world[target].roles, &proposed));
                        if ok.is_ok() {
                            prop_assert_ne!(a, requester);
                            prop_assert!(actor_roles.contains(&Role::SecurityAdmin));
                            world[target].roles = proposed;
                            pending.remove(0);
                        }
                    }
                    continue;
                }
            };
            let d = decide(actor, target, act);
            if a == t {
                prop_assert!(d.is_err(), "{act:?} on oneself");
            }
            match (d, act) {
                (Ok(Decision::Now), Action::SetRoles { to }) => {
                    let added: Vec<&Role> = to.iter().filter(|r| !target_roles.contains(r)).collect();
                    prop_assert!(added.iter().all(|r| !r.reads_personal_data() && !r.is_admin()), "added alone: {added:?}");
                    world[t].roles = to.to_vec();
                }
                (Ok(Decision::Confirm(r)), Action::SetRoles { to }) => {
                    prop_assert_eq!(r, Role::SecurityAdmin);
                    pending.retain(|p| p.0 != t);
                    pending.push((t, to.to_vec(), a));
                }
                (Ok(Decision::Now), Action::ResetPassword | Action::Disable | Action::Enable) => {
                    prop_assert!(!Duty::of(&target_roles).is_admin(), "an administrator's credentials alone");
                }
                (Ok(Decision::Confirm(r)), Action::ResetPassword | Action::Disable | Action::Enable) => {
                    // the confirmer is neither the one asking nor the one concerned
                    prop_assert!(!actor_roles.contains(&r) && !target_roles.contains(&r));
                }
                _ => {}
            }
            for w in &world {
                prop_assert!(valid(&w.roles), "{:?}", w.roles);
            }
        }
    }
}
