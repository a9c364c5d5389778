//! `/opinions/{id}`: one item with its history, photos, units, the citizen's contact (masked until an
//! audited read), and the actions the caller may take now.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::opinion::routing::{self, DefaultUnit, Routed};
use liaison_domain::opinion::takeover;
use liaison_domain::{calendar, deadline, mask};
use liaison_store::opinion::attachment::Attachment;
use liaison_store::opinion::note::Note;
use liaison_store::opinion::{Event, Opinion, Photo};
use liaison_store::supervision::SupervisionNotice;
use serde::Deserialize;

use super::history;
use crate::ctx::Staff;
use crate::extract::{MultiForm, Path, Query};
use crate::layout::Page;
use crate::redisplay::{Redisplay, unprocessable};
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "opinion/detail.html")]
pub struct DetailPage {
    page: Page,
    o: Opinion,
    photos: Vec<Photo>,
    /// 答复附件 per reply, in order: (reply number, files with whether the caller may flip their flag).
    attachments: Vec<(usize, Vec<(Attachment, bool)>)>,
    events: Vec<Event>,
    /// 办理过程: the events with the 督办单 issued and signed for.
    history: Vec<history::Line>,
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
    /// May set the region's 督办单 organ and number prefix (`/supervision/organ`).
    can_set_organ: bool,
    my_unit: Option<i64>,
    similar: Vec<(Opinion, u32)>,
    /// Flagged 疑似重复 by the duplicate pass: the item it resembles.
    dup: Option<liaison_store::opinion::duplicate::DuplicateFlag>,
    merged: Vec<(i64, String)>,
    /// Reply templates per action (action, id, title), and the text prefilled from `?tpl=`.
    templates: Vec<(&'static str, i64, String)>,
    prefill: Option<(String, String)>,
    notes: Vec<Note>,
    /// The step offered with 登记受理 (the routing table's default unit, or 上报县级), and the default
    /// unit's name when it is not the caller's to assign.
    routed: Routed,
    routed_name: Option<String>,
    /// The form sent back with what was typed and what was wrong.
    again: Redisplay,
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

    /// Whether unit `id` is chosen in `form`'s `field`: as sent when the form comes back, else the
    /// routing table's default for the lead unit.
    fn picked(&self, form: &str, field: &str, id: &i64) -> bool {
        if self.again.is(form) {
            return self.again.sent(form, field, &id.to_string());
        }
        field == "unit" && self.default_unit == Some(*id)
    }

    /// What `field` of `form` shows: what was typed when the form comes back, else a template's text.
    fn typed(&self, form: &str, field: &str) -> &str {
        match self.again.value(form, field) {
            Some(v) => v,
            None if field == "note" => self.prefilled(form),
            None => "",
        }
    }

    /// The citizen's last 不满意 (time, reason) on a reopened item, for whoever replies again.
    fn complaint(&self) -> Option<(String, &str)> {
        if self.o.reopen_count == 0 || !self.has("reply") {
            return None;
        }
        history::last_complaint(&self.events).map(|e| (crate::layout::local_time(&e.at), e.note.as_str()))
    }

    fn offers_escalation(&self) -> bool {
        self.routed == Routed::Escalate
    }

    fn who_for(&self, action: &str) -> &'static str {
        self.forms
            .iter()
            .find(|(_, a)| *a == action)
            .map_or("staff", |(w, _)| *w)
    }
}

pub(super) async fn page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    contact: Option<(String, String)>,
    tpl: Option<i64>,
    again: Redisplay,
) -> Result<DetailPage, WebError> {
    let o = state.store.opinion(&staff.scope, id).await?;
    let roles = o.relation();
    let status = o.status();
    let mut forms = Vec::new();
    for who in o.capacities(&staff.scope) {
        for a in takeover::allowed_now(&status, who, o.due_at, chrono::Utc::now()) {
            if !forms.iter().any(|(_, x)| *x == a) {
                forms.push((who.as_str(), a));
            }
        }
    }
    // units are chosen when assigning, and when accepting (登记受理并交办)
    let routes = forms.iter().any(|(_, a)| *a == "assign" || *a == "accept");
    let (unit_choices, default_unit, routed, routed_name) = if routes {
        let choices: Vec<(i64, String)> = state
            .store
            .units(&staff.scope, None, None, 500)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.id, format!("{}（{}）", u.name, u.region_name)))
            .collect();
        let region = o.region()?;
        let default = state.store.routed_unit(&o).await?;
        let routed = routing::after_accept(
            &staff.scope,
            &region,
            o.escalated,
            default.as_ref().map(|d| DefaultUnit {
                id: d.id,
                region: &d.region,
            }),
        );
        let default_unit = match routed {
            Routed::Assign(id) => Some(id).filter(|d| choices.iter().any(|(id, _)| id == d)),
            _ => None,
        };
        let name = default.filter(|_| routed == Routed::Escalate).map(|d| d.name);
        (choices, default_unit, routed, name)
    } else {
        (vec![], None, Routed::Choose, None)
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
    let events = state.store.opinion_events(&o).await?;
    let notices = state.store.supervision_notices(&o).await?;
    Ok(DetailPage {
        page: Page::new(
            &staff.ctx,
            format!("群众意见 {}", liaison_domain::opinion::show_receipt(&o.receipt)),
            "/opinions",
        ),
        photos: state.store.opinion_photos(&o).await?,
        attachments: super::reply::groups(
            state.store.reply_attachments(&o).await?,
            roles.staff,
            staff.scope.unit_id,
        ),
        history: history::lines(&events, &notices),
        events,
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
        notices,
        can_supervise: roles.staff && o.stage() == liaison_domain::opinion::Stage::Assigned,
        can_set_organ: roles.staff && staff.scope.can(liaison_domain::Permission::HandleRegionOpinions),
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
        routed,
        routed_name,
        again,
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
    let mut p = page(&state, &staff, id, None, q.tpl, Redisplay::default()).await?;
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
    page(&state, &staff, id, Some(c), None, Redisplay::default()).await
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
    match state
        .store
        .add_opinion_note(&staff.scope, &staff.actor(), id, &f.body)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/opinions/{id}?done=saved#notes")).into_response()),
        Err(e) => {
            let typed = vec![("body".to_owned(), f.body.clone())];
            let again = Redisplay::of("note", typed, e.into())?;
            Ok(unprocessable(page(&state, &staff, id, None, None, again).await?))
        }
    }
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
