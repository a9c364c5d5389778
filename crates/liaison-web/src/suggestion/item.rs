//! `/suggestions/{id}`: one item with its co-signers, units, reply, milestones, ratings and history,
//! and a form for each step the caller may take now (posted to `act`), 重点督办 (`key`), a milestone done
//! (`milestone`) and the printable reply letter for a deputy who does not go online (`letter`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::opinion::Satisfaction;
use liaison_domain::suggestion::{Capacity, ReplyClass, Stage};
use liaison_store::suggestion::{Event, LinkedOpinion, Milestone, Rating, Seen};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{MultiForm, Path, Query};
use crate::layout::Page;
use crate::redisplay::{Redisplay, unprocessable};
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/item.html")]
pub struct ItemPage {
    page: Page,
    s: Seen,
    /// (capacity, action name) the caller may take now, each once.
    forms: Vec<(&'static str, &'static str)>,
    history: Vec<Event>,
    ratings: Vec<Rating>,
    milestones: Vec<Milestone>,
    opinions: Vec<LinkedOpinion>,
    classes: Vec<ReplyClass>,
    /// Units to assign: (id, name), and the routing table's default lead.
    units: Vec<(i64, String)>,
    default_lead: Option<i64>,
    /// Who may be rated for on paper / confirmed for: (person, name).
    raters: Vec<(i64, String)>,
    pending: Vec<(i64, String)>,
    is_staff: bool,
    may_mark: bool,
    again: Redisplay,
}

impl ItemPage {
    fn is_default(&self, id: &i64) -> bool {
        self.default_lead == Some(*id)
    }

    fn has(&self, action: &str) -> bool {
        self.forms.iter().any(|(_, a)| *a == action)
    }

    fn capacity(&self, action: &str) -> &'static str {
        self.forms
            .iter()
            .find(|(_, a)| *a == action)
            .map_or("", |(c, _)| c)
    }

    fn typed(&self, form: &str, field: &str) -> String {
        self.again.value(form, field).unwrap_or_default().to_owned()
    }

    fn stage_label(&self, s: &str) -> &'static str {
        Stage::parse(s).map(Stage::label).unwrap_or("")
    }

    fn action_label(&self, a: &str) -> &'static str {
        match a {
            "create" => "录入",
            "propose" => "提出",
            "confirm" => "确认联名",
            "refuse" => "不同意联名",
            "submit" => "提交",
            "register" => "立案登记",
            "return" => "退回",
            "resubmit" => "重新提交",
            "assign" => "交办",
            "unit_return" => "承办单位退回",
            "sign_off" => "会签",
            "reply" => "答复",
            "reclass" => "调整答复类别",
            "rate" => "满意度测评",
            _ => "",
        }
    }

    fn satisfaction_label(&self, s: &str) -> &'static str {
        Satisfaction::parse(s).map(Satisfaction::label).unwrap_or("")
    }

    fn class_label(&self, code: &str) -> String {
        self.classes
            .iter()
            .find(|c| c.code == code)
            .map_or_else(|| code.to_owned(), |c| format!("{}类（{}）", c.code, c.label))
    }
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

