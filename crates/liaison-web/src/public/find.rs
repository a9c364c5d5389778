//! 码上找代表: a voter picks county -> township -> village and sees the deputies they can turn to (all
//! levels) and the nearest open stations. Public, no JavaScript, links only.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::{RegionCode, RegionLevel};
use liaison_store::region::Region;
use liaison_store::registry::deputy::Deputy;
use liaison_store::registry::station::Station;
use serde::Deserialize;

use crate::extract::{Path, Query};
use crate::layout::Page;
use crate::{AppState, RequestCtx, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "public/find.html")]
pub struct FindPage {
    page: Page,
    crumbs: Vec<Region>,
    here: Option<Region>,
    children: Vec<Region>,
    deputies: Vec<Deputy>,
    stations: Vec<Station>,
    show_people: bool,
}

#[derive(Deserialize)]
pub struct FindQuery {
    region: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<FindQuery>,
) -> Result<FindPage, WebError> {
    let root = state.store.deployment_region().await?;
    let chosen = match q.region.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(RegionCode::parse(s).map_err(|e| WebError::invalid("region", e.to_string()))?),
        None => root.clone(),
    };
    if let (Some(root), Some(c)) = (&root, &chosen)
        && !root.contains(c)
    {
        return Err(WebError::NotFound);
    }
    let here = match &chosen {
        Some(c) => Some(state.store.region(c).await?.ok_or(WebError::NotFound)?),
        None => None,
    };
    let root_len = root.as_ref().map(|r| r.short().len()).unwrap_or(0);
    let crumbs = match &chosen {
        Some(c) => state
            .store
            .region_lineage(c)
            .await?
            .into_iter()
            .filter(|r| r.short_code().len() >= root_len)
            .collect(),
        None => vec![],
    };
    let children = state.store.region_children(chosen.as_ref()).await?;
    let level = chosen.as_ref().map(|c| c.level());
    // deputies and stations from the township down: above that the lists would be the whole county
    let show_people = matches!(level, Some(RegionLevel::Township | RegionLevel::Village));
    let (deputies, stations) = match (&chosen, show_people) {
        (Some(c), true) => {
            let township = c.lineage().get(3).cloned().unwrap_or_else(|| c.clone());
            (
                state.store.deputies_for_voters(c, 300).await?,
                state.store.open_stations_in(&township, c, 6).await?,
            )
        }
        _ => (vec![], vec![]),
    };
    Ok(FindPage {
        page: Page::public(&ctx, "码上找代表"),
        crumbs,
        here,
        children,
        deputies,
        stations,
        show_people,
    })
}

/// `/s/{id}`: a station's public card by id (the QR code is the way in; this is the link from lists).
pub async fn station(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, WebError> {
    super::card::station_card(&state, &ctx, id, None).await
}
