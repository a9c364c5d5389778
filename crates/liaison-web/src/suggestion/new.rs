//! `/suggestions/new`: a deputy raises a suggestion or motion (with co-signers who confirm online), or
//! the office enters one handed in on paper, naming the proposer and, if the co-signers signed the
//! paper, recording their signatures. A mistake comes back beside its field with everything typed
//! kept (422); a motion without enough co-signers is refused in words.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::suggestion::{Draft, DraftFields, Kind, Period, access};
use liaison_store::registry::routing::Category;
use liaison_store::suggestion::NewSuggestion;
use liaison_store::suggestion::meeting::Meeting;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::error::FieldError;
use crate::extract::{MultiForm, Query};
use crate::layout::Page;
use crate::redisplay::{Redisplay, unprocessable};
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/new.html")]
pub struct NewPage {
    page: Page,
    meetings: Vec<Meeting>,
    meeting: Option<i64>,
    categories: Vec<Category>,
    /// The deputies of the chosen meeting: (person, name).
    deputies: Vec<(i64, String)>,
    is_staff: bool,
    me: Option<i64>,
    kinds: Vec<(&'static str, &'static str)>,
    periods: Vec<(&'static str, &'static str)>,
    again: Redisplay,
}

impl NewPage {
    fn is_me(&self, id: &i64) -> bool {
        self.me == Some(*id)
    }

    fn is_meeting(&self, id: &i64) -> bool {
        self.meeting == Some(*id)
    }

    fn typed(&self, field: &str) -> String {
        self.again.value("new", field).unwrap_or_default().to_owned()
    }

    fn chosen(&self, field: &str, value: &str, default: bool) -> bool {
        if self.again.is("new") {
            self.again.sent("new", field, value)
        } else {
            default
        }
    }
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    meeting: String,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    meeting: Option<i64>,
    again: Redisplay,
) -> Result<NewPage, WebError> {
    let scope = &staff.scope;
    if !(access::is_deputy(scope) || access::is_staff(scope)) {
        return Err(WebError::Forbidden);
    }
    let meetings: Vec<Meeting> = state
        .store
        .meetings(scope)
        .await?
        .into_iter()
        .filter(|c| c.active)
        .collect();
    let chosen = meeting
        .and_then(|id| meetings.iter().find(|c| c.id == id))
        .or(meetings.first());
    let deputies = match chosen {
        Some(c) => state.store.meeting_deputies(c).await?,
        None => vec![],
    };
    Ok(NewPage {
        page: Page::new(&staff.ctx, "提出代表建议", "/suggestions"),
        meeting: chosen.map(|c| c.id),
        meetings,
        categories: state.store.categories().await?,
        deputies,
        is_staff: access::is_staff(scope),
        me: scope.person_id,
        kinds: Kind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        periods: Period::ALL.iter().map(|p| (p.as_str(), p.label())).collect(),
        again,
    })
}

/// `GET /suggestions/new`
pub async fn form(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<NewQuery>,
) -> Result<NewPage, WebError> {
    page(
        &state,
        &staff,
        q.meeting.trim().parse().ok(),
        Redisplay::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct NewForm {
    #[serde(default)]
    meeting: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    cosigners: Vec<String>,
    #[serde(default)]
    opinions: String,
    #[serde(default)]
    proposer: String,
    #[serde(default)]
    paper: String,
}

impl NewForm {
    fn typed(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = [
            ("meeting", &self.meeting),
            ("kind", &self.kind),
            ("period", &self.period),
            ("title", &self.title),
            ("category", &self.category),
            ("body", &self.body),
            ("opinions", &self.opinions),
            ("proposer", &self.proposer),
            ("paper", &self.paper),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect();
        v.extend(self.cosigners.iter().map(|c| ("cosigners".to_owned(), c.clone())));
        v
    }
}

/// Problems of a parsed form as the one web error.
pub(crate) fn invalid(problems: Vec<liaison_domain::opinion::submission::Problem>) -> WebError {
    WebError::Invalid {
        code: "invalid_input",
        message: problems.first().map(|p| p.message.clone()).unwrap_or_default(),
        fields: problems
            .into_iter()
            .map(|p| FieldError {
                field: p.field.to_owned(),
                message: p.message,
            })
            .collect(),
    }
}

/// `POST /suggestions/new`
pub async fn submit(
    State(state): State<AppState>,
    staff: Staff,
    MultiForm(f): MultiForm<NewForm>,
) -> Result<Response, WebError> {
    let categories = state.store.categories().await?;
    let fields = DraftFields {
        title: &f.title,
        body: &f.body,
        category: &f.category,
        kind: &f.kind,
        period: &f.period,
        meeting: &f.meeting,
        cosigners: f.cosigners.iter().map(String::as_str).collect(),
        opinions: &f.opinions,
    };
    let made = match Draft::parse(&fields, |c| categories.iter().any(|k| k.code == c)) {
        Err(problems) => Err(invalid(problems)),
        Ok(draft) => {
            let new = NewSuggestion {
                draft,
                proposer: f
                    .proposer
                    .trim()
                    .parse()
                    .ok()
                    .filter(|_| access::is_staff(&staff.scope)),
                paper_signatures: f.paper == "1",
            };
            state
                .store
                .propose_suggestion(&staff.scope, &staff.actor(), &new)
                .await
                .map_err(WebError::from)
        }
    };
    match made {
        Ok(id) => Ok(Redirect::to(&format!("/suggestions/{id}?done=saved")).into_response()),
        // a refusal of the state machine (too few co-signers) is a mistake in the form too
        Err(WebError::Conflict { message, .. }) => {
            let again = Redisplay::of("new", f.typed(), WebError::invalid("cosigners", &message))?;
            Ok(unprocessable(
                page(&state, &staff, f.meeting.trim().parse().ok(), again).await?,
            ))
        }
        Err(e) => {
            let again = Redisplay::of("new", f.typed(), e)?;
            Ok(unprocessable(
                page(&state, &staff, f.meeting.trim().parse().ok(), again).await?,
            ))
        }
    }
}
