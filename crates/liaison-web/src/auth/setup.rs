//! First run: with the one-time token the server printed, choose the region this deployment serves and
//! create the system administrator. No password is ever shipped in the repository.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::password::{hash_password, validate_display_name, validate_username};
use liaison_domain::token::{same_secret, token_digest};
use liaison_domain::{RegionCode, RegionLevel, Role};
use liaison_store::Actor;
use liaison_store::account::NewAccount;
use serde::Deserialize;

use crate::extract::{Form, Query};
use crate::layout::Page;
use crate::{AppState, RequestCtx, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "auth/setup.html")]
pub struct SetupPage {
    page: Page,
    token: String,
    region: String,
    username: String,
    display_name: String,
    errors: Vec<String>,
}

#[derive(Deserialize)]
pub struct SetupQuery {
    #[serde(default)]
    token: String,
}

async fn check_token(state: &AppState, token: &str) -> Result<(), WebError> {
    if state.store.account_count().await? > 0 {
        return Err(WebError::Conflict {
            code: "already_setup",
            message: "系统已初始化，请直接登录".into(),
        });
    }
    let stored = state.store.setup_token().await?.unwrap_or_default();
    if stored.is_empty() || token.is_empty() || !same_secret(&token_digest(token), &stored) {
        return Err(WebError::Forbidden);
    }
    Ok(())
}

pub async fn form(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<SetupQuery>,
) -> Result<SetupPage, WebError> {
    check_token(&state, &q.token).await?;
    Ok(SetupPage {
        page: Page::new(&ctx, "系统初始化", "/setup"),
        token: q.token,
        region: String::new(),
        username: "sysadmin".into(),
        display_name: "系统管理员".into(),
        errors: vec![],
    })
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(f): Form<SetupForm>,
) -> Result<Response, WebError> {
    check_token(&state, &f.token).await?;
    let mut errors = Vec::new();
    let region = match RegionCode::parse(&f.region) {
        Ok(r)
            if matches!(
                r.level(),
                RegionLevel::Province | RegionLevel::City | RegionLevel::County
            ) =>
        {
            match state.store.region(&r).await? {
                Some(_) => Some(r),
                None => {
                    errors.push("没有这个行政区划代码".to_owned());
                    None
                }
            }
        }
        Ok(_) => {
            errors.push("部署范围应为省、市或县级行政区".to_owned());
            None
        }
        Err(e) => {
            errors.push(e.to_string());
            None
        }
    };
    let username = f.username.trim().to_owned();
    if let Err(e) = validate_username(&username) {
        errors.push(e.to_string());
    }
    if let Err(e) = validate_display_name(&f.display_name) {
        errors.push(e.to_string());
    }
    if f.password != f.confirm {
        errors.push("两次输入的密码不一致".to_owned());
    }
    let policy = state.policy().await?;
    errors.extend(
        policy
            .violations(&f.password, &username)
            .into_iter()
            .map(|v| format!("密码{v}")),
    );
    let Some(region) = region.filter(|_| errors.is_empty()) else {
        let page = SetupPage {
            page: Page::new(&ctx, "系统初始化", "/setup"),
            token: f.token,
            region: f.region.chars().take(12).collect(),
            username,
            display_name: f.display_name,
            errors,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let admin = NewAccount {
        username,
        display_name: f.display_name.trim().to_owned(),
        region: region.clone(),
        roles: vec![Role::SystemAdmin],
        unit_id: None,
        station_id: None,
        person_id: None,
        password_hash: hash_password(&f.password)?,
        must_change_password: false,
    };
    let actor = Actor {
        account_id: None,
        username: "setup".into(),
        ip: ctx.ip.clone(),
    };
    state.store.bootstrap(&actor, &region, admin).await?;
    Ok(Redirect::to("/login?done=saved").into_response())
}
