//! `/opinions`: the caller's queues. A deputy sees their inbox, a unit its assigned items, staff their
//! region's (a station manager: their station's). Newest first, keyset by id.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use liaison_domain::Role;
use liaison_domain::opinion::Stage;
use liaison_store::opinions::{Opinion, Queue};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::layout::Page;
use crate::{AppState, WebError};

const PAGE: i64 = 30;

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    tab: String,
    #[serde(default)]
    stage: String,
    before: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "opinions/queue.html")]
pub struct QueuePage {
    page: Page,
    tabs: Vec<(&'static str, &'static str, bool)>,
    tab: String,
    stage: String,
    stages: Vec<(&'static str, &'static str)>,
    items: Vec<Opinion>,
    next: Option<String>,
    can_record: bool,
    can_bulk: bool,
}

/// The tabs this caller has: (key, label).
fn tabs_of(staff: &Staff) -> Vec<(&'static str, &'static str)> {
    let s = &staff.scope;
    let mut t = Vec::new();
    if s.has(Role::Deputy) && s.person_id.is_some() {
        t.push(("deputy", "我的代表信箱"));
    }
    if s.has(Role::HandlingUnit) && s.unit_id.is_some() {
        t.push(("unit", "本单位承办"));
    }
    if liaison_store::opinions::is_opinion_staff(s) {
        t.push(("region", "本辖区"));
    }
    t
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<QueueQuery>,
) -> Result<QueuePage, WebError> {
    let tabs = tabs_of(&staff);
    let tab = tabs
        .iter()
        .find(|(k, _)| *k == q.tab)
        .or(tabs.first())
        .map(|(k, _)| *k)
        .ok_or(WebError::Forbidden)?;
    let queue = match tab {
        "deputy" => Queue::Deputy(staff.scope.person_id.ok_or(WebError::Forbidden)?),
        "unit" => Queue::Unit(staff.scope.unit_id.ok_or(WebError::Forbidden)?),
        _ => Queue::Region,
    };
    let stages: Vec<Stage> = match q.stage.as_str() {
        "" => vec![],
        "open" => Stage::ALL
            .into_iter()
            .filter(|s| !matches!(s, Stage::Closed | Stage::Declined | Stage::Published))
            .collect(),
        s => Stage::parse(s).into_iter().collect(),
    };
    let rows = state
        .store
        .opinion_queue(&staff.scope, queue, &stages, q.before, PAGE + 1)
        .await?;
    let next = (rows.len() as i64 > PAGE)
        .then(|| {
            rows.get(PAGE as usize - 1)
                .map(|o| format!("/opinions?tab={tab}&stage={}&before={}", q.stage, o.id))
        })
        .flatten();
    let mut stage_choices = vec![("", "全部"), ("open", "未办结")];
    stage_choices.extend(Stage::ALL.iter().map(|s| (s.as_str(), s.label())));
    Ok(QueuePage {
        page: Page::new(&staff.ctx, "群众意见", "/opinions"),
        tabs: tabs.iter().map(|(k, l)| (*k, *l, *k == tab)).collect(),
        tab: tab.to_owned(),
        stage: q.stage.clone(),
        stages: stage_choices,
        items: rows.into_iter().take(PAGE as usize).collect(),
        next,
        can_record: super::record::can_record(&staff),
        can_bulk: liaison_store::opinions::is_opinion_staff(&staff.scope),
    })
}
