//! The lists: the office's, a unit's and a deputy's items with filters and counts (one statement
//! each), and the public board (代表建议办理情况公开栏) of a meeting: no personal data beyond the
//! deputies' names.

use chrono::Utc;
use liaison_domain::Scope;
use liaison_domain::deadline;
use liaison_domain::suggestion::{Stage, access};
use serde::Serialize;

use super::{SELECT, Suggestion};
use crate::args::Arg;
use crate::{Result, Store, StoreError};

/// What a list shows.
#[derive(Debug, Clone, Default)]
pub struct SuggestionFilter {
    pub meeting: Option<i64>,
    /// Any of these stages (empty: all).
    pub stages: Vec<Stage>,
    pub class: Option<String>,
    pub unit: Option<i64>,
    pub key_only: bool,
    pub overdue: bool,
    /// Words of the title.
    pub q: Option<String>,
}

/// Counts of the caller's items in a meeting (or all).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct SuggestionCounts {
    pub all: i64,
    /// With the office: waiting for co-signers, registration or assignment.
    pub office: i64,
    pub handling: i64,
    pub overdue: i64,
    pub soon: i64,
    pub replied: i64,
    pub closed: i64,
    pub key: i64,
}

/// The items the caller reaches, as SQL over alias `s`, with its arguments.
fn reach(scope: &Scope, args: &mut Vec<Arg>) -> Result<String> {
    let mut any = Vec::new();
    if access::is_staff(scope) {
        let (lo, hi) = scope.range();
        args.push(Arg::S(lo));
        args.push(Arg::S(hi));
        any.push(format!(
            "s.region_code BETWEEN ${} AND ${}",
            args.len() - 1,
            args.len()
        ));
    }
    if access::is_deputy(scope)
        && let Some(p) = scope.person_id
    {
        args.push(Arg::I(p));
        let n = args.len();
        any.push(format!(
            "s.proposer_id = ${n} OR s.id IN (SELECT suggestion_id FROM suggestion_cosigner WHERE person_id = ${n})"
        ));
    }
    if access::is_unit(scope)
        && let Some(u) = scope.unit_id
    {
        args.push(Arg::I(u));
        any.push(format!(
            "s.id IN (SELECT suggestion_id FROM suggestion_unit WHERE unit_id = ${})",
            args.len()
        ));
    }
    if any.is_empty() {
        return Err(StoreError::Forbidden);
    }
    Ok(format!("({})", any.join(" OR ")))
}

impl Store {
    /// One page of the caller's items, newest first, before `before` (an id).
    pub async fn suggestions(
        &self,
        scope: &Scope,
        f: &SuggestionFilter,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Suggestion>> {
        let mut args = Vec::new();
        let mut conds = vec![reach(scope, &mut args)?, "s.stage <> 'draft'".to_owned()];
        if let Some(c) = f.meeting {
            args.push(Arg::I(c));
            conds.push(format!("s.meeting_id = ${}", args.len()));
        }
        if !f.stages.is_empty() {
            // stage names come from the fixed enum, never from input
            let list: Vec<String> = f.stages.iter().map(|s| format!("'{}'", s.as_str())).collect();
            conds.push(format!("s.stage IN ({})", list.join(", ")));
        }
        if let Some(c) = &f.class {
            args.push(Arg::S(c.clone()));
            conds.push(format!("s.reply_class = ${}", args.len()));
        }
        if let Some(u) = f.unit {
            args.push(Arg::I(u));
            conds.push(format!(
                "s.id IN (SELECT suggestion_id FROM suggestion_unit WHERE unit_id = ${})",
                args.len()
            ));
        }
        if f.key_only {
            conds.push("s.key_item = TRUE".into());
        }
        if f.overdue {
            args.push(Arg::T(Utc::now()));
            conds.push(format!("s.stage = 'assigned' AND s.due_at < ${}", args.len()));
        }
        if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
            let pattern = format!("%{}%", crate::opinion::queue::search::like_escape(q.trim()));
            args.push(Arg::S(pattern));
            conds.push(format!("s.title LIKE ${} ESCAPE '\\'", args.len()));
        }
        if let Some(b) = before {
            args.push(Arg::I(b));
            conds.push(format!("s.id < ${}", args.len()));
        }
        args.push(Arg::I(limit));
        let sql = format!(
            "{SELECT} WHERE {} ORDER BY s.id DESC LIMIT ${}",
            conds.join(" AND "),
            args.len()
        );
        Ok(with_pool!(&self.read, p => {
            bind_args!(sqlx::query_as::<_, Suggestion>(sqlx::AssertSqlSafe(sql)), &args).fetch_all(p).await?
        }))
    }

