//! 码上找代表: a voter picks county -> township -> village and sees the deputies they can turn to,
//! grouped by level (全国 … 乡镇) and within a level by the place they were elected in, each a link
//! to the deputy's card with the 码上办 form, and the nearest open stations. Public, no JavaScript.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use liaison_domain::registry::deputy::DeputyLevel;
use liaison_domain::{RegionCode, RegionLevel};
use liaison_store::region::Region;
use liaison_store::registry::deputy::Deputy;
use liaison_store::registry::station::Station;
use serde::Deserialize;

use super::missing;
use crate::extract::Query;
use crate::layout::Page;
use crate::{AppState, RequestCtx, WebError};

/// Deputies listed for one place at most (a township with every level is well below it).
const MAX_DEPUTIES: i64 = 300;

#[derive(Template, WebTemplate)]
#[template(path = "public/find.html")]
pub struct FindPage {
    page: Page,
    crumbs: Vec<Region>,
    here: Option<Region>,
    children: Vec<Region>,
    child_label: &'static str,
    groups: Vec<LevelGroup>,
    deputy_count: usize,
    stations: Vec<Station>,
    show_people: bool,
}

/// The deputies of one level, by the place they were elected in.
pub struct LevelGroup {
    pub label: &'static str,
    pub count: usize,
    pub places: Vec<PlaceGroup>,
}

pub struct PlaceGroup {
    pub place: String,
    pub people: Vec<Person>,
}

/// One deputy as the list shows them: enough to tell namesakes apart (constituency, place, photo).
pub struct Person {
    pub person: i64,
    pub name: String,
    pub constituency: String,
    pub photo: bool,
    /// Someone else in the list has the same name.
    pub namesake: bool,
}

impl Person {
    /// The first character, standing in for a missing photo.
    pub fn initial(&self) -> String {
        self.name.chars().next().map(String::from).unwrap_or_default()
    }
}

/// Groups deputies (any order) by level, national first, then by the place of their constituency in
/// code order, names in order within a place. `photo` says who has a public photo.
pub fn group(deputies: &[Deputy], photo: &HashMap<i64, bool>) -> Vec<LevelGroup> {
    let mut names: HashMap<&str, Vec<i64>> = HashMap::new();
    for d in deputies {
        let same = names.entry(d.name.as_str()).or_default();
        if !same.contains(&d.person_id) {
            same.push(d.person_id);
        }
    }
    let mut out = Vec::new();
    for level in DeputyLevel::ALL {
        let mut of_level: Vec<&Deputy> = deputies.iter().filter(|d| d.level == level.as_str()).collect();
        if of_level.is_empty() {
            continue;
        }
        of_level.sort_by(|a, b| {
            (a.constituency_region.as_str(), a.name.as_str(), a.person_id).cmp(&(
                b.constituency_region.as_str(),
                b.name.as_str(),
                b.person_id,
            ))
        });
        let mut places: Vec<(String, PlaceGroup)> = Vec::new();
        for d in &of_level {
            let person = Person {
                person: d.person_id,
                name: d.name.clone(),
                constituency: d.constituency.clone(),
                photo: photo.get(&d.person_id).copied().unwrap_or(false),
                namesake: names.get(d.name.as_str()).is_some_and(|p| p.len() > 1),
            };
            match places.last_mut() {
                Some((code, g)) if *code == d.constituency_region => g.people.push(person),
                _ => places.push((
                    d.constituency_region.clone(),
                    PlaceGroup {
                        place: liaison_domain::region::short_name(&d.constituency_region_name),
                        people: vec![person],
                    },
                )),
            }
        }
        out.push(LevelGroup {
            label: level.label(),
            count: of_level.len(),
            places: places.into_iter().map(|(_, g)| g).collect(),
        });
    }
    out
}

#[derive(Deserialize)]
pub struct FindQuery {
    region: Option<String>,
}

/// `GET /find?region=`
pub async fn page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Query(q): Query<FindQuery>,
) -> Result<Response, WebError> {
    let r = find(&state, &ctx, q).await;
    missing::or_missing(&ctx, r, "没有找到这个地区")
}

async fn find(state: &AppState, ctx: &RequestCtx, q: FindQuery) -> Result<Response, WebError> {
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
                state.store.deputies_for_voters(c, MAX_DEPUTIES).await?,
                state.store.open_stations_in(&township, c, 6).await?,
            )
        }
        _ => (vec![], vec![]),
    };
    let mut photo = HashMap::new();
    for d in &deputies {
        if let std::collections::hash_map::Entry::Vacant(e) = photo.entry(d.person_id) {
            e.insert(state.store.public_photo(d.person_id).await?.is_some());
        }
    }
    Ok(FindPage {
        page: Page::public(ctx, "码上找代表"),
        crumbs,
        child_label: child_label(level),
        here,
        children,
        groups: group(&deputies, &photo),
        deputy_count: deputies.len(),
        stations,
        show_people,
    }
    .into_response())
}

/// What the places one level down are called.
pub fn child_label(level: Option<RegionLevel>) -> &'static str {
    match level.and_then(|l| l.child()) {
        Some(RegionLevel::City) => "市（州）",
        Some(RegionLevel::County) => "县（市、区）",
        Some(RegionLevel::Township) => "乡镇（街道）",
        Some(RegionLevel::Village) => "村（社区）",
        _ => "地区",
    }
}
