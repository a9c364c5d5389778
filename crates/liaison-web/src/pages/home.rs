//! 工作台: where every signed-in person starts, at their own region.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::Permission;
use liaison_store::region::Region;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::Query;
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    page: Page,
    name: String,
    region_path: String,
    region: Option<Region>,
    children: Vec<Region>,
    child_label: &'static str,
    workbench: bool,
    manage_accounts: bool,
    manage_security: bool,
    read_audit: bool,
    account_count: Option<usize>,
    locked_count: Option<usize>,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Done>,
) -> Result<HomePage, WebError> {
    let scope = &staff.scope;
    let lineage = state.store.region_lineage(&scope.region).await?;
    let region = lineage.last().cloned();
    let children = state.store.region_children(Some(&scope.region)).await?;
    let child_label = match region.as_ref().and_then(|r| r.level()) {
        Some(l) => match l.child() {
            Some(liaison_domain::RegionLevel::City) => "市（州）",
            Some(liaison_domain::RegionLevel::County) => "县（市、区）",
            Some(liaison_domain::RegionLevel::Township) => "乡镇（街道）",
            Some(liaison_domain::RegionLevel::Village) => "村（社区）",
            _ => "下级",
        },
        None => "下级",
    };
    let (account_count, locked_count) =
        if scope.can(Permission::ManageAccounts) || scope.can(Permission::ManageSecurity) {
            let all = state.store.accounts(scope, None, None, 10_000).await?;
            let now = chrono::Utc::now();
            (
                Some(all.len()),
                Some(all.iter().filter(|a| a.locked_at(now)).count()),
            )
        } else {
            (None, None)
        };
    Ok(HomePage {
        page: Page::new(&staff.ctx, "工作台", "/").notice(q.done.as_deref()),
        name: staff
            .ctx
            .session
            .as_ref()
            .map(|s| s.display_name.clone())
            .unwrap_or_default(),
        region_path: lineage
            .iter()
            .filter(|r| !r.is_placeholder())
            .map(|r| r.short_name())
            .collect::<Vec<_>>()
            .join(" › "),
        region,
        children,
        child_label,
        workbench: scope.can(Permission::ViewWorkbench),
        manage_accounts: scope.can(Permission::ManageAccounts),
        manage_security: scope.can(Permission::ManageSecurity),
        read_audit: scope.can(Permission::ReadAudit),
        account_count,
        locked_count,
    })
}
