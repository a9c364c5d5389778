//! `POST /opinions/{id}/act`: one action on an item from its page, or 登记受理 with the next step
//! (交办 to a unit, or 上报县级) in one go. A mistake in what was typed brings the page back with the
//! form as it was filled in and the message beside the field (`Redisplay`, 422).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::opinion::routing;
use liaison_domain::opinion::{Action, ActionFields, Capacity};
use liaison_store::opinion::ActInput;
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{MultiForm, Path};
use crate::redisplay::{Redisplay, unprocessable};
use crate::{AppState, WebError};

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
    /// With 登记受理: the step taken right after it (`assign` or `escalate`), empty for none.
    #[serde(default)]
    then: String,
}

impl ActForm {
    /// A unit's reply as the reply form with attachments sends it (`reply::reply`, multipart).
    pub fn reply(who: &str, note: &str) -> ActForm {
        ActForm {
            who: who.to_owned(),
            action: "reply".to_owned(),
            note: note.to_owned(),
            reason: String::new(),
            unit: String::new(),
            co_units: vec![],
            rating: String::new(),
            public_text: String::new(),
            into: String::new(),
            then: String::new(),
        }
    }

    /// What was typed, to fill the form in again.
    pub fn typed(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = [
            ("note", &self.note),
            ("reason", &self.reason),
            ("unit", &self.unit),
            ("rating", &self.rating),
            ("public_text", &self.public_text),
            ("into", &self.into),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect();
        v.extend(self.co_units.iter().map(|u| ("co_units".to_owned(), u.clone())));
        v
    }
}

/// Turns the form into (capacity, actions in order, input), or a Chinese message naming the field.
pub fn parse_act(f: &ActForm) -> Result<(Capacity, Vec<Action>, ActInput), WebError> {
    let who = Capacity::parse(&f.who)
        .filter(|w| *w != Capacity::Citizen)
        .ok_or_else(|| WebError::invalid("as", "操作身份无效"))?;
    if f.note.chars().count() > 2000 {
        return Err(WebError::invalid("note", "内容不能超过 2000 字"));
    }
    if f.public_text.chars().count() > 3000 {
        return Err(WebError::invalid("public_text", "公示内容不能超过 3000 字"));
    }
    let fields = |action| ActionFields {
        action,
        unit: &f.unit,
        satisfaction: &f.rating,
        into: &f.into,
    };
    let action = Action::parse(fields(&f.action))?;
    let steps = match f.then.trim() {
        "" => vec![action],
        then => {
            let next = Action::parse(fields(then))?;
            routing::accept_then(action, next)?.to_vec()
        }
    };
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
        steps,
        ActInput {
            note: f.note.trim().to_owned(),
            reason: (!f.reason.is_empty()).then(|| f.reason.clone()),
            co_units,
            public_text: (!f.public_text.trim().is_empty()).then(|| f.public_text.trim().to_owned()),
            attachments: vec![],
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
    let done = match parse_act(&f) {
        Ok((who, steps, input)) => state
            .store
            .act_in_steps(&staff.scope, &staff.actor(), id, who, &steps, &input)
            .await
            .map(|_| ())
            .map_err(WebError::from),
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/opinions/{id}?done=saved")).into_response()),
        Err(e) => {
            let again = Redisplay::of(f.action.trim(), f.typed(), e)?;
            let page = super::detail::page(&state, &staff, id, None, None, again).await?;
            Ok(unprocessable(page))
        }
    }
}
