//! `/opinions/bulk`: one action on many items at once — accept, answer on the spot, assign, publish.
//! Only the rows the clerk ticked change: the posted ids are the whole list, each one goes through
//! the same checked, audited path as the item page (its own transaction, so one stale row is reported
//! and the others still go through), and the result page lists every row with what happened.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use liaison_domain::mask;
use liaison_domain::opinion::{Action, Capacity, access};
use liaison_store::opinion::{ActInput, Opinion, Queue};
use liaison_store::page::{self, Key, Paged};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{Form, Query};
use crate::layout::Page;
use crate::redisplay::{Redisplay, unprocessable};
use crate::{AppState, WebError};

/// Rows shown for selection (and the most one request may change).
pub const MAX_ROWS: usize = 100;

/// The actions that can be taken in bulk: (name, label). Which rows each applies to is the state
/// machine's table (`Action::rule`) and the access rules, not a list kept here.
pub const ACTIONS: &[(&str, &str)] = &[
    ("accept", "批量登记受理"),
    ("answer_on_spot", "批量答复办结"),
    ("assign", "批量交办"),
    ("publish", "批量公示"),
];

fn action_of(name: &str) -> Option<&'static (&'static str, &'static str)> {
    ACTIONS.iter().find(|(n, _)| *n == name)
}

/// Whether staff may take `action` on the item now: the one check the item page and the store make.
fn applies(staff: &Staff, o: &Opinion, action: &Action) -> bool {
    access::staff_may_act(&staff.scope, o.escalated) && o.status().apply(Capacity::Staff, action).is_ok()
}

#[derive(Deserialize, Default)]
pub struct BulkQuery {
    #[serde(default)]
    action: String,
    /// The id of the last item shown (a malformed one is the first page).
    #[serde(default)]
    before: String,
    tpl: Option<i64>,
    /// `1`: every row ticked (全选, without script).
    #[serde(default)]
    all: String,
}

/// One row offered for selection.
pub struct Row {
    o: Opinion,
    public_text: String,
}

/// What happened to one posted row.
pub struct Outcome {
    id: i64,
    result: Result<&'static str, String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "opinion/bulk.html")]
pub struct BulkPage {
    page: Page,
    actions: Vec<(&'static str, &'static str, bool)>,
    action: &'static str,
    label: &'static str,
    rows: Vec<Row>,
    next: Option<String>,
    unit_choices: Vec<(i64, String)>,
    outcomes: Vec<Outcome>,
    note: String,
    /// Reply templates for answering in bulk: (id, title).
    templates: Vec<(i64, String)>,
    /// The form sent back with what was ticked and typed, and what was wrong.
    again: Redisplay,
}

impl BulkPage {
    fn all_ticked(&self) -> bool {
        !self.rows.is_empty() && self.rows.iter().all(|r| self.ticked(&r.o.id))
    }

    fn ticked(&self, id: &i64) -> bool {
        self.again.sent("bulk", "ids", &id.to_string())
    }

    fn chosen(&self, unit: &i64) -> bool {
        self.again.sent("bulk", "unit", &unit.to_string())
    }

    fn done_count(&self) -> usize {
        self.outcomes.iter().filter(|o| o.result.is_ok()).count()
    }
}

async fn page(
    state: &AppState,
    staff: &Staff,
    action: &str,
    before: Option<i64>,
) -> Result<BulkPage, WebError> {
    if !access::is_staff(&staff.scope) {
        return Err(WebError::Forbidden);
    }
    let &(name, label) = action_of(action).unwrap_or(&ACTIONS[0]);
    let probe = Action::by_name(name).ok_or(WebError::NotFound)?;
    let max = MAX_ROWS as i64;
    let fetched = state
        .store
        .opinion_queue(
            &staff.scope,
            Queue::Region,
            probe.stages(),
            before,
            page::fetch(max),
        )
        .await?;
    let fetched = Paged::cut(fetched, max, |o: &Opinion| o.id);
    let next = fetched
        .next
        .map(|id| format!("/opinions/bulk?action={name}&before={id}"));
    // only the items the action can apply to: not a deputy's new item, not one passed up to the
    // county unless the caller is the county's
    let public = state.store.public_phones().await?;
    let rows = fetched
        .rows
        .into_iter()
        .filter(|o| applies(staff, o, &probe))
        .map(|mut o| {
            // only a batch publish shows the text to review (the public numbers kept)
            let public_text = if name == "publish" {
                o.proposed_public_text(&o.redactor(public.clone()))
            } else {
                String::new()
            };
            o.description = mask::free_text(&o.description);
            Row { o, public_text }
        })
        .collect();
    let unit_choices = if name == "assign" {
        state
            .store
            .units(&staff.scope, None, None, 500)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.id, format!("{}（{}）", u.name, u.region_name)))
            .collect()
    } else {
        vec![]
    };
    Ok(BulkPage {
        page: Page::new(&staff.ctx, label, "/opinions"),
        actions: ACTIONS.iter().map(|(n, l)| (*n, *l, *n == name)).collect(),
        action: name,
        label,
        rows,
        next,
        unit_choices,
        outcomes: vec![],
        note: String::new(),
        again: Redisplay::default(),
        templates: if name == "answer_on_spot" {
            state
                .store
                .reply_templates(name, "")
                .await?
                .into_iter()
                .map(|t| (t.id, t.title))
                .collect()
        } else {
            vec![]
        },
    })
}

