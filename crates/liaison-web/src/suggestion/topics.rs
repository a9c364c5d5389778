//! `/suggestions/topics`: 议题分析 — the concerns most raised in a year in a county (or township), from
//! deputies' suggestions and citizens' opinions together, with links to the items behind each, so the
//! standing committee sees what to pick as supervision projects. Above county level the page offers
//! the counties first (the analysis reads one county's year).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::opinion::similar::keywords;
use liaison_domain::suggestion::access;
use liaison_domain::suggestion::topics::{self, ByCategory, Item, Source, Topic};
use liaison_domain::{RegionCode, RegionLevel};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::Query;
use crate::layout::Page;
use crate::{AppState, WebError};

/// Keywords the page lists.
const SHOWN: usize = 30;

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/topics.html")]
pub struct TopicsPage {
    page: Page,
    year: i32,
    region: String,
    region_name: String,
    /// Counties (or townships) to choose from when the caller's region is wider than a county.
    choices: Vec<(String, String)>,
    topics: Vec<Topic>,
    categories: Vec<(String, u32, u32)>,
    opinions: usize,
    suggestions: usize,
}

#[derive(Deserialize, Default)]
pub struct TopicsQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    year: String,
}

/// `GET /suggestions/topics`
pub async fn topics(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<TopicsQuery>,
) -> Result<TopicsPage, WebError> {
    let scope = &staff.scope;
    if !access::is_staff(scope) {
        return Err(WebError::Forbidden);
    }
    let this_year = chrono::Datelike::year(&liaison_domain::time::today());
    let year = q
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=this_year).contains(y))
        .unwrap_or(this_year);
    let region = match q.region.trim() {
        "" => scope.region.clone(),
        r => RegionCode::parse(r).map_err(|_| WebError::invalid("region", "行政区代码无效"))?,
    };
    if !scope.covers(&region) {
        return Err(WebError::NotFound);
    }
    let region_name = state
        .store
        .region(&region)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let mut page = TopicsPage {
        page: Page::new(&staff.ctx, "议题分析", "/suggestions"),
        year,
        region: region.as_str().to_owned(),
        region_name,
        choices: vec![],
        topics: vec![],
        categories: vec![],
        opinions: 0,
        suggestions: 0,
    };
    if region.level() < RegionLevel::County {
        page.choices = state
            .store
            .region_children(Some(&region))
            .await?
            .into_iter()
            .map(|r| (r.code, r.name))
            .collect();
        return Ok(page);
    }
    let items = state.store.topic_items(scope, &region, year).await?;
    let opinion_words: Vec<Vec<String>> = items
        .opinions
        .iter()
        .map(|(_, terms)| terms.split_whitespace().map(str::to_owned).collect())
        .collect();
    let suggestion_words: Vec<Vec<String>> = items.suggestions.iter().map(|(_, t)| keywords(t)).collect();
    let all = items
        .opinions
        .iter()
        .zip(&opinion_words)
        .map(|((c, _), k)| Item {
            source: Source::Opinion,
            category: c,
            keywords: k,
        })
        .chain(
            items
                .suggestions
                .iter()
                .zip(&suggestion_words)
                .map(|((c, _), k)| Item {
                    source: Source::Suggestion,
                    category: c,
                    keywords: k,
                }),
        );
    let (found, by_category): (Vec<Topic>, ByCategory) = topics::topics(all, SHOWN);
    let labels = state.store.categories().await?;
    let mut categories: Vec<(String, u32, u32)> = by_category
        .into_iter()
        .map(|(code, (o, s))| {
            let label = labels
                .iter()
                .find(|c| c.code == code)
                .map_or(code, |c| c.label.clone());
            (label, o, s)
        })
        .collect();
    categories.sort_by(|a, b| (b.1 + b.2).cmp(&(a.1 + a.2)).then_with(|| a.0.cmp(&b.0)));
    page.opinions = items.opinions.len();
    page.suggestions = items.suggestions.len();
    page.topics = found;
    page.categories = categories;
    Ok(page)
}
