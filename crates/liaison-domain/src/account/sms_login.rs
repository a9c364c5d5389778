//! Login by mobile number and a one-time SMS code (短信验证码登录), and the SMS second factor of the
//! administrators. Deputies in herding and farming townships cannot keep a long random password on a
//! phone: the security administrator may let chosen roles log in with their mobile and a code instead
//! (`PasswordPolicy::sms_login_roles`). The three administrators never log in by code alone; when the
//! policy says so (`PasswordPolicy::admin_second_factor`) they type a code sent to their own mobile
//! after their password.
//!
//! Codes: six digits, valid for [`CODE_MINUTES`], at most [`CODE_ATTEMPTS`] tries each, a new one at
//! most every [`RESEND_SECONDS`] and [`CODES_PER_HOUR`] an hour per account. Only a digest is stored.

use rand::Rng;

use crate::password::PasswordPolicy;
use crate::token::token_digest;
use crate::{Role, Scope};

pub const CODE_MINUTES: i64 = 5;
pub const CODE_ATTEMPTS: i32 = 5;
pub const RESEND_SECONDS: i64 = 60;
pub const CODES_PER_HOUR: i64 = 5;

/// What a code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    /// Logging in with the mobile number alone.
    Login,
    /// An administrator's second step after the right password.
    SecondFactor,
}

impl CodePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            CodePurpose::Login => "login",
            CodePurpose::SecondFactor => "second",
        }
    }
}

/// A new six-digit code.
pub fn new_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// What is stored of a code: bound to the account, so a digest says nothing without it.
pub fn code_digest(account_id: i64, code: &str) -> String {
    token_digest(&format!("{account_id}:{}", code.trim()))
}

/// The text of the code's SMS.
pub fn code_sms(code: &str) -> String {
    format!("【代表联络】您的登录验证码是 {code}，{CODE_MINUTES} 分钟内有效。如非本人操作，请忽略本短信。")
}

/// Whether an account with these roles may log in by mobile and code: every role is one the security
/// administrator switched on, and none is an administrator's.
pub fn sms_login_allowed(policy: &PasswordPolicy, roles: &[Role]) -> bool {
    !roles.is_empty()
        && roles
            .iter()
            .all(|r| !r.is_admin() && policy.sms_login_roles.contains(r))
}

/// Whether an account with these roles must type an SMS code after its password.
pub fn needs_second_factor(policy: &PasswordPolicy, roles: &[Role]) -> bool {
    policy.admin_second_factor && roles.iter().any(|r| r.is_admin())
}

/// Who may set an account's mobile number: the person themselves; a system administrator for an
/// account that is not an administrator's (a deputy or a unit who cannot log in yet). An
/// administrator's mobile receives their second factor, so nobody else may change it (三员分立).
pub fn may_set_mobile(caller: &Scope, target_id: i64, target_roles: &[Role]) -> bool {
    if caller.account_id == target_id {
        return true;
    }
    caller.can(crate::Permission::ManageAccounts) && !target_roles.iter().any(|r| r.is_admin())
}

/// A mobile number for an account: 11 digits starting with 1 (as typed: full-width digits, spaces,
/// dashes, +86 are read as for any phone). `None` for an empty field.
pub fn parse_mobile(typed: &str) -> Result<Option<String>, &'static str> {
    let digits = crate::mask::digits(typed.trim());
    if typed.trim().is_empty() {
        return Ok(None);
    }
    let digits = match digits.strip_prefix("0086").or_else(|| digits.strip_prefix("86")) {
        Some(rest) if crate::mask::is_mobile(rest) => rest.to_owned(),
        _ => digits,
    };
    let ok_chars = typed
        .trim()
        .chars()
        .all(|c| crate::mask::digit_value(c).is_some() || crate::mask::is_separator(c));
    if ok_chars && crate::mask::is_mobile(&digits) {
        Ok(Some(digits))
    } else {
        Err("请填写 11 位手机号码")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(roles: &[Role]) -> PasswordPolicy {
        PasswordPolicy {
            sms_login_roles: roles.to_vec(),
            ..PasswordPolicy::default()
        }
    }

    #[test]
    fn sms_login_is_per_role_and_never_for_administrators() {
        let p = policy(&[Role::Deputy, Role::HandlingUnit]);
        assert!(sms_login_allowed(&p, &[Role::Deputy]));
        assert!(sms_login_allowed(&p, &[Role::HandlingUnit]));
        assert!(!sms_login_allowed(&p, &[Role::Deputy, Role::TownshipStaff]));
        assert!(!sms_login_allowed(&p, &[]));
        assert!(!sms_login_allowed(&PasswordPolicy::default(), &[Role::Deputy]));
        let all = policy(&[Role::SystemAdmin, Role::Deputy]);
        assert!(!sms_login_allowed(&all, &[Role::SystemAdmin]));
    }

    #[test]
    fn codes_are_six_digits_and_their_digest_is_bound_to_the_account() {
        for _ in 0..200 {
            let c = new_code();
            assert_eq!(c.len(), 6);
            assert!(c.chars().all(|d| d.is_ascii_digit()));
        }
        assert_ne!(code_digest(1, "123456"), code_digest(2, "123456"));
        assert_eq!(code_digest(1, " 123456 "), code_digest(1, "123456"));
        assert!(code_sms("123456").contains("123456"));
    }

    #[test]
    fn mobiles_are_read_as_typed() {
        assert_eq!(parse_mobile("139 1234 5678"), Ok(Some("13912345678".into())));
        assert_eq!(parse_mobile("+86 139-1234-5678"), Ok(Some("13912345678".into())));
        assert_eq!(
            parse_mobile("１３９１２３４５６７８"),
            Ok(Some("13912345678".into()))
        );
        assert_eq!(parse_mobile(""), Ok(None));
        assert!(parse_mobile("0971-1234567").is_err());
        assert!(parse_mobile("1391234567").is_err());
        assert!(parse_mobile("139123456789").is_err());
        assert!(parse_mobile("139abc45678").is_err());
    }

    #[test]
    fn only_the_person_sets_an_administrator_s_mobile() {
        let scope = |id: i64, role: Role| Scope {
            account_id: id,
            username: format!("u{id}"),
            roles: vec![role],
            region: crate::RegionCode::parse("630121").expect("region"),
            unit_id: None,
            station_id: None,
            person_id: None,
        };
        let sysadmin = scope(1, Role::SystemAdmin);
        assert!(may_set_mobile(&sysadmin, 1, &[Role::SystemAdmin]));
        assert!(may_set_mobile(&sysadmin, 2, &[Role::Deputy]));
        assert!(!may_set_mobile(&sysadmin, 3, &[Role::SecurityAdmin]));
        let deputy = scope(4, Role::Deputy);
        assert!(!may_set_mobile(&deputy, 2, &[Role::Deputy]));
    }
}