/// `GET /opinions/bulk?action=…`
pub async fn form(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<BulkQuery>,
    RawQuery(raw): RawQuery,
) -> Result<BulkPage, WebError> {
    let mut p = page(&state, &staff, &q.action, Key::parse(&q.before)).await?;
    // ticked in the queue's table, or all of them; only rows the action applies to are on the page
    let ticked: Vec<(String, String)> = if q.all == "1" {
        p.rows
            .iter()
            .map(|r| ("ids".to_owned(), r.o.id.to_string()))
            .collect()
    } else {
        // `ids` repeats (the queue table's ticks): read from the raw query
        form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
            .filter(|(k, _)| k == "ids")
            .map(|(_, v)| ("ids".to_owned(), v.trim().to_owned()))
            .collect()
    };
    p.again = Redisplay::filled("bulk", ticked);
    // a template fills the answer; its placeholders are filled per item when sent
    if let Some(t) = q.tpl
        && let Some(t) = state.store.reply_template(t).await?
    {
        p.note = t.body;
    }
    Ok(p)
}

/// The posted form: `action`, `ids` (repeated), `note`, `unit`, and `text_{id}` per row to publish.
struct Posted {
    action: &'static str,
    ids: Vec<i64>,
    note: String,
    unit: Option<i64>,
    texts: Vec<(i64, String)>,
}

fn parse(pairs: &[(String, String)]) -> Result<Posted, WebError> {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map_or("", |(_, v)| v.as_str());
    let action = action_of(get("action"))
        .map(|a| a.0)
        .ok_or_else(|| WebError::invalid("action", "未知的批量操作"))?;
    let mut ids = Vec::new();
    for (k, v) in pairs {
        if k == "ids" {
            let id = v
                .trim()
                .parse::<i64>()
                .map_err(|_| WebError::invalid("ids", "所选事项无效"))?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    if ids.is_empty() {
        return Err(WebError::invalid("ids", "请至少勾选一项"));
    }
    if ids.len() > MAX_ROWS {
        return Err(WebError::invalid("ids", format!("一次最多处理 {MAX_ROWS} 项")));
    }
    let note = get("note").trim().to_owned();
    if note.chars().count() > 2000 {
        return Err(WebError::invalid("note", "内容不能超过 2000 字"));
    }
    if action == "answer_on_spot" && note.is_empty() {
        return Err(WebError::invalid("note", "请填写答复群众的内容"));
    }
    let unit = match get("unit").trim() {
        "" if action == "assign" => return Err(WebError::invalid("unit", "请选择主办单位")),
        "" => None,
        u => Some(
            u.parse::<i64>()
                .map_err(|_| WebError::invalid("unit", "请选择主办单位"))?,
        ),
    };
    let mut texts = Vec::new();
    for (k, v) in pairs {
        if let Some(id) = k.strip_prefix("text_").and_then(|s| s.parse::<i64>().ok()) {
            if v.chars().count() > 3000 {
                return Err(WebError::invalid("public_text", "公示内容不能超过 3000 字"));
            }
            texts.push((id, v.trim().to_owned()));
        }
    }
    Ok(Posted {
        action,
        ids,
        note,
        unit,
        texts,
    })
}

/// `POST /opinions/bulk`: acts on exactly the ticked rows and reports each one.
pub async fn submit(
    State(state): State<AppState>,
    staff: Staff,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    if !access::is_staff(&staff.scope) {
        return Err(WebError::Forbidden);
    }
    let p = match parse(&pairs) {
        Ok(p) => p,
        Err(e) => {
            // the page again with the ticks, the unit and the words as they were sent
            let again = Redisplay::of("bulk", pairs.clone(), e)?;
            let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map_or("", |(_, v)| v.as_str());
            let mut page = page(&state, &staff, get("action"), None).await?;
            page.note = get("note").to_owned();
            page.again = again;
            return Ok(unprocessable(page));
        }
    };
    let unit = p.unit.map(|u| u.to_string()).unwrap_or_default();
    let action = Action::parse(liaison_domain::opinion::ActionFields {
        action: p.action,
        unit: &unit,
        ..Default::default()
    })?;
    let mut outcomes = Vec::with_capacity(p.ids.len());
    for &id in &p.ids {
        let public_text = p
            .texts
            .iter()
            .find(|(t, _)| *t == id)
            .map(|(_, t)| t.clone())
            .filter(|t| !t.is_empty());
        // placeholders ({回执码}, {类别}, …) are filled for each item
        let note = if p.note.contains('{') {
            match state.store.opinion(&staff.scope, id).await {
                Ok(o) => super::fill_template(&p.note, &o),
                Err(_) => p.note.clone(),
            }
        } else {
            p.note.clone()
        };
        let input = ActInput {
            note,
            public_text,
            ..ActInput::default()
        };
        let result = state
            .store
            .act_on_opinion(&staff.scope, &staff.actor(), id, Capacity::Staff, action, &input)
            .await
            .map(|s| s.stage.label())
            .map_err(|e| {
                let e = WebError::from(e);
                if let WebError::Internal(cause) = &e {
                    tracing::error!(opinion = id, %cause, "bulk action failed");
                }
                e.to_string()
            });
        outcomes.push(Outcome { id, result });
    }
    let mut page = page(&state, &staff, p.action, None).await?;
    page.outcomes = outcomes;
    page.note = p.note;
    Ok(page.into_response())
}
