//! `/opinions/{id}`: one item with its history, photos, units, the citizen's contact (masked until an
//! audited read), and the actions the caller may take now.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::opinion::{Action, ActionFields, Capacity};
use liaison_domain::{RegionCode, calendar, deadline, mask};
use liaison_store::opinion::note::Note;
use liaison_store::opinion::{ActInput, Event, Opinion, Photo};
use liaison_store::supervision::SupervisionNotice;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{MultiForm, Path, Query};
use crate::layout::Page;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "opinion/detail.html")]
pub struct DetailPage {
    page: Page,
    o: Opinion,
    photos: Vec<Photo>,
    events: Vec<Event>,
    units: Vec<(i64, String, bool)>,
    masked_name: String,
    masked_phone: String,
    can_contact: bool,
    contact: Option<(String, String)>,
    /// (as, action name) the caller may take now.
    forms: Vec<(&'static str, &'static str)>,
    decline_reasons: Vec<(String, String)>,
    unit_choices: Vec<(i64, String)>,
    default_unit: Option<i64>,
    publish_text: String,
    is_staff: bool,
    /// The deadline: (due time, state label, css class), and a warning when a year it spans has no
    /// calendar entered.
    due: Option<(String, String, &'static str)>,
    calendar_warning: Option<String>,
    notices: Vec<SupervisionNotice>,
    can_supervise: bool,
    my_unit: Option<i64>,
    similar: Vec<(Opinion, u32)>,
    /// Flagged 疑似重复 by the duplicate pass: the item it resembles.
    dup: Option<liaison_store::opinion::duplicate::DuplicateFlag>,
    merged: Vec<(i64, String)>,
    /// Reply templates per action (action, id, title), and the text prefilled from `?tpl=`.
    templates: Vec<(&'static str, i64, String)>,
    prefill: Option<(String, String)>,
    notes: Vec<Note>,
}

impl DetailPage {
    fn has(&self, action: &str) -> bool {
        self.forms.iter().any(|(_, a)| *a == action)
    }

    fn prefilled(&self, action: &str) -> &str {
        match &self.prefill {
            Some((a, text)) if a == action => text,
            _ => "",
        }
    }

    fn templates_for(&self, action: &str) -> Vec<&(&'static str, i64, String)> {
        self.templates.iter().filter(|t| t.0 == action).collect()
    }

    fn is_default(&self, id: &i64) -> bool {
        self.default_unit == Some(*id)
    }

    fn who_for(&self, action: &str) -> &'static str {
        self.forms
            .iter()
            .find(|(_, a)| *a == action)
            .map_or("staff", |(w, _)| *w)
    }
}

async fn page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    contact: Option<(String, String)>,
    tpl: Option<i64>,
) -> Result<DetailPage, WebError> {
    let o = state.store.opinion(&staff.scope, id).await?;
    let roles = o.relation();
    let status = o.status();
    let mut forms = Vec::new();
    for who in o.capacities(&staff.scope) {
        for a in status.allowed(who) {
            if !forms.iter().any(|(_, x)| *x == a) {
                forms.push((who.as_str(), a));
            }
        }
    }
    let can_assign = forms.iter().any(|(_, a)| *a == "assign");
    let (unit_choices, default_unit) = if can_assign {
        let units = state.store.units(&staff.scope, None, None, 500).await?;
        let region = RegionCode::parse(&o.region_code).map_err(|e| WebError::Internal(e.to_string()))?;
        let route = state.store.default_unit(&region, &o.category).await?;
        let choices: Vec<(i64, String)> = units
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.id, format!("{}（{}）", u.name, u.region_name)))
            .collect();
        let default = route
            .map(|r| r.unit_id)
            .filter(|d| choices.iter().any(|(id, _)| id == d));
        (choices, default)
    } else {
        (vec![], None)
    };
    // the store masked the words for a viewer who may not see the contact (`Store::opinion`)
    let may_read_contact = o.may_read_contact();
    let publish_text = if forms.iter().any(|(_, a)| *a == "publish") {
        o.proposed_public_text(&state.store.public_redactor(&o).await?)
    } else {
        String::new()
    };
    let deadlines = state
        .store
        .deadlines(liaison_domain::subject::SubjectKind::Opinion)
        .await?;
    let now = chrono::Utc::now();
    let due = o.due_at.map(|d| {
        let st = deadline::state(&deadlines.calendar, now, d);
        (crate::layout::local_time(&d), st.label(), st.class())
    });
    let calendar_warning = o
        .due_at
        .zip(o.stage_at)
        .and_then(|(d, s)| deadline::uncovered_year(&deadlines.calendar, s, d))
        .map(calendar::missing_year_warning);
    let mut templates = Vec::new();
    for action in TEMPLATE_ACTIONS {
        if forms.iter().any(|(_, a)| a == action) {
            for t in state.store.reply_templates(action, &o.category).await? {
                templates.push((*action, t.id, t.title));
            }
        }
    }
    let prefill = match tpl {
        Some(t) => state
            .store
            .reply_template(t)
            .await?
            .map(|t| (t.action.clone(), super::fill_template(&t.body, &o))),
        None => None,
    };
    let similar = if forms.iter().any(|(_, a)| *a == "merge") {
        state
            .store
            .similar_opinions(&staff.scope, &o, 5)
            .await?
            .into_iter()
            .map(|(mut s, score)| {
                s.description = mask::free_text(&s.description);
                (s, (score * 100.0).round() as u32)
            })
            .collect()
    } else {
        vec![]
    };
    Ok(DetailPage {
        page: Page::new(
            &staff.ctx,
            format!("群众意见 {}", liaison_domain::opinion::show_receipt(&o.receipt)),
            "/opinions",
        ),
        photos: state.store.opinion_photos(&o).await?,
        events: state.store.opinion_events(&o).await?,
        units: state.store.opinion_units(&o).await?,
        masked_name: o.citizen_name.masked(),
        masked_phone: o.citizen_phone.masked(),
        can_contact: may_read_contact && o.has_contact(),
        contact,
        forms,
        decline_reasons: state.store.decline_reasons().await?,
        unit_choices,
        default_unit,
        publish_text,
        is_staff: roles.staff,
        due,
        calendar_warning,
        notices: state.store.supervision_notices(&o).await?,
        can_supervise: roles.staff && o.stage() == liaison_domain::opinion::Stage::Assigned,
        my_unit: staff.scope.unit_id,
        similar,
        dup: state
            .store
            .duplicate_flags(&staff.scope, &[id])
            .await?
            .remove(&id),
        merged: state.store.merged_into(&o).await?,
        templates,
        prefill,
        notes: state.store.opinion_notes(&staff.scope, id).await?,
        o: o.into_inner(),
    })
}

