//! `/projects/{id}`: one project with its vote, progress, inspections and tests, and a form for each
//! step the caller may take now; `act` takes one (the counts checked here, mistakes beside their field
//! with everything typed kept).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::project::{Action, Ballots, Capacity, Origin, Stage, VoteCount};
use liaison_store::project::{ProjectEvent, ProjectInput, ProjectSeen};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{MultiForm, Path, Query};
use crate::layout::Page;
use crate::redisplay::{Redisplay, unprocessable};
use crate::suggestion::new::invalid;
use crate::{AppState, WebError};

#[derive(Template, WebTemplate)]
#[template(path = "project/item.html")]
pub struct ItemPage {
    page: Page,
    p: ProjectSeen,
    /// (capacity, action) the caller may take now.
    forms: Vec<(&'static str, &'static str)>,
    history: Vec<ProjectEvent>,
    units: Vec<(i64, String)>,
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
        Stage::parse(s).map(Stage::label).unwrap_or("")
    }

    fn origin_label(&self) -> &'static str {
        Origin::parse(&self.p.item.origin).map_or("", |o| o.label())
    }

    fn action_label(&self, a: &str) -> &'static str {
        match a {
            "create" => "登记候选项目",
            "vote" => "票决",
            "assign" => "交办",
            "report" => "报告进度",
            "complete" => "报告完成",
            "inspect" => "代表视察",
            "test" => "满意度测评",
            _ => "",
        }
    }

    /// The test's 满意+基本满意 share, e.g. "80.0%".
    fn share(&self) -> String {
        self.p
            .item
            .test()
            .map(|b| format!("{:.1}%", f64::from(b.share_permille()) / 10.0))
            .unwrap_or_default()
    }
}

async fn page(state: &AppState, staff: &Staff, id: i64, again: Redisplay) -> Result<ItemPage, WebError> {
    let p = state.store.project(&staff.scope, id).await?;
    let status = state.store.project_status(&p).await?;
    let mut forms = Vec::new();
    for who in &p.capacities {
        for a in status.allowed(*who) {
            forms.push((who.as_str(), a));
        }
    }
    let units = if forms.iter().any(|(_, a)| *a == "assign") {
        state
            .store
            .units(&staff.scope, None, None, 500)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.id, u.name))
            .collect()
    } else {
        vec![]
    };
    Ok(ItemPage {
        page: Page::new(&staff.ctx, p.item.title.clone(), "/projects"),
        history: state.store.project_history(&p).await?,
        p,
        forms,
        units,
        again,
    })
}

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

/// `GET /projects/{id}`
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
    present: String,
    #[serde(default)]
    yes: String,
    #[serde(default)]
    no: String,
    #[serde(default)]
    abstain: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    percent: String,
    #[serde(default)]
    satisfied: String,
    #[serde(default)]
    basic: String,
    #[serde(default)]
    unsatisfied: String,
    #[serde(default)]
    note: String,
}

impl ActForm {
    fn parse(&self) -> Result<(Capacity, Action), WebError> {
        Ok(match self.action.trim() {
            "vote" => (
                Capacity::Staff,
                Action::Vote {
                    count: VoteCount::parse(&self.present, &self.yes, &self.no, &self.abstain)
                        .map_err(invalid)?,
                },
            ),
            "assign" => (
                Capacity::Staff,
                Action::Assign {
                    unit: self
                        .unit
                        .trim()
                        .parse()
                        .map_err(|_| WebError::invalid("unit", "请选择承办单位"))?,
                },
            ),
            "report" => (
                Capacity::Unit,
                Action::Report {
                    percent: self
                        .percent
                        .trim()
                        .parse::<u8>()
                        .ok()
                        .filter(|p| *p <= 100)
                        .ok_or_else(|| WebError::invalid("percent", "进度请填写 0～100 之间的整数"))?,
                },
            ),
            "complete" => (Capacity::Unit, Action::Complete),
            "inspect" => (Capacity::Staff, Action::Inspect),
            "test" => (
                Capacity::Staff,
                Action::Test {
                    ballots: Ballots::parse(&self.satisfied, &self.basic, &self.unsatisfied)
                        .map_err(invalid)?,
                },
            ),
            _ => return Err(WebError::invalid("", "请选择要执行的操作")),
        })
    }

    fn typed(&self) -> Vec<(String, String)> {
        [
            ("present", &self.present),
            ("yes", &self.yes),
            ("no", &self.no),
            ("abstain", &self.abstain),
            ("unit", &self.unit),
            ("percent", &self.percent),
            ("satisfied", &self.satisfied),
            ("basic", &self.basic),
            ("unsatisfied", &self.unsatisfied),
            ("note", &self.note),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect()
    }
}

/// `POST /projects/{id}/act`
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    MultiForm(f): MultiForm<ActForm>,
) -> Result<Response, WebError> {
    let done = match f.parse() {
        Ok((who, action)) => state
            .store
            .act_on_project(
                &staff.scope,
                &staff.actor(),
                id,
                who,
                &action,
                &ProjectInput { note: f.note.clone() },
            )
            .await
            .map_err(WebError::from),
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}?done=saved")).into_response()),
        Err(e) => {
            let again = Redisplay::of(f.action.trim(), f.typed(), e)?;
            Ok(unprocessable(page(&state, &staff, id, again).await?))
        }
    }
}
