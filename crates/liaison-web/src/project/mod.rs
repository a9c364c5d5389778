//! 民生实事: the year's projects (`/projects`, the office and the units carrying them out), adding a
//! candidate (`/projects/new`), the project page with a form for each step (`item`), and the public
//! board (`/board/projects`, 实事办理结果满意度测评情况公开栏).

pub mod board;
pub mod item;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_domain::project::{Origin, ProjectDraft, ProjectFields, Stage};
use liaison_store::project::{self, Project, ProjectCounts};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::{MultiForm, Query};
use crate::layout::Page;
use crate::redisplay::{Redisplay, unprocessable};
use crate::routes::Routes;
use crate::suggestion::new::invalid;
use crate::{AppState, WebError};

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/projects", list)
        .get_post("/projects/new", form, submit)
        .get("/projects/{id}", item::detail)
        .post("/projects/{id}/act", item::act)
        .get("/board/projects", board::board)
}

fn this_year() -> i32 {
    chrono::Datelike::year(&liaison_domain::time::today())
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    done: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "project/list.html")]
pub struct ListPage {
    page: Page,
    year: i32,
    rows: Vec<Project>,
    counts: ProjectCounts,
    is_staff: bool,
}

impl ListPage {
    fn stage_label(&self, s: &str) -> &'static str {
        Stage::parse(s).map(Stage::label).unwrap_or("")
    }
}

/// `GET /projects`
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<ListPage, WebError> {
    if !project::has_projects(&staff.scope) {
        return Err(WebError::Forbidden);
    }
    let year = q
        .year
        .trim()
        .parse()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(this_year);
    let rows = state.store.projects(&staff.scope, year).await?;
    Ok(ListPage {
        page: Page::new(&staff.ctx, "民生实事", "/projects").notice(q.done.as_deref()),
        year,
        counts: project::counts(&rows),
        rows,
        is_staff: project::is_staff(&staff.scope),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "project/new.html")]
pub struct NewPage {
    page: Page,
    origins: Vec<(&'static str, &'static str)>,
    year: i32,
    again: Redisplay,
}

impl NewPage {
    fn typed(&self, field: &str) -> String {
        self.again.value("new", field).unwrap_or_default().to_owned()
    }
}

fn new_page(staff: &Staff, again: Redisplay) -> Result<NewPage, WebError> {
    if !project::is_staff(&staff.scope) {
        return Err(WebError::Forbidden);
    }
    Ok(NewPage {
        page: Page::new(&staff.ctx, "登记民生实事候选项目", "/projects"),
        origins: Origin::ALL.iter().map(|o| (o.as_str(), o.label())).collect(),
        year: this_year(),
        again,
    })
}

/// `GET /projects/new`
pub async fn form(staff: Staff) -> Result<NewPage, WebError> {
    new_page(&staff, Redisplay::default())
}

#[derive(Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    origin: String,
    #[serde(default)]
    budget: String,
}

/// `POST /projects/new`
pub async fn submit(
    State(state): State<AppState>,
    staff: Staff,
    MultiForm(f): MultiForm<NewForm>,
) -> Result<Response, WebError> {
    let made = match ProjectDraft::parse(ProjectFields {
        title: &f.title,
        body: &f.body,
        year: &f.year,
        origin: &f.origin,
        budget: &f.budget,
    }) {
        Err(p) => Err(invalid(p)),
        Ok(d) => state
            .store
            .create_project(&staff.scope, &staff.actor(), &d)
            .await
            .map_err(WebError::from),
    };
    match made {
        Ok(id) => Ok(Redirect::to(&format!("/projects/{id}?done=saved")).into_response()),
        Err(e) => {
            let typed = [
                ("title", &f.title),
                ("body", &f.body),
                ("year", &f.year),
                ("origin", &f.origin),
                ("budget", &f.budget),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.clone()))
            .collect();
            Ok(unprocessable(new_page(&staff, Redisplay::of("new", typed, e)?)?))
        }
    }
}
