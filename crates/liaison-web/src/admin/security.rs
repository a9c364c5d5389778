//! 安全策略: the security administrator sets the password and session policy (never below the floor).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::password::PasswordPolicy;
use liaison_domain::{Permission, Role};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{MultiForm, Query};
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "admin/security.html")]
pub struct SecurityPage {
    page: Page,
    policy: PasswordPolicy,
    error: Option<String>,
    /// (role code, label, ticked) for 短信验证码登录: every role but the administrators'.
    sms_roles: Vec<(&'static str, &'static str, bool)>,
}

fn sms_roles(policy: &PasswordPolicy) -> Vec<(&'static str, &'static str, bool)> {
    Role::ALL
        .into_iter()
        .filter(|r| !r.is_admin())
        .map(|r| (r.as_str(), r.label(), policy.sms_login_roles.contains(&r)))
        .collect()
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Done>,
) -> Result<SecurityPage, WebError> {
    staff.require(Permission::ManageSecurity)?;
    let policy = state.policy().await?;
    Ok(SecurityPage {
        page: Page::new(&staff.ctx, "安全策略", "/admin/security").notice(q.done.as_deref()),
        sms_roles: sms_roles(&policy),
        policy,
        error: None,
    })
}

#[derive(Deserialize)]
pub struct PolicyForm {
    min_length: String,
    min_classes: String,
    max_age_days: String,
    lockout_threshold: String,
    lockout_minutes: String,
    session_idle_minutes: String,
    /// Absent from an older form: the current value stays.
    #[serde(default)]
    deputy_session_days: Option<String>,
    #[serde(default)]
    deputy_max_age_days: Option<String>,
    /// Present on a form that has the SMS section (its checkboxes are absent when unticked).
    #[serde(default)]
    sms_section: Option<String>,
    #[serde(default)]
    sms_login: Vec<String>,
    #[serde(default)]
    admin_second_factor: Option<String>,
}

fn num(s: &str, label: &str) -> Result<i64, String> {
    s.trim().parse::<i64>().map_err(|_| format!("{label}应为整数"))
}

fn parse(f: &PolicyForm, current: &PasswordPolicy) -> Result<PasswordPolicy, String> {
    let or = |v: &Option<String>, now: i64, label: &str| match v {
        Some(v) => num(v, label),
        None => Ok(now),
    };
    let p = PasswordPolicy {
        min_length: num(&f.min_length, "最小长度")?.max(0) as usize,
        min_classes: num(&f.min_classes, "字符类别数")?.max(0) as usize,
        max_age_days: num(&f.max_age_days, "密码有效期")?,
        lockout_threshold: num(&f.lockout_threshold, "失败次数")?,
        lockout_minutes: num(&f.lockout_minutes, "锁定时长")?,
        session_idle_minutes: num(&f.session_idle_minutes, "会话超时")?,
        deputy_session_days: or(
            &f.deputy_session_days,
            current.deputy_session_days,
            "代表手机登录保持天数",
        )?,
        deputy_max_age_days: or(
            &f.deputy_max_age_days,
            current.deputy_max_age_days,
            "代表账号密码有效期",
        )?,
        sms_login_roles: match f.sms_section {
            None => current.sms_login_roles.clone(),
            Some(_) => f
                .sms_login
                .iter()
                .map(|r| Role::parse(r).map_err(|_| "角色不存在".to_owned()))
                .collect::<Result<Vec<_>, _>>()?,
        },
        admin_second_factor: match f.sms_section {
            None => current.admin_second_factor,
            Some(_) => f.admin_second_factor.is_some(),
        },
    };
    p.validate()?;
    Ok(p)
}

pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    MultiForm(f): MultiForm<PolicyForm>,
) -> Result<Response, WebError> {
    staff.require(Permission::ManageSecurity)?;
    let current = state.policy().await?;
    match parse(&f, &current) {
        Ok(policy) => {
            state
                .store
                .set_password_policy(&staff.scope, &staff.actor(), &policy)
                .await?;
            state.forget_policy().await;
            Ok(Redirect::to("/admin/security?done=saved").into_response())
        }
        Err(error) => {
            let policy = state.policy().await?;
            let page = SecurityPage {
                page: Page::new(&staff.ctx, "安全策略", "/admin/security"),
                sms_roles: sms_roles(&policy),
                policy,
                error: Some(error),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
