//! 民生实事 in the store: the scoped read ([`Store::project`], the only maker of a [`ProjectSeen`]),
//! the year's list with its counts, the public board (`board`), and the workflow step (`act`: the
//! shared `workflow` piece over `project_event`).

mod act;

use chrono::{DateTime, Utc};
use liaison_domain::project::{Ballots, Capacity, Stage, VoteCount};
use liaison_domain::{Permission, RegionCode, Scope};
use serde::Serialize;

use crate::{Result, Store, StoreError};

pub use act::ProjectInput;

/// One project as stored, with its unit's name.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Project {
    pub id: i64,
    pub region_code: String,
    pub year: i32,
    pub title: String,
    pub body: String,
    pub origin: String,
    pub budget: Option<f64>,
    pub stage: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub progress: i32,
    pub vote_present: Option<i32>,
    pub vote_yes: Option<i32>,
    pub vote_no: Option<i32>,
    pub vote_abstain: Option<i32>,
    pub test_satisfied: Option<i32>,
    pub test_basic: Option<i32>,
    pub test_unsatisfied: Option<i32>,
    pub reopen_count: i32,
    pub event_count: i32,
    pub due_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) const SELECT: &str = "SELECT p.id, p.region_code, p.year, p.title, p.body, p.origin, p.budget, p.stage, p.unit_id, \
     u.name AS unit_name, p.progress, p.vote_present, p.vote_yes, p.vote_no, p.vote_abstain, p.test_satisfied, p.test_basic, \
     p.test_unsatisfied, p.reopen_count, p.event_count, p.due_at, p.created_at, p.updated_at \
     FROM project p LEFT JOIN handling_unit u ON u.id = p.unit_id";

impl Project {
    pub fn stage(&self) -> Stage {
        Stage::parse(&self.stage).unwrap_or(Stage::Candidate)
    }

    pub fn vote(&self) -> Option<VoteCount> {
        let n = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
        Some(VoteCount {
            present: n(self.vote_present)?,
            yes: n(self.vote_yes)?,
            no: n(self.vote_no)?,
            abstain: n(self.vote_abstain)?,
        })
    }

    pub fn test(&self) -> Option<Ballots> {
        let n = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
        Some(Ballots {
            satisfied: n(self.test_satisfied)?,
            basic: n(self.test_basic)?,
            unsatisfied: n(self.test_unsatisfied)?,
        })
    }

    pub fn region(&self) -> Result<RegionCode> {
        RegionCode::parse(&self.region_code).map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}

/// One event of a project's history (progress reports, inspections and tests carry their words).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProjectEvent {
    pub action: String,
    pub to_stage: String,
    pub note: String,
    pub at: DateTime<Utc>,
    pub who: Option<String>,
}

/// A project the caller may see, with their capacities on it. Only [`Store::project`] makes one.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProjectSeen {
    pub item: Project,
    pub capacities: Vec<Capacity>,
}

/// The office of a region: it keeps the region's projects.
pub fn is_staff(scope: &Scope) -> bool {
    scope.can(Permission::HandleProjects)
}

/// Who sees the projects pages: the office and units.
pub fn has_projects(scope: &Scope) -> bool {
    is_staff(scope) || (scope.can(Permission::AnswerAsUnit) && scope.unit_id.is_some())
}

/// Counts of a year's projects by stage.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ProjectCounts {
    pub candidates: i64,
    pub chosen: i64,
    pub underway: i64,
    pub completed: i64,
    pub closed: i64,
}

fn capacities(scope: &Scope, p: &Project) -> Result<Vec<Capacity>> {
    let mut out = Vec::new();
    if is_staff(scope) && scope.covers(&p.region()?) {
        out.push(Capacity::Staff);
    }
    if scope.can(Permission::AnswerAsUnit) && scope.unit_id.is_some() && scope.unit_id == p.unit_id {
        out.push(Capacity::Unit);
    }
    Ok(out)
}

impl Store {
    /// A project in the caller's reach: the office of its region or its unit. Anyone else: not found.
    pub async fn project(&self, scope: &Scope, id: i64) -> Result<ProjectSeen> {
        let sql = format!("{SELECT} WHERE p.id = $1");
        let item: Project = with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
        })
        .ok_or(StoreError::NotFound)?;
        let capacities = capacities(scope, &item)?;
        if capacities.is_empty() {
            return Err(StoreError::NotFound);
        }
        Ok(ProjectSeen { item, capacities })
    }

    /// The history of a project the caller sees.
    pub async fn project_history(&self, seen: &ProjectSeen) -> Result<Vec<ProjectEvent>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT e.action, e.to_stage, e.note, e.at, a.display_name AS who FROM project_event e \
                 LEFT JOIN account a ON a.id = e.account_id WHERE e.project_id = $1 ORDER BY e.seq",
            ).bind(seen.item.id).fetch_all(p).await?
        }))
    }

    /// A year's projects the caller reaches (the office's region, or a unit's own), newest first.
    pub async fn projects(&self, scope: &Scope, year: i32) -> Result<Vec<Project>> {
        let (lo, hi) = scope.range();
        let (staff, unit) = (
            is_staff(scope),
            scope.unit_id.filter(|_| scope.can(Permission::AnswerAsUnit)),
        );
        if !staff && unit.is_none() {
            return Err(StoreError::Forbidden);
        }
        let sql = format!(
            "{SELECT} WHERE p.year = $1 AND (($2 AND p.region_code BETWEEN $3 AND $4) OR p.unit_id = $5) ORDER BY p.id DESC LIMIT 500"
        );
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(year).bind(staff).bind(&lo).bind(&hi).bind(unit.unwrap_or(0)).fetch_all(p).await?
        }))
    }

    /// The public board (实事办理结果满意度测评情况公开栏) of a region and year: the chosen projects,
    /// their units, progress, the vote and the test. No personal data.
    pub async fn project_board(&self, region: &RegionCode, year: i32) -> Result<Vec<Project>> {
        let (lo, hi) = region.subtree_range();
        let sql = format!(
            "{SELECT} WHERE p.year = $1 AND p.region_code BETWEEN $2 AND $3 \
             AND p.stage IN ('chosen', 'underway', 'completed', 'closed') ORDER BY p.region_code, p.id LIMIT 1000"
        );
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(year).bind(&lo).bind(&hi).fetch_all(p).await?
        }))
    }
}

/// Counts of a list by stage.
pub fn counts(list: &[Project]) -> ProjectCounts {
    let mut c = ProjectCounts::default();
    for p in list {
        match p.stage() {
            Stage::Candidate => c.candidates += 1,
            Stage::NotChosen => {}
            Stage::Chosen => c.chosen += 1,
            Stage::Underway => c.underway += 1,
            Stage::Completed => c.completed += 1,
            Stage::Closed => c.closed += 1,
        }
    }
    c
}
