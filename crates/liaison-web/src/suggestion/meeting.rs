//! `/suggestions/meetings`: the office's meetings (届次会次) and their rules for suggestions: the
//! co-signers a motion needs, the months to answer (never more than six), the working days a unit may
//! return an item within. One form adds a meeting, each row's form changes one.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::suggestion::access;
use liaison_domain::suggestion::meeting::{MeetingFields, MeetingRules};
use liaison_store::suggestion::meeting::Meeting;
use serde::Deserialize;

use super::new::invalid;
use crate::ctx::Staff;
use crate::extract::{MultiForm, Query};
use crate::layout::Page;
use crate::redisplay::{Redisplay, unprocessable};
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/meetings.html")]
pub struct MeetingPage {
    page: Page,
    meetings: Vec<Meeting>,
    year: i32,
    again: Redisplay,
}

impl MeetingPage {
    /// What a field of form `form` (`new` or `c{id}`) shows: as typed when shown again, else `dflt`.
    fn typed(&self, form: &str, field: &str, dflt: &str) -> String {
        self.again
            .value(form, field)
            .map_or_else(|| dflt.to_owned(), str::to_owned)
    }
}

async fn page(state: &AppState, staff: &Staff, again: Redisplay) -> Result<MeetingPage, WebError> {
    if !access::is_staff(&staff.scope) {
        return Err(WebError::Forbidden);
    }
    Ok(MeetingPage {
        page: Page::new(&staff.ctx, "届次与建议办理规则", "/suggestions"),
        meetings: state.store.meetings(&staff.scope).await?,
        year: chrono::Datelike::year(&liaison_domain::time::today()),
        again,
    })
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

/// `GET /suggestions/meetings`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Done>,
) -> Result<MeetingPage, WebError> {
    let mut p = page(&state, &staff, Redisplay::default()).await?;
    p.page = p.page.notice(q.done.as_deref());
    Ok(p)
}

#[derive(Deserialize, Default)]
pub struct MeetingForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    min_cosigners: String,
    #[serde(default)]
    answer_months: String,
    #[serde(default)]
    return_days: String,
    #[serde(default)]
    active: String,
}

/// `POST /suggestions/meetings`: adds (no `id`) or changes a meeting.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    MultiForm(f): MultiForm<MeetingForm>,
) -> Result<Response, WebError> {
    let id = f.id.trim().parse::<i64>().ok();
    let saved = match MeetingRules::parse(MeetingFields {
        name: &f.name,
        year: &f.year,
        min_cosigners: &f.min_cosigners,
        answer_months: &f.answer_months,
        return_days: &f.return_days,
    }) {
        Err(problems) => Err(invalid(problems)),
        Ok(rules) => state
            .store
            .save_meeting(
                &staff.scope,
                &staff.actor(),
                id,
                &rules,
                id.is_none() || f.active == "1",
            )
            .await
            .map_err(WebError::from),
    };
    match saved {
        Ok(_) => Ok(Redirect::to("/suggestions/meetings?done=saved").into_response()),
        Err(e) => {
            let form = id.map_or_else(|| "new".to_owned(), |i| format!("c{i}"));
            let typed = [
                ("name", &f.name),
                ("year", &f.year),
                ("min_cosigners", &f.min_cosigners),
                ("answer_months", &f.answer_months),
                ("return_days", &f.return_days),
                ("active", &f.active),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.clone()))
            .collect();
            let again = Redisplay::of(&form, typed, e)?;
            Ok(unprocessable(page(&state, &staff, again).await?))
        }
    }
}
