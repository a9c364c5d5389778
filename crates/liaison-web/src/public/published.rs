//! 公示: published outcomes, newest first, per region and station. Only the reviewed public text
//! (numbers masked), the category, the place and the rating; never a name or a phone.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use liaison_domain::RegionCode;
use liaison_store::Visible;
use liaison_store::opinion::Opinion;
use liaison_store::page::{self, Key, Paged, TimeCursor};
use serde::Deserialize;

use crate::extract::{Path, Query};
use crate::layout::{Page, local_time};
use crate::{AppState, RequestCtx, WebError};

const PAGE: i64 = 20;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    region: String,
    station: Option<i64>,
    /// The (publication time, id) of the last item shown (a malformed one is the first page).
    #[serde(default)]
    after: String,
}

pub struct Item {
    category: String,
    place: String,
    published: String,
    text: String,
    rating: &'static str,
    photos: Vec<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "public/published.html")]
pub struct ListPage {
    page: Page,
    region_name: String,
    items: Vec<Item>,
    next: Option<String>,
}

/// `GET /published?region=&station=&after=`
pub async fn list(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, WebError> {
    let root = state.store.deployment_region().await?;
    let region = match RegionCode::parse(q.region.trim()) {
        Ok(r) => r,
        Err(_) => root.ok_or(WebError::NotFound)?,
    };
    let region_name = state
        .store
        .region(&region)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let rows = state
        .store
        .published(&region, q.station, Key::parse(&q.after), page::fetch(PAGE))
        .await?;
    let shown = Paged::cut(rows, PAGE, |o: &Visible<Opinion>| TimeCursor {
        at: o.published_at.unwrap_or(o.updated_at),
        id: o.id,
    });
    let mut items = Vec::new();
    for o in shown.rows {
        let photos = state
            .store
            .opinion_photos(&o)
            .await?
            .into_iter()
            .filter(|p| !p.hidden)
            .map(|p| p.id)
            .collect();
        let at = o.published_at.unwrap_or(o.updated_at);
        items.push(Item {
            category: o.category_label.clone(),
            place: o.station_name.clone().unwrap_or_else(|| o.region_name.clone()),
            published: local_time(&at),
            text: o.public_text.clone(),
            rating: o.satisfaction_label(),
            photos,
        });
    }
    let next = shown.next.map(|after| {
        let station = q.station.map(|s| format!("&station={s}")).unwrap_or_default();
        format!("/published?region={}{station}&after={after}", region.short())
    });
    Ok(ListPage {
        page: Page::public(&ctx, "办理结果公示"),
        region_name,
        items,
        next,
    })
}

/// `GET /published/photos/{id}.jpg`: a photo of a published item that staff did not hide.
pub async fn photo(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, WebError> {
    let id = crate::jpeg::id_of(&file)?;
    let blob = state
        .store
        .public_opinion_photo(id)
        .await?
        .ok_or(WebError::NotFound)?;
    crate::jpeg::respond(&state, &blob, "public, max-age=60").await
}
