//! JSON API under `/api/v1`. Same store calls and scope as the pages; errors are
//! `{"error":{"code","message","fields"}}`.

use axum::Json;
use axum::extract::State;
use liaison_domain::{Permission, RegionCode};
use liaison_store::page::Key;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::admin::audit::AuditQuery;
use crate::ctx::Staff;
use crate::extract::{Path, Query};
use crate::routes::Routes;
use crate::{AppState, WebError};

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/api/v1/me", me)
        .get("/api/v1/regions", provinces)
        .get("/api/v1/regions/{code}", region)
        .get("/api/v1/accounts", accounts)
        .get("/api/v1/audit", audit)
}

pub async fn me(staff: Staff) -> Json<Value> {
    let s = &staff.scope;
    Json(json!({
        "id": s.account_id,
        "username": s.username,
        "roles": s.roles,
        "region": s.region.short(),
    }))
}

/// Provinces. Region names and codes are public official data.
pub async fn provinces(State(state): State<AppState>) -> Result<Json<Value>, WebError> {
    let children = state.store.region_children(None).await?;
    Ok(Json(json!({ "children": children })))
}

/// One region and its children (public).
pub async fn region(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Value>, WebError> {
    let code = RegionCode::parse(&code).map_err(|e| WebError::invalid("code", e.to_string()))?;
    let region = state.store.region(&code).await?.ok_or(WebError::NotFound)?;
    let children = state.store.region_children(Some(&code)).await?;
    Ok(Json(json!({ "region": region, "children": children })))
}

#[derive(Deserialize)]
pub struct AccountsQuery {
    q: Option<String>,
    /// The id of the last account of the previous call (a malformed one is the first page).
    #[serde(default)]
    after: String,
    limit: Option<i64>,
}

pub async fn accounts(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AccountsQuery>,
) -> Result<Json<Value>, WebError> {
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let rows = state
        .store
        .accounts(&staff.scope, q.q.as_deref(), Key::parse(&q.after), limit)
        .await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|a| {
            json!({
                "id": a.id, "username": a.username, "display_name": a.display_name,
                "region": a.region_code, "roles": a.roles, "disabled": a.disabled,
                "locked": a.locked_at(chrono::Utc::now()),
            })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

pub async fn audit(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Value>, WebError> {
    staff.require(Permission::ReadAudit)?;
    let f = q.filter().map_err(|m| WebError::invalid("filter", m))?;
    let rows = state.store.audit_list(&staff.scope, &f, 200).await?;
    Ok(Json(json!({ "items": rows })))
}