    /// The caller's items by state, in one meeting or all; one statement.
    pub async fn suggestion_counts(&self, scope: &Scope, meeting: Option<i64>) -> Result<SuggestionCounts> {
        let mut args = Vec::new();
        let mut conds = vec![reach(scope, &mut args)?, "s.stage <> 'draft'".to_owned()];
        if let Some(c) = meeting {
            args.push(Arg::I(c));
            conds.push(format!("s.meeting_id = ${}", args.len()));
        }
        let now = Utc::now();
        args.push(Arg::T(now));
        let n = args.len();
        args.push(Arg::T(now + deadline::soon_window() * 7));
        let sql = format!(
            "SELECT COUNT(*), \
             COALESCE(SUM(CASE WHEN s.stage IN ('cosigning', 'submitted', 'registered') THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN s.stage = 'assigned' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN s.stage = 'assigned' AND s.due_at < ${n} THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN s.stage = 'assigned' AND s.due_at >= ${n} AND s.due_at <= ${} THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN s.stage = 'replied' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN s.stage = 'closed' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN s.key_item THEN 1 ELSE 0 END), 0) \
             FROM suggestion s WHERE {}",
            n + 1,
            conds.join(" AND ")
        );
        let row: (i64, i64, i64, i64, i64, i64, i64, i64) = with_pool!(&self.read, p => {
            bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &args).fetch_one(p).await?
        });
        Ok(SuggestionCounts {
            all: row.0,
            office: row.1,
            handling: row.2,
            overdue: row.3,
            soon: row.4,
            replied: row.5,
            closed: row.6,
            key: row.7,
        })
    }
}

impl Store {
    /// The items waiting for the caller's next step, soonest deadline first: a co-signer's
    /// confirmation, a proposer's submission, revision or rating; the office's registration or
    /// assignment; a lead unit's reply or a co-unit's 会签. One statement.
    pub async fn suggestion_todo(&self, scope: &Scope, limit: i64) -> Result<Vec<Suggestion>> {
        let mut args = Vec::new();
        let mut any = Vec::new();
        if access::is_staff(scope) {
            let (lo, hi) = scope.range();
            args.push(Arg::S(lo));
            args.push(Arg::S(hi));
            any.push(format!(
                "(s.stage IN ('submitted', 'registered') AND s.region_code BETWEEN ${} AND ${})",
                args.len() - 1,
                args.len()
            ));
        }
        if access::is_deputy(scope)
            && let Some(p) = scope.person_id
        {
            args.push(Arg::I(p));
            let n = args.len();
            any.push(format!(
                "(s.proposer_id = ${n} AND s.stage IN ('returned', 'replied')) \
                 OR (s.stage = 'cosigning' AND s.id IN (SELECT suggestion_id FROM suggestion_cosigner WHERE person_id = ${n} AND confirmed_at IS NULL)) \
                 OR (s.proposer_id = ${n} AND s.stage = 'cosigning' \
                     AND NOT EXISTS (SELECT 1 FROM suggestion_cosigner c WHERE c.suggestion_id = s.id AND c.confirmed_at IS NULL))"
            ));
        }
        if access::is_unit(scope)
            && let Some(u) = scope.unit_id
        {
            args.push(Arg::I(u));
            let n = args.len();
            any.push(format!(
                "(s.stage = 'assigned' AND (s.lead_unit_id = ${n} \
                 OR s.id IN (SELECT suggestion_id FROM suggestion_unit WHERE unit_id = ${n} AND lead = FALSE AND signed_at IS NULL)))"
            ));
        }
        if any.is_empty() {
            return Ok(vec![]);
        }
        args.push(Arg::I(limit));
        let sql = format!(
            "{SELECT} WHERE ({}) ORDER BY s.due_at IS NULL, s.due_at, s.id LIMIT ${}",
            any.join(" OR "),
            args.len()
        );
        Ok(with_pool!(&self.read, p => {
            bind_args!(sqlx::query_as::<_, Suggestion>(sqlx::AssertSqlSafe(sql)), &args).fetch_all(p).await?
        }))
    }
}