pub(super) async fn page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    again: Redisplay,
) -> Result<ItemPage, WebError> {
    let scope = &staff.scope;
    let s = state.store.suggestion(scope, id).await?;
    let st = state.store.suggestion_status(&s).await?;
    let mut forms = Vec::new();
    for who in &s.capacities {
        let me = match who {
            Capacity::Proposer | Capacity::Cosigner => scope.person_id,
            Capacity::CoUnit => scope.unit_id,
            _ => None,
        };
        for a in st.allowed(*who, me) {
            if !forms.iter().any(|(_, x)| *x == a) {
                forms.push((who.as_str(), a));
            }
        }
    }
    // staff confirm for a co-signer and rate for a deputy with a person chosen on the form
    let is_staff = s.capacities.contains(&Capacity::Staff);
    if is_staff && st.stage == Stage::Cosigning && !forms.iter().any(|(_, a)| *a == "confirm") {
        forms.push(("staff", "confirm"));
    }
    if is_staff && matches!(st.stage, Stage::Replied) && !forms.iter().any(|(_, a)| *a == "rate") {
        forms.push(("staff", "rate"));
    }
    let units = if forms.iter().any(|(_, a)| *a == "assign") {
        state
            .store
            .units(scope, None, None, 500)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.id, u.name))
            .collect()
    } else {
        vec![]
    };
    let default_lead = if units.is_empty() {
        None
    } else {
        state
            .store
            .default_unit(&s.item.region()?, &s.item.category)
            .await?
            .map(|r| r.unit_id)
    };
    let raters = s
        .item
        .proposer_id
        .zip(s.item.proposer_name.clone())
        .into_iter()
        .chain(
            s.cosigners
                .iter()
                .filter(|c| c.confirmed_at.is_some())
                .map(|c| (c.person_id, c.name.clone())),
        )
        .filter(|(p, _)| !st.rated.contains(p))
        .collect();
    let pending = s
        .cosigners
        .iter()
        .filter(|c| c.confirmed_at.is_none())
        .map(|c| (c.person_id, c.name.clone()))
        .collect();
    let (ratings, milestones, opinions) = state.store.suggestion_parts(&s).await?;
    let history = state.store.suggestion_history(&s).await?;
    let may_mark = s
        .capacities
        .iter()
        .any(|c| matches!(c, Capacity::LeadUnit | Capacity::Staff));
    Ok(ItemPage {
        page: Page::new(&staff.ctx, s.item.title.clone(), "/suggestions"),
        forms,
        history,
        ratings,
        milestones,
        opinions,
        classes: state.store.reply_classes().await?,
        units,
        default_lead,
        raters,
        pending,
        is_staff,
        may_mark,
        again,
        s,
    })
}

/// `GET /suggestions/{id}`
pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Result<ItemPage, WebError> {
    let mut p = page(&state, &staff, id, Redisplay::default()).await?;
    p.page = p.page.notice(q.done.as_deref());
    Ok(p)
}

#[derive(Deserialize, Default)]
pub struct KeyForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    supervisor: String,
}

/// `POST /suggestions/{id}/key`: 重点督办 on or off.
pub async fn key(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    MultiForm(f): MultiForm<KeyForm>,
) -> Result<Response, WebError> {
    state
        .store
        .set_suggestion_key(&staff.scope, &staff.actor(), id, f.on == "1", &f.supervisor)
        .await?;
    Ok(Redirect::to(&format!("/suggestions/{id}?done=saved")).into_response())
}

#[derive(Deserialize, Default)]
pub struct MilestoneForm {
    #[serde(default)]
    done_note: String,
}

/// `POST /suggestions/{id}/milestones/{milestone}`: a milestone done, with what was done.
pub async fn milestone(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, m)): Path<(i64, i64)>,
    MultiForm(f): MultiForm<MilestoneForm>,
) -> Result<Response, WebError> {
    match state
        .store
        .suggestion_milestone_done(&staff.scope, &staff.actor(), id, m, &f.done_note)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/suggestions/{id}?done=saved")).into_response()),
        Err(e) => {
            let typed = vec![("done_note".to_owned(), f.done_note.clone())];
            let again = Redisplay::of("milestone", typed, e.into())?;
            Ok(unprocessable(page(&state, &staff, id, again).await?))
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/letter.html")]
pub struct LetterPage {
    s: Seen,
    class: String,
    milestones: Vec<Milestone>,
    today: String,
}

/// `GET /suggestions/{id}/letter`: the reply as a letter to print for a deputy who does not go
/// online, with a slip to tick their rating on.
pub async fn letter(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<LetterPage, WebError> {
    let s = state.store.suggestion(&staff.scope, id).await?;
    if s.item.replied_at.is_none() {
        return Err(WebError::NotFound);
    }
    let classes = state.store.reply_classes().await?;
    let class = s
        .item
        .reply_class
        .as_deref()
        .and_then(|c| classes.iter().find(|k| k.code == c))
        .map_or_else(String::new, |c| format!("{}类（{}）", c.code, c.label));
    let (_, milestones, _) = state.store.suggestion_parts(&s).await?;
    Ok(LetterPage {
        s,
        class,
        milestones,
        today: liaison_domain::time::today().format("%Y年%-m月%-d日").to_string(),
    })
}
