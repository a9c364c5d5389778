//! Passwords: the policy (default meets 等保 2.0 level 3: length, character classes, expiry, lockout,
//! idle timeout) and argon2id hashing.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::{DomainError, RegionCode, Role};

/// Configurable by the security administrator; the defaults are the floor we ship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordPolicy {
    pub min_length: usize,
    /// Of four classes: lower case, upper case, digits, symbols.
    pub min_classes: usize,
    /// Days before a password must be changed; 0 = never.
    pub max_age_days: i64,
    /// Failed logins in a row before the account is locked.
    pub lockout_threshold: i64,
    pub lockout_minutes: i64,
    /// A session ends after this many minutes without a request.
    pub session_idle_minutes: i64,
    /// Deputies' own accounts (`deputy_only`: every role a deputy's): a session on their own phone
    /// lasts this many days without a request (and at most this long in all); 0: as staff.
    pub deputy_session_days: i64,
    /// Deputies' own accounts: days before their password must be changed; 0: never.
    pub deputy_max_age_days: i64,
    /// Roles whose accounts may log in by mobile number and an SMS code (never an administrator's);
    /// empty: nobody. See `account::sms_login`.
    pub sms_login_roles: Vec<Role>,
    /// Administrators type an SMS code sent to their own mobile after their password.
    pub admin_second_factor: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_length: 10,
            min_classes: 3,
            max_age_days: 90,
            lockout_threshold: 5,
            lockout_minutes: 15,
            session_idle_minutes: 30,
            deputy_session_days: 7,
            deputy_max_age_days: 365,
            sms_login_roles: Vec::new(),
            admin_second_factor: false,
        }
    }
}

/// Passwords too common to allow whatever the classes say (lower-cased comparison).
const BLOCKLIST: &[&str] = &[
    "password",
    "password1",
    "password123",
    "p@ssw0rd",
    "p@ssword1",
    "passw0rd!",
    "admin123",
    "admin@123",
    "admin@1234",
    "admin12345",
    "administrator",
    "root@123",
    "qwer1234",
    "qwer@1234",
    "qwerty123",
    "qwerty@123",
    "1qaz2wsx",
    "1qaz@wsx",
    "1qaz2wsx3edc",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "abc@123",
    "abc123456",
    "abcd@1234",
    "aa123456",
    "woaini1314",
    "woaini520",
    "iloveyou",
    "123456789",
    "1234567890",
    "12345678",
    "88888888",
    "66666666",
    "a123456789",
    "zxcvbnm123",
    "test@123",
    "welcome1",
    "welcome@1",
    "changeme",
    "huawei@123",
    "liaison",
    "renda@123",
];