/// The answers a reply template can fill.
const TEMPLATE_ACTIONS: &[&str] = &["deputy_answer", "answer_on_spot", "reply", "feedback"];

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
    tpl: Option<i64>,
}

pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
) -> Result<DetailPage, WebError> {
    let mut p = page(&state, &staff, id, None, q.tpl).await?;
    p.page = p.page.notice(q.done.as_deref());
    Ok(p)
}

/// `POST /opinions/{id}/contact`: shows the citizen's name and phone; the read is audited.
pub async fn contact(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<DetailPage, WebError> {
    let c = state
        .store
        .opinion_contact(&staff.scope, &staff.actor(), id)
        .await?;
    page(&state, &staff, id, Some(c), None).await
}

#[derive(Deserialize)]
pub struct ActForm {
    #[serde(rename = "as")]
    who: String,
    action: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    co_units: Vec<String>,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    public_text: String,
    #[serde(default)]
    into: String,
}

/// Turns the form into (capacity, action, input), or a Chinese message next to the field.
pub fn parse_act(f: &ActForm) -> Result<(Capacity, Action, ActInput), WebError> {
    let who = Capacity::parse(&f.who)
        .filter(|w| *w != Capacity::Citizen)
        .ok_or_else(|| WebError::invalid("as", "操作身份无效"))?;
    if f.note.chars().count() > 2000 {
        return Err(WebError::invalid("note", "内容不能超过 2000 字"));
    }
    if f.public_text.chars().count() > 3000 {
        return Err(WebError::invalid("public_text", "公示内容不能超过 3000 字"));
    }
    let action = Action::parse(ActionFields {
        action: &f.action,
        unit: &f.unit,
        satisfaction: &f.rating,
        into: &f.into,
    })?;
    let co_units = f
        .co_units
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .parse::<i64>()
                .map_err(|_| WebError::invalid("co_units", "协办单位无效"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((
        who,
        action,
        ActInput {
            note: f.note.trim().to_owned(),
            reason: (!f.reason.is_empty()).then(|| f.reason.clone()),
            co_units,
            public_text: (!f.public_text.trim().is_empty()).then(|| f.public_text.trim().to_owned()),
        },
    ))
}

/// `POST /opinions/{id}/act`
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    MultiForm(f): MultiForm<ActForm>,
) -> Result<Response, WebError> {
    let (who, action, input) = parse_act(&f)?;
    state
        .store
        .act_on_opinion(&staff.scope, &staff.actor(), id, who, action, &input)
        .await?;
    Ok(Redirect::to(&format!("/opinions/{id}?done=saved")).into_response())
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
}

/// `POST /opinions/{id}/note`: an internal note (the citizen never sees it).
pub async fn note(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    MultiForm(f): MultiForm<NoteForm>,
) -> Result<Response, WebError> {
    state
        .store
        .add_opinion_note(&staff.scope, &staff.actor(), id, &f.body)
        .await?;
    Ok(Redirect::to(&format!("/opinions/{id}?done=saved#notes")).into_response())
}

/// `GET /opinions/photos/{id}.jpg`: a photo of an item the caller may see.
pub async fn photo(
    State(state): State<AppState>,
    staff: Staff,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let id = crate::jpeg::id_of(&file)?;
    let blob = state.store.opinion_photo(&staff.scope, id).await?;
    crate::jpeg::respond(&state, &blob, "private, max-age=60").await
}

#[derive(Deserialize)]
pub struct HideForm {
    #[serde(default)]
    hidden: String,
}

/// `POST /opinions/photos/{id}/visibility`: hide a photo from public view (or show it again).
pub async fn photo_visibility(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    MultiForm(f): MultiForm<HideForm>,
) -> Result<Response, WebError> {
    let opinion = state
        .store
        .set_photo_hidden(&staff.scope, &staff.actor(), id, f.hidden == "1")
        .await?;
    Ok(Redirect::to(&format!("/opinions/{opinion}?done=saved#photos")).into_response())
}
