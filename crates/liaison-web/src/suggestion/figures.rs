//! `/suggestions/figures`: the office's figures of a meeting's suggestions — replies on time, the
//! class distribution, first-time and overall satisfaction — for the whole meeting, per lead unit and
//! per deputy, computed by the domain's pure functions (`suggestion::figures`).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use liaison_domain::suggestion::access;
use liaison_domain::suggestion::figures::{self, Figures, Handled};
use liaison_store::suggestion::meeting::Meeting;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::Query;
use crate::layout::Page;
use crate::{AppState, WebError};

/// One row of a table: who, and their figures.
pub struct Row {
    pub name: String,
    pub f: Figures,
}

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/figures.html")]
pub struct FiguresPage {
    page: Page,
    meetings: Vec<Meeting>,
    meeting: Option<i64>,
    all: Figures,
    classes: Vec<String>,
    units: Vec<Row>,
    deputies: Vec<Row>,
}

impl FiguresPage {
    fn is_meeting(&self, id: &i64) -> bool {
        self.meeting == Some(*id)
    }

    fn pct(&self, v: Option<f64>) -> String {
        v.map_or_else(|| "—".to_owned(), |p| format!("{p:.1}%"))
    }

    fn class_count(&self, f: &Figures, class: &str) -> u32 {
        f.classes.get(class).copied().unwrap_or(0)
    }
}

#[derive(Deserialize, Default)]
pub struct FiguresQuery {
    #[serde(default)]
    meeting: String,
}

/// `GET /suggestions/figures`
pub async fn figures(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<FiguresQuery>,
) -> Result<FiguresPage, WebError> {
    let scope = &staff.scope;
    if !access::is_staff(scope) {
        return Err(WebError::Forbidden);
    }
    let meetings = state.store.meetings(scope).await?;
    let meeting = match q.meeting.trim() {
        "" => meetings.first().map(|m| m.id),
        m => Some(
            m.parse::<i64>()
                .ok()
                .filter(|id| meetings.iter().any(|g| g.id == *id))
                .ok_or(WebError::NotFound)?,
        ),
    };
    let rows = match meeting {
        Some(m) => state.store.suggestion_handled(scope, m).await?,
        None => vec![],
    };
    let mut unit_names: HashMap<i64, String> = HashMap::new();
    let mut deputy_names: HashMap<i64, String> = HashMap::new();
    let handled: Vec<Handled> = rows
        .into_iter()
        .map(|(h, proposer, unit)| {
            if let (Some(id), Some(n)) = (h.proposer, proposer) {
                deputy_names.insert(id, n);
            }
            if let (Some(id), Some(n)) = (h.lead_unit, unit) {
                unit_names.insert(id, n);
            }
            h
        })
        .collect();
    let named = |by: std::collections::BTreeMap<i64, Figures>, names: &HashMap<i64, String>| {
        let mut v: Vec<Row> = by
            .into_iter()
            .map(|(id, f)| Row {
                name: names.get(&id).cloned().unwrap_or_default(),
                f,
            })
            .collect();
        v.sort_by(|a, b| b.f.items.cmp(&a.f.items).then_with(|| a.name.cmp(&b.name)));
        v
    };
    let mut deputies = named(figures::by_deputy(&handled), &deputy_names);
    deputies.truncate(100);
    Ok(FiguresPage {
        page: Page::new(&staff.ctx, "建议办理统计", "/suggestions"),
        all: figures::figures(&handled),
        classes: state
            .store
            .reply_classes()
            .await?
            .into_iter()
            .map(|c| c.code)
            .collect(),
        units: named(figures::by_unit(&handled), &unit_names),
        deputies,
        meetings,
        meeting,
    })
}
