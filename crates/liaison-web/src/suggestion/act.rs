//! `POST /suggestions/{id}/act`: one step on an item from its page. The form names the capacity
//! (`as`) and the step (`do`); a reply is checked against the class list here (B's plan and
//! milestones, C's explanation). A mistake brings the page back with the form as filled in and the
//! message beside its field (`Redisplay`, 422); a refusal of the state machine stays an error.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::opinion::Satisfaction;
use liaison_domain::suggestion::class::{ReplyFields, check_reply};
use liaison_domain::suggestion::{Action, Capacity, ReplyClass};
use liaison_store::suggestion::StepInput;
use serde::Deserialize;

use super::item::page;
use super::new::invalid;
use crate::ctx::Staff;
use crate::extract::{MultiForm, Path};
use crate::redisplay::{Redisplay, unprocessable};
use crate::{AppState, WebError};

#[derive(Deserialize, Default)]
pub struct ActForm {
    #[serde(rename = "as", default)]
    who: String,
    #[serde(rename = "do", default)]
    action: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    lead: String,
    #[serde(default)]
    co: Vec<String>,
    #[serde(default)]
    class: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    explanation: String,
    #[serde(default)]
    planned: String,
    #[serde(default)]
    m_date: Vec<String>,
    #[serde(default)]
    m_what: Vec<String>,
    #[serde(default)]
    satisfaction: String,
    #[serde(default)]
    note: String,
}

impl ActForm {
    fn typed(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = [
            ("person", &self.person),
            ("lead", &self.lead),
            ("class", &self.class),
            ("text", &self.text),
            ("explanation", &self.explanation),
            ("planned", &self.planned),
            ("satisfaction", &self.satisfaction),
            ("note", &self.note),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect();
        v.extend(self.co.iter().map(|c| ("co".to_owned(), c.clone())));
        for (i, (d, w)) in self.m_date.iter().zip(self.m_what.iter()).enumerate() {
            v.push((format!("m_date{i}"), d.clone()));
            v.push((format!("m_what{i}"), w.clone()));
        }
        v
    }

    /// The action as posted, with the reply checked against the class list.
    fn parse(
        &self,
        scope: &liaison_domain::Scope,
        classes: &[ReplyClass],
    ) -> Result<(Capacity, Action, StepInput), WebError> {
        let who =
            Capacity::parse(self.who.trim()).ok_or_else(|| WebError::invalid("", "请选择要执行的操作"))?;
        let id = |s: &str, field: &str, message: &str| {
            s.trim()
                .parse::<i64>()
                .map_err(|_| WebError::invalid(field, message))
        };
        // a deputy acts for themself, a co-unit for itself; staff name the person
        let person = || match (who, scope.person_id) {
            (Capacity::Proposer | Capacity::Cosigner, Some(p)) => Ok(p),
            _ => id(&self.person, "person", "请选择代表"),
        };
        let mut input = StepInput {
            note: self.note.clone(),
            reply: None,
        };
        let action = match self.action.trim() {
            "confirm" => Action::Confirm { person: person()? },
            "refuse" => Action::Refuse { person: person()? },
            "submit" => Action::Submit,
            "register" => Action::Register,
            "return" => Action::Return,
            "resubmit" => Action::Resubmit,
            "assign" => {
                let lead = id(&self.lead, "lead", "请选择主办单位")?;
                let mut co = Vec::new();
                for c in self.co.iter().filter(|c| !c.trim().is_empty()) {
                    co.push(id(c, "co", "协办单位的选择无效")?);
                }
                if co.contains(&lead) {
                    return Err(WebError::invalid("co", "主办单位不能同时是协办单位"));
                }
                Action::Assign { lead, co }
            }
            "unit_return" => Action::UnitReturn,
            "sign_off" => Action::SignOff {
                unit: match (who, scope.unit_id) {
                    (Capacity::CoUnit, Some(u)) => u,
                    _ => id(&self.person, "person", "请选择协办单位")?,
                },
            },
            "reply" => {
                let fields = ReplyFields {
                    class: &self.class,
                    text: &self.text,
                    explanation: &self.explanation,
                    planned: &self.planned,
                    milestones: self
                        .m_date
                        .iter()
                        .zip(self.m_what.iter())
                        .map(|(d, w)| (d.as_str(), w.as_str()))
                        .collect(),
                };
                let reply = check_reply(&fields, classes, liaison_domain::time::today()).map_err(invalid)?;
                let class = reply.class.clone();
                input.reply = Some(reply);
                Action::Reply { class }
            }
            "reclass" => {
                if !classes.iter().any(|c| c.code == self.class.trim()) {
                    return Err(WebError::invalid("class", "请选择答复类别"));
                }
                Action::Reclass {
                    class: self.class.trim().to_owned(),
                }
            }
            "rate" => Action::Rate {
                person: person()?,
                satisfaction: Satisfaction::parse(self.satisfaction.trim())
                    .ok_or_else(|| WebError::invalid("satisfaction", "请选择满意、基本满意或不满意"))?,
            },
            _ => return Err(WebError::invalid("", "请选择要执行的操作")),
        };
        if action.needs_note() && input.reply.is_none() && self.note.trim().is_empty() {
            return Err(WebError::invalid("note", "请填写理由或说明"));
        }
        Ok((who, action, input))
    }
}

/// `POST /suggestions/{id}/act`
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    MultiForm(f): MultiForm<ActForm>,
) -> Result<Response, WebError> {
    let classes = state.store.reply_classes().await?;
    let done = match f.parse(&staff.scope, &classes) {
        Ok((who, action, input)) => state
            .store
            .act_on_suggestion(&staff.scope, &staff.actor(), id, who, &action, &input)
            .await
            .map_err(WebError::from),
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/suggestions/{id}?done=saved")).into_response()),
        Err(e) => {
            let again = Redisplay::of(f.action.trim(), f.typed(), e)?;
            Ok(unprocessable(page(&state, &staff, id, again).await?))
        }
    }
}
