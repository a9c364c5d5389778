use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_store::account::Account;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::Query;
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    page: Page,
    account: Account,
    roles: Vec<&'static str>,
    region_path: String,
    expires_in_days: Option<i64>,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// The signed-in person's own account: who they are, their roles and region, password age.
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Done>,
) -> Result<AccountPage, WebError> {
    let account = state.store.account(&staff.scope, staff.scope.account_id).await?;
    let lineage = state.store.region_lineage(&staff.scope.region).await?;
    let policy = state.policy().await?;
    let max_age = policy.max_age_for(&staff.scope.roles);
    let expires_in_days =
        (max_age > 0).then(|| max_age - (chrono::Utc::now() - account.password_changed_at).num_days());
    Ok(AccountPage {
        page: Page::new(&staff.ctx, "我的账号", "/account").notice(q.done.as_deref()),
        roles: account.roles.iter().map(|r| r.label()).collect(),
        region_path: crate::layout::region_path(&lineage),
        account,
        expires_in_days,
    })
}