impl PasswordPolicy {
    /// Every rule the password breaks, in Chinese; empty when it passes.
    pub fn violations(&self, password: &str, username: &str) -> Vec<String> {
        let mut out = Vec::new();
        let len = password.chars().count();
        if len < self.min_length {
            out.push(format!("长度至少 {} 位", self.min_length));
        }
        if len > 128 {
            out.push("长度不能超过 128 位".to_owned());
        }
        let classes = [
            password.chars().any(|c| c.is_ascii_lowercase()),
            password.chars().any(|c| c.is_ascii_uppercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| !c.is_ascii_alphanumeric()),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if classes < self.min_classes {
            out.push(format!(
                "须包含大写字母、小写字母、数字、符号中的至少 {} 类",
                self.min_classes
            ));
        }
        let lower = password.to_lowercase();
        if !username.is_empty() && lower.contains(&username.to_lowercase()) {
            out.push("不能包含用户名".to_owned());
        }
        if BLOCKLIST.iter().any(|b| lower == *b) || has_run(&lower, 4) {
            out.push("过于常见或含有连续、重复字符（如 1234、aaaa、abcd）".to_owned());
        }
        out
    }

    pub fn check(&self, password: &str, username: &str) -> Result<(), DomainError> {
        let v = self.violations(password, username);
        if v.is_empty() {
            Ok(())
        } else {
            Err(DomainError::WeakPassword(v))
        }
    }

    /// True when a password set at `changed_at` has expired by `now`.
    pub fn expired(&self, changed_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        self.max_age_days > 0 && now - changed_at > Duration::days(self.max_age_days)
    }

    /// How long an account with these roles keeps its password: [`PasswordPolicy::max_age_days`], or
    /// for a deputy's own account [`PasswordPolicy::deputy_max_age_days`]; 0: never expires.
    pub fn max_age_for(&self, roles: &[Role]) -> i64 {
        if deputy_only(roles) {
            self.deputy_max_age_days
        } else {
            self.max_age_days
        }
    }

    /// [`PasswordPolicy::expired`] for an account with these roles.
    pub fn expired_for(&self, roles: &[Role], changed_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        let days = self.max_age_for(roles);
        days > 0 && now - changed_at > Duration::days(days)
    }

    /// How long a session of an account with these roles lives without a request, and at most in all
    /// (the staff's absolute limit is `staff_lifetime`).
    pub fn session_limits(&self, roles: &[Role], staff_lifetime: Duration) -> (Duration, Duration) {
        if deputy_only(roles) && self.deputy_session_days > 0 {
            let d = Duration::days(self.deputy_session_days);
            (d, d)
        } else {
            (Duration::minutes(self.session_idle_minutes), staff_lifetime)
        }
    }

    /// After `failures` failed attempts in a row from one address, until when is that address locked
    /// out of the account (if at all)?
    pub fn lock_until(&self, failures: i64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.per_address().lock_until(failures, now)
    }

    /// The counter of one address on one account: `lockout_threshold` attempts, then that address is
    /// out of that account for `lockout_minutes`.
    pub fn per_address(&self) -> Throttle {
        Throttle {
            threshold: self.lockout_threshold,
            minutes: self.lockout_minutes,
        }
    }

    /// The account-wide counter, against guessing spread over many addresses: `ACCOUNT_WIDE_FACTOR`
    /// times as many attempts from addresses the account has not logged in from, then those are held
    /// off for `lockout_minutes`.
    pub fn account_wide(&self) -> Throttle {
        Throttle {
            threshold: self.lockout_threshold * ACCOUNT_WIDE_FACTOR,
            minutes: self.lockout_minutes,
        }
    }

    /// Sanity bounds for what an administrator may set: the policy cannot be made weaker than 等保 allows.
    pub fn validate(&self) -> Result<(), String> {
        if !(8..=64).contains(&self.min_length) {
            return Err("最小长度应在 8～64 之间".into());
        }
        if !(3..=4).contains(&self.min_classes) {
            return Err("字符类别数应为 3 或 4".into());
        }
        if !(0..=180).contains(&self.max_age_days) {
            return Err("密码有效期应在 0～180 天之间".into());
        }
        if !(3..=10).contains(&self.lockout_threshold) {
            return Err("锁定前允许的失败次数应在 3～10 之间".into());
        }
        if !(5..=1440).contains(&self.lockout_minutes) {
            return Err("锁定时长应在 5～1440 分钟之间".into());
        }
        if !(5..=120).contains(&self.session_idle_minutes) {
            return Err("会话超时应在 5～120 分钟之间".into());
        }
        if !(0..=30).contains(&self.deputy_session_days) {
            return Err("代表手机登录保持天数应在 0～30 之间".into());
        }
        if !(0..=365).contains(&self.deputy_max_age_days) {
            return Err("代表账号密码有效期应在 0～365 天之间".into());
        }
        if self.sms_login_roles.iter().any(|r| r.is_admin()) {
            return Err("管理员不能仅凭短信验证码登录".into());
        }
        Ok(())
    }
}

/// An account whose every role is a deputy's: it reads only the items that reached that deputy, on
/// the deputy's own phone, so the policy may keep its session for days (staff and administrators keep
/// the 等保 idle timeout).
pub fn deputy_only(roles: &[Role]) -> bool {
    !roles.is_empty() && roles.iter().all(|r| *r == Role::Deputy)
}

/// The account-wide counter allows this many times the per-address threshold.
pub const ACCOUNT_WIDE_FACTOR: i64 = 4;
/// Failed attempts one address may make, on any usernames, per `ADDRESS_WINDOW_MINUTES`, before its
/// attempts are refused without a password check.
pub const ADDRESS_FAILURES: i64 = 30;
pub const ADDRESS_WINDOW_MINUTES: i64 = 15;
/// An address the account logged in from within this many days is not held by the account-wide counter.
pub const KNOWN_ADDRESS_DAYS: i64 = 30;
/// How much of a username that does not exist the audit log keeps.
pub const TRIED_USERNAME_CHARS: usize = 32;

/// One login counter: at most `threshold` attempts in a row, then locked for `minutes`. An attempt is
/// counted when it is claimed, before its password is checked, so a burst cannot outrun the count; a
/// success resets the counter; a lock that ran out, or a counter quiet for `minutes`, starts again from
/// zero. (The store claims in one conditional statement with exactly these rules.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub threshold: i64,
    pub minutes: i64,
}

