//! `/reviews/{id}`: one review opinion with the latest report, examination and test, its history, and
//! a form for each step the caller may take now (`act`): the body's report, the office's return,
//! examination and the ballots of the satisfaction test.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::review::{Action, Ballot, Capacity, PASS_LINE_PERCENT};
use liaison_store::review::{Event, Seen, StepInput};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{MultiForm, Path, Query};
use crate::layout::Page;
use crate::redisplay::{Redisplay, unprocessable};
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "review/item.html")]
pub struct ItemPage {
    page: Page,
    s: Seen,
    /// (capacity, action name) the caller may take now.
    forms: Vec<(&'static str, &'static str)>,
    history: Vec<Event>,
    pass_line: u32,
    again: Redisplay,
}

impl ItemPage {
    fn has(&self, action: &str) -> bool {
        self.forms.iter().any(|(_, a)| *a == action)
    }

    fn typed(&self, form: &str, field: &str) -> String {
        self.again.value(form, field).unwrap_or_default().to_owned()
    }

    fn stage_label(&self, s: &str) -> &'static str {
        super::stage_label(s)
    }

    fn due(&self) -> String {
        self.s
            .item
            .due_at
            .as_ref()
            .map(super::due_day)
            .unwrap_or_default()
    }

    fn action_label(&self, a: &str) -> &'static str {
        match a {
            "create" => "录入",
            "send" => "交办",
            "report" => "报送研究处理情况报告",
            "return_report" => "退回重报",
            "examine" => "提出审核意见",
            "test" => "录入满意度测评结果",
            _ => "",
        }
    }

    fn ballot_text(&self, b: &Ballot) -> String {
        format!(
            "满意 {} 票，基本满意 {} 票，不满意 {} 票；满意和基本满意占 {}，{}",
            b.satisfied,
            b.basic,
            b.unsatisfied,
            b.share_label(),
            if b.passes() { "通过" } else { "未通过" }
        )
    }
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

async fn page(state: &AppState, staff: &Staff, id: i64, again: Redisplay) -> Result<ItemPage, WebError> {
    let s = state.store.review(&staff.scope, id).await?;
    let st = state.store.review_status(&s).await?;
    let mut forms = Vec::new();
    for who in &s.capacities {
        for a in st.allowed(*who) {
            forms.push((who.as_str(), a));
        }
    }
    let history = state.store.review_history(&s).await?;
    Ok(ItemPage {
        page: Page::new(&staff.ctx, s.item.title.clone(), "/reviews"),
        forms,
        history,
        pass_line: PASS_LINE_PERCENT,
        again,
        s,
    })
}

/// `GET /reviews/{id}`
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
pub struct ActForm {
    #[serde(rename = "do", default)]
    action: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    satisfied: String,
    #[serde(default)]
    basic: String,
    #[serde(default)]
    unsatisfied: String,
}

impl ActForm {
    fn typed(&self) -> Vec<(String, String)> {
        [
            ("note", &self.note),
            ("satisfied", &self.satisfied),
            ("basic", &self.basic),
            ("unsatisfied", &self.unsatisfied),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect()
    }

    /// The action as posted, in the capacity it belongs to (the table has one for each).
    fn parse(&self) -> Result<(Capacity, Action), WebError> {
        let action = match self.action.trim() {
            "report" => Action::Report,
            "return_report" => Action::ReturnReport,
            "examine" => Action::Examine,
            "test" => {
                let mut problems = Vec::new();
                let mut count = |field: &'static str, s: &str| match s.trim().parse::<u32>() {
                    Ok(n) if n <= 100_000 => n,
                    _ => {
                        problems.push(crate::error::FieldError {
                            field: field.to_owned(),
                            message: "请填写票数（0 或正整数）".into(),
                        });
                        0
                    }
                };
                let (s, b, u) = (
                    count("satisfied", &self.satisfied),
                    count("basic", &self.basic),
                    count("unsatisfied", &self.unsatisfied),
                );
                if !problems.is_empty() {
                    return Err(WebError::Invalid {
                        code: "invalid_input",
                        message: problems[0].message.clone(),
                        fields: problems,
                    });
                }
                Ballot::new(s, b, u).map_err(|e| WebError::invalid("satisfied", e.to_string()))?;
                Action::Test {
                    satisfied: s,
                    basic: b,
                    unsatisfied: u,
                }
            }
            _ => return Err(WebError::invalid("", "请选择要执行的操作")),
        };
        if action.needs_note() && self.note.trim().is_empty() {
            let message = match action {
                Action::Report => "请填写研究处理情况报告",
                Action::ReturnReport => "请写明退回的理由",
                _ => "请填写审核意见",
            };
            return Err(WebError::invalid("note", message));
        }
        let (who, _) = action.rule();
        Ok((who[0], action))
    }
}

/// `POST /reviews/{id}/act`
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    MultiForm(f): MultiForm<ActForm>,
) -> Result<Response, WebError> {
    let done = match f.parse() {
        Ok((who, action)) => {
            let input = StepInput { note: f.note.clone() };
            state
                .store
                .act_on_review(&staff.scope, &staff.actor(), id, who, &action, &input)
                .await
                .map_err(WebError::from)
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/reviews/{id}?done=saved")).into_response()),
        // the page shown again reads the item in scope: out of reach, 404
        Err(e) => {
            let again = Redisplay::of(f.action.trim(), f.typed(), e)?;
            Ok(unprocessable(page(&state, &staff, id, again).await?))
        }
    }
}
