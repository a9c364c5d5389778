//! The password policy's and hashing's unit tests.

use super::*;

#[test]
fn default_policy_rejects_weak_and_accepts_strong() {
    let p = PasswordPolicy::default();
    assert!(p.check("short1A!", "u").is_err());
    assert!(p.check("alllowercaseletters", "u").is_err());
    assert!(p.check("Admin@1234", "u").is_err());
    assert!(p.check("Zhang1234!x", "u").is_err(), "run 1234");
    assert!(
        p.check("Xianlian#2026q", "xianlian").is_err(),
        "contains username"
    );
    assert!(p.check("Hb7#kq2Lm9v", "xianlian").is_ok());
    let v = p.violations("abc", "u");
    assert!(v.iter().any(|m| m.contains("长度")));
    assert!(v.iter().any(|m| m.contains("类")));
}

#[test]
fn lockout_and_expiry() {
    let p = PasswordPolicy::default();
    let now = Utc::now();
    assert!(p.lock_until(4, now).is_none());
    assert_eq!(p.lock_until(5, now), Some(now + Duration::minutes(15)));
    assert!(p.expired(now - Duration::days(91), now));
    assert!(!p.expired(now - Duration::days(89), now));
}

#[test]
fn a_deputy_s_own_account_keeps_its_phone_session_and_password_longer_than_staff() {
    let p = PasswordPolicy::default();
    let now = Utc::now();
    let twelve = Duration::hours(12);
    let deputy = [Role::Deputy];
    assert_eq!(
        p.session_limits(&deputy, twelve),
        (Duration::days(7), Duration::days(7))
    );
    assert!(!p.expired_for(&deputy, now - Duration::days(200), now));
    assert!(p.expired_for(&deputy, now - Duration::days(366), now));
    // a deputy who is also staff, staff and administrators keep the 等保 limits
    for roles in [
        &[Role::Deputy, Role::TownshipStaff][..],
        &[Role::TownshipStaff],
        &[Role::SecurityAdmin],
        &[],
    ] {
        assert_eq!(
            p.session_limits(roles, twelve),
            (Duration::minutes(30), twelve),
            "{roles:?}"
        );
        assert!(p.expired_for(roles, now - Duration::days(91), now), "{roles:?}");
    }
    // the security administrator may bring deputies back to the staff's limits
    let same = PasswordPolicy {
        deputy_session_days: 0,
        ..p.clone()
    };
    assert_eq!(
        same.session_limits(&deputy, twelve),
        (Duration::minutes(30), twelve)
    );
    assert!(
        PasswordPolicy {
            deputy_session_days: 31,
            ..p.clone()
        }
        .validate()
        .is_err()
    );
    assert!(
        PasswordPolicy {
            deputy_max_age_days: 400,
            ..p
        }
        .validate()
        .is_err()
    );
}

fn at(min: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(min)
}

#[test]
fn a_counter_locks_at_the_threshold_and_refuses_until_the_lock_runs_out() {
    let t = PasswordPolicy::default().per_address();
    let mut c = None;
    for i in 1..=5 {
        let (claim, after) = t.claim(c.as_ref(), at(0));
        let expect_lock = (i == 5).then(|| at(15));
        assert_eq!(
            claim,
            Claim::Granted {
                failures: i,
                locked_until: expect_lock
            }
        );
        c = after;
    }
    assert_eq!(t.claim(c.as_ref(), at(1)).0, Claim::Refused { until: at(15) });
    assert_eq!(t.claim(c.as_ref(), at(14)).0, Claim::Refused { until: at(15) });
    // the lock ran out: the next attempt is the first of a new count, not a new lock
    let (claim, _) = t.claim(c.as_ref(), at(16));
    assert_eq!(
        claim,
        Claim::Granted {
            failures: 1,
            locked_until: None
        }
    );
}

#[test]
fn a_quiet_counter_starts_again() {
    let t = PasswordPolicy::default().per_address();
    let c = Counter {
        failures: 4,
        locked_until: None,
        last_at: at(0),
    };
    assert_eq!(
        t.claim(Some(&c), at(10)).0,
        Claim::Granted {
            failures: 5,
            locked_until: Some(at(25))
        }
    );
    assert_eq!(
        t.claim(Some(&c), at(15)).0,
        Claim::Granted {
            failures: 1,
            locked_until: None
        }
    );
}

#[test]
fn the_account_wide_counter_is_slower() {
    let p = PasswordPolicy::default();
    assert_eq!(p.account_wide().threshold, 20);
    assert!(p.account_wide().lock_until(19, at(0)).is_none());
    assert_eq!(p.account_wide().lock_until(20, at(0)), Some(at(15)));
}

#[test]
fn waits_are_whole_minutes() {
    assert_eq!(minutes_to_wait(at(15), at(0)), 15);
    assert_eq!(minutes_to_wait(at(15), at(15) - Duration::seconds(61)), 2);
    assert_eq!(minutes_to_wait(at(0), at(1)), 1);
}

#[test]
fn the_last_security_administrator_is_the_one_nobody_covers() {
    let county = RegionCode::parse("632521").unwrap();
    let province = RegionCode::parse("63").unwrap();
    let other = RegionCode::parse("520112").unwrap();
    assert!(!another_can_unlock(&county, &[]));
    assert!(!another_can_unlock(&county, std::slice::from_ref(&other)));
    assert!(another_can_unlock(&county, &[other, province.clone()]));
    assert!(!another_can_unlock(&province, &[county]));
}

#[test]
fn tried_usernames_are_bounded_and_plain() {
    let t = tried_username("x\u{7}\u{1b}[31m\r\nFAKE ENTRY AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert_eq!(t, "x[31mFAKE ENTRY AAAAAAAAAAAAAAAA");
    assert_eq!(t.chars().count(), TRIED_USERNAME_CHARS);
}

#[test]
fn policy_cannot_be_weakened_below_floor() {
    let p = PasswordPolicy {
        min_length: 6,
        ..Default::default()
    };
    assert!(p.validate().is_err());
    assert!(PasswordPolicy::default().validate().is_ok());
}

#[test]
fn hashes_verify() {
    let h = hash_password("Hb7#kq2Lm9v").unwrap();
    assert!(h.starts_with("$argon2id$"));
    assert!(verify_password("Hb7#kq2Lm9v", &h));
    assert!(!verify_password("Hb7#kq2Lm9w", &h));
    assert!(!verify_password("x", "not a hash"));
}

#[test]
fn usernames() {
    assert!(validate_username("xianlian").is_ok());
    assert!(validate_username("zhang.san-2").is_ok());
    assert!(validate_username("1abc").is_err());
    assert!(validate_username("张三").is_err());
    assert!(validate_username("ab").is_err());
}
