//! `/reviews/new`: the committee's office enters a review opinion after a meeting and sends it to the
//! body responsible with the date its report is due. A mistake comes back beside its field with
//! everything typed kept (422).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::review::{Draft, DraftFields, access};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::MultiForm;
use crate::layout::Page;
use crate::redisplay::{Redisplay, unprocessable};
use crate::suggestion::new::invalid;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "review/new.html")]
pub struct NewPage {
    page: Page,
    /// The handling units of the office's region: (id, name).
    units: Vec<(i64, String)>,
    today: String,
    again: Redisplay,
}

impl NewPage {
    fn typed(&self, field: &str) -> String {
        self.again.value("new", field).unwrap_or_default().to_owned()
    }
}

async fn page(state: &AppState, staff: &Staff, again: Redisplay) -> Result<NewPage, WebError> {
    let scope = &staff.scope;
    if !access::is_staff(scope) {
        return Err(WebError::Forbidden);
    }
    let units = state
        .store
        .units(scope, None, None, 500)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| (u.id, u.name))
        .collect();
    Ok(NewPage {
        page: Page::new(&staff.ctx, "录入审议意见", "/reviews"),
        units,
        today: liaison_domain::time::today().format("%Y-%m-%d").to_string(),
        again,
    })
}

/// `GET /reviews/new`
pub async fn form(State(state): State<AppState>, staff: Staff) -> Result<NewPage, WebError> {
    page(&state, &staff, Redisplay::default()).await
}

#[derive(Deserialize)]
pub struct NewForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    meeting: String,
    #[serde(default)]
    met_on: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    due_on: String,
}

impl NewForm {
    fn typed(&self) -> Vec<(String, String)> {
        [
            ("title", &self.title),
            ("meeting", &self.meeting),
            ("met_on", &self.met_on),
            ("body", &self.body),
            ("unit", &self.unit),
            ("due_on", &self.due_on),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect()
    }
}

/// `POST /reviews/new`
pub async fn submit(
    State(state): State<AppState>,
    staff: Staff,
    MultiForm(f): MultiForm<NewForm>,
) -> Result<Response, WebError> {
    if !access::is_staff(&staff.scope) {
        return Err(WebError::Forbidden);
    }
    let fields = DraftFields {
        title: &f.title,
        meeting: &f.meeting,
        met_on: &f.met_on,
        body: &f.body,
        unit: &f.unit,
        due_on: &f.due_on,
    };
    let made = match Draft::parse(&fields, liaison_domain::time::today()) {
        Err(problems) => Err(invalid(problems)),
        Ok(draft) => state
            .store
            .create_review(&staff.scope, &staff.actor(), &draft)
            .await
            .map_err(WebError::from),
    };
    match made {
        Ok(id) => Ok(Redirect::to(&format!("/reviews/{id}?done=saved")).into_response()),
        Err(e) => {
            let again = Redisplay::of("new", f.typed(), e)?;
            Ok(unprocessable(page(&state, &staff, again).await?))
        }
    }
}
