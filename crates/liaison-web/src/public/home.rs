//! The front door (`/` for anyone not signed in): three big ways in for a citizen on a phone — find
//! my deputies, check my item, see what was done — and the deployment's townships, each one tap from
//! its deputies. Staff sign in from a small link at the bottom.

use askama::Template;
use askama_web::WebTemplate;
use liaison_store::region::Region;

use crate::layout::Page;
use crate::{AppState, RequestCtx, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "public/home.html")]
pub struct FrontDoor {
    page: Page,
    /// The deployment region (none before the first-run setup).
    region: Option<Region>,
    places: Vec<Region>,
    place_label: &'static str,
}

pub async fn page(state: &AppState, ctx: &RequestCtx) -> Result<FrontDoor, WebError> {
    let root = state.store.deployment_region().await?;
    let (region, places) = match &root {
        Some(code) => (
            state.store.region(code).await?,
            state.store.region_children(Some(code)).await?,
        ),
        None => (None, vec![]),
    };
    let title = match &region {
        Some(r) => format!("{}人大代表联络", r.short_name()),
        None => "人大代表联络".to_owned(),
    };
    Ok(FrontDoor {
        page: Page::public(ctx, title),
        place_label: super::find::child_label(root.as_ref().map(|c| c.level())),
        region,
        places,
    })
}