/// A counter as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    pub failures: i64,
    pub locked_until: Option<DateTime<Utc>>,
    /// When the last attempt was counted.
    pub last_at: DateTime<Utc>,
}

/// The answer to one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The attempt may be checked; it is the `failures`-th in a row, and if it reached the threshold the
    /// counter is locked until `locked_until` (lifted again if the password is right).
    Granted {
        failures: i64,
        locked_until: Option<DateTime<Utc>>,
    },
    /// Locked: no password is checked until then.
    Refused { until: DateTime<Utc> },
}

impl Throttle {
    pub fn lock_until(&self, failures: i64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        (self.threshold > 0 && failures >= self.threshold).then(|| now + Duration::minutes(self.minutes))
    }

    /// A counter whose last attempt is at or before this has gone quiet: it starts again from zero.
    pub fn quiet_before(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::minutes(self.minutes)
    }

    /// One more attempt against `counter` (`None`: never counted) at `now`, and the counter after it.
    pub fn claim(&self, counter: Option<&Counter>, now: DateTime<Utc>) -> (Claim, Option<Counter>) {
        let failures = match counter {
            Some(c) if c.locked_until.is_some_and(|t| t > now) => {
                let until = c.locked_until.unwrap_or(now);
                return (Claim::Refused { until }, Some(*c));
            }
            Some(c) if c.locked_until.is_none() && c.last_at > self.quiet_before(now) => c.failures + 1,
            // never counted, a lock that ran out, or quiet for a lock's length: a new count
            _ => 1,
        };
        let locked_until = self.lock_until(failures, now);
        let after = Counter {
            failures,
            locked_until,
            last_at: now,
        };
        (
            Claim::Granted {
                failures,
                locked_until,
            },
            Some(after),
        )
    }
}

/// Whole minutes (at least one) from `now` until `until`, for "请 N 分钟后再试".
pub fn minutes_to_wait(until: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let secs = (until - now).num_seconds().max(0);
    ((secs + 59) / 60).max(1)
}

/// Whether someone other than the account itself can lift its locks in the admin pages: another
/// enabled security administrator whose region covers the account's. The last one cannot be helped
/// that way, so the account-wide counter never holds it (only its own failing addresses are locked
/// out), and `liaison unlock` is the way back from the server.
pub fn another_can_unlock(region: &RegionCode, other_security_admins: &[RegionCode]) -> bool {
    other_security_admins.iter().any(|r| r.contains(region))
}

/// A username that was tried, as the audit log may keep it: no control characters, at most
/// `TRIED_USERNAME_CHARS` characters (stored as a JSON string, never as the actor).
pub fn tried_username(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_control())
        .take(TRIED_USERNAME_CHARS)
        .collect()
}

/// A run of `n` identical or consecutive (ascending or descending) characters.
fn has_run(s: &str, n: usize) -> bool {
    let chars: Vec<u32> = s.chars().map(|c| c as u32).collect();
    chars.windows(n).any(|w| {
        let same = w.iter().all(|&c| c == w[0]);
        let up = w.windows(2).all(|p| p[1] == p[0] + 1);
        let down = w.windows(2).all(|p| p[0] == p[1] + 1);
        same || up || down
    })
}

/// argon2id with the crate's defaults (m = 19 MiB, t = 2, p = 1: OWASP's recommendation), random salt.
pub fn hash_password(password: &str) -> Result<String, DomainError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| DomainError::PasswordHash)
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// Usernames: ASCII, start with a letter, 3–32 of letters, digits, `_`, `.`, `-`.
pub fn validate_username(u: &str) -> Result<(), DomainError> {
    let ok = (3..=32).contains(&u.len())
        && u.starts_with(|c: char| c.is_ascii_alphabetic())
        && u.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(DomainError::InvalidUsername)
    }
}

pub fn validate_display_name(n: &str) -> Result<(), DomainError> {
    let n = n.trim();
    if n.is_empty() || n.chars().count() > 50 {
        Err(DomainError::InvalidDisplayName)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
