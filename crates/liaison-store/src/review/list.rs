//! The lists: the office's and a body's review opinions with filters and counts (one statement
//! each), the caller's next steps for the home page, and the public board
//! (审议意见办理落实情况公开栏) of a region: no personal data.

use chrono::{NaiveDate, Utc};
use liaison_domain::Scope;
use liaison_domain::deadline;
use liaison_domain::review::{Ballot, Stage, access};
use serde::Serialize;

use super::{Review, SELECT};
use crate::args::Arg;
use crate::{Result, Store, StoreError};

/// What a list shows.
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    /// One stage (None: all).
    pub stage: Option<Stage>,
    /// With the body past its deadline.
    pub overdue: bool,
}

/// Counts of the caller's items.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct ReviewCounts {
    pub all: i64,
    pub sent: i64,
    pub reported: i64,
    pub examined: i64,
    pub closed: i64,
    pub overdue: i64,
    pub soon: i64,
}

/// One row of the public board.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BoardRow {
    pub id: i64,
    pub title: String,
    pub meeting: String,
    pub met_on: NaiveDate,
    pub unit_name: String,
    pub stage: String,
    pub examination: String,
    pub satisfied: Option<i32>,
    pub basic: Option<i32>,
    pub unsatisfied: Option<i32>,
    pub reopen_count: i32,
}

impl BoardRow {
    /// The latest test's ballots, if there was one.
    pub fn ballot(&self) -> Option<Ballot> {
        let n = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
        Ballot::new(n(self.satisfied)?, n(self.basic)?, n(self.unsatisfied)?).ok()
    }
}

/// The items the caller reaches, as SQL over alias `v`, with its arguments.
fn reach(scope: &Scope, args: &mut Vec<Arg>) -> Result<String> {
    let mut any = Vec::new();
    if access::is_staff(scope) {
        let (lo, hi) = scope.range();
        args.push(Arg::S(lo));
        args.push(Arg::S(hi));
        any.push(format!(
            "v.region_code BETWEEN ${} AND ${}",
            args.len() - 1,
            args.len()
        ));
    }
    if access::is_unit(scope)
        && let Some(u) = scope.unit_id
    {
        args.push(Arg::I(u));
        any.push(format!("v.unit_id = ${}", args.len()));
    }
    if any.is_empty() {
        return Err(StoreError::Forbidden);
    }
    Ok(format!("({}) AND v.stage <> 'drafted'", any.join(" OR ")))
}

impl Store {
    /// One page of the caller's items, newest first, before `before` (an id).
    pub async fn reviews(
        &self,
        scope: &Scope,
        f: &ReviewFilter,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Review>> {
        let mut args = Vec::new();
        let mut conds = vec![reach(scope, &mut args)?];
        if let Some(s) = f.stage {
            args.push(Arg::S(s.as_str().to_owned()));
            conds.push(format!("v.stage = ${}", args.len()));
        }
        if f.overdue {
            args.push(Arg::T(Utc::now()));
            conds.push(format!("v.stage = 'sent' AND v.due_at < ${}", args.len()));
        }
        if let Some(b) = before {
            args.push(Arg::I(b));
            conds.push(format!("v.id < ${}", args.len()));
        }
        args.push(Arg::I(limit));
        let sql = format!(
            "{SELECT} WHERE {} ORDER BY v.id DESC LIMIT ${}",
            conds.join(" AND "),
            args.len()
        );
        Ok(with_pool!(&self.read, p => {
            bind_args!(sqlx::query_as::<_, Review>(sqlx::AssertSqlSafe(sql)), &args).fetch_all(p).await?
        }))
    }

    /// The caller's items by state; one statement.
    pub async fn review_counts(&self, scope: &Scope) -> Result<ReviewCounts> {
        let mut args = Vec::new();
        let reach = reach(scope, &mut args)?;
        let now = Utc::now();
        args.push(Arg::T(now));
        let n = args.len();
        args.push(Arg::T(now + deadline::soon_window() * 7));
        let sql = format!(
            "SELECT COUNT(*), \
             COALESCE(SUM(CASE WHEN v.stage = 'sent' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN v.stage = 'reported' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN v.stage = 'examined' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN v.stage = 'closed' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN v.stage = 'sent' AND v.due_at < ${n} THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN v.stage = 'sent' AND v.due_at >= ${n} AND v.due_at <= ${} THEN 1 ELSE 0 END), 0) \
             FROM review v WHERE {reach}",
            n + 1
        );
        let row: (i64, i64, i64, i64, i64, i64, i64) = with_pool!(&self.read, p => {
            bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &args).fetch_one(p).await?
        });
        Ok(ReviewCounts {
            all: row.0,
            sent: row.1,
            reported: row.2,
            examined: row.3,
            closed: row.4,
            overdue: row.5,
            soon: row.6,
        })
    }

    /// The items waiting for the caller's next step, soonest deadline first: the office's
    /// examination or test, the body's report. One statement.
    pub async fn review_todo(&self, scope: &Scope, limit: i64) -> Result<Vec<Review>> {
        let mut args = Vec::new();
        let mut any = Vec::new();
        if access::is_staff(scope) {
            let (lo, hi) = scope.range();
            args.push(Arg::S(lo));
            args.push(Arg::S(hi));
            any.push(format!(
                "(v.stage IN ('reported', 'examined') AND v.region_code BETWEEN ${} AND ${})",
                args.len() - 1,
                args.len()
            ));
        }
        if access::is_unit(scope)
            && let Some(u) = scope.unit_id
        {
            args.push(Arg::I(u));
            any.push(format!("(v.stage = 'sent' AND v.unit_id = ${})", args.len()));
        }
        if any.is_empty() {
            return Ok(vec![]);
        }
        args.push(Arg::I(limit));
        let sql = format!(
            "{SELECT} WHERE ({}) ORDER BY v.due_at IS NULL, v.due_at, v.id LIMIT ${}",
            any.join(" OR "),
            args.len()
        );
        Ok(with_pool!(&self.read, p => {
            bind_args!(sqlx::query_as::<_, Review>(sqlx::AssertSqlSafe(sql)), &args).fetch_all(p).await?
        }))
    }

    /// The regions with a public board: every region with a review opinion sent (code, name).
    pub async fn review_board_regions(&self) -> Result<Vec<(String, String)>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT r.code, r.name FROM region r WHERE r.code IN (SELECT DISTINCT region_code FROM review WHERE stage <> 'drafted') \
                 ORDER BY r.code LIMIT 500",
            ).fetch_all(p).await?
        }))
    }

    /// One page of a region's public board, newest first, before `before` (an id): the report
    /// reviewed, the meeting, the body, the state, the examination and the latest test. No login;
    /// nothing personal.
    pub async fn review_board(&self, region: &str, before: Option<i64>, limit: i64) -> Result<Vec<BoardRow>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT v.id, v.title, v.meeting, v.met_on, u.name AS unit_name, v.stage, v.examination, \
                 v.satisfied, v.basic, v.unsatisfied, v.reopen_count \
                 FROM review v JOIN handling_unit u ON u.id = v.unit_id \
                 WHERE v.region_code = $1 AND v.stage <> 'drafted' AND v.id < $2 ORDER BY v.id DESC LIMIT $3",
            ).bind(region).bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(p).await?
        }))
    }
}
