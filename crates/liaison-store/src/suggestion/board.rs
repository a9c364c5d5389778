//! The public board (代表建议办理情况公开栏) of a meeting — its rows in number order and its figures —
//! and what the office's figures page reads of a meeting's items. No personal data beyond deputies'
//! names.

use chrono::{DateTime, Utc};
use liaison_domain::Scope;
use liaison_domain::suggestion::access;
use serde::Serialize;

use crate::{Result, Store, StoreError};

/// The figures above a meeting's public board.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct BoardFigures {
    pub registered: i64,
    pub replied: i64,
    pub closed: i64,
    pub rated: i64,
    pub satisfied: i64,
}

/// One row of the public board.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BoardRow {
    pub id: i64,
    pub number: Option<i32>,
    pub kind: String,
    pub title: String,
    pub proposer_name: Option<String>,
    pub group_name: String,
    pub cosigners: i64,
    pub lead_unit_name: Option<String>,
    pub stage: String,
    pub reply_class: Option<String>,
    pub satisfaction: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
}

impl Store {
    /// One page of the public board of a meeting: registered items in number order after `after`,
    /// their units, class, state and the proposer's rating. No login; nothing personal beyond
    /// deputies' names.
    pub async fn suggestion_board(
        &self,
        meeting: i64,
        after: Option<i32>,
        limit: i64,
    ) -> Result<Vec<BoardRow>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT s.id, s.number, s.kind, s.title, p.name AS proposer_name, s.group_name, \
                 (SELECT COUNT(*) FROM suggestion_cosigner c WHERE c.suggestion_id = s.id AND c.confirmed_at IS NOT NULL) AS cosigners, \
                 u.name AS lead_unit_name, s.stage, s.reply_class, s.satisfaction, s.replied_at \
                 FROM suggestion s LEFT JOIN person p ON p.id = s.proposer_id LEFT JOIN handling_unit u ON u.id = s.lead_unit_id \
                 WHERE s.meeting_id = $1 AND s.number > $2 AND s.stage IN ('registered', 'assigned', 'replied', 'closed') \
                 ORDER BY s.number LIMIT $3",
            ).bind(meeting).bind(after.unwrap_or(0)).bind(limit).fetch_all(p).await?
        }))
    }

    /// The board's figures over the whole meeting: registered, replied, closed, rated, and rated 满意
    /// or 基本满意. One statement.
    pub async fn board_figures(&self, meeting: i64) -> Result<BoardFigures> {
        let row: (i64, i64, i64, i64, i64) = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT COUNT(*), \
                 COALESCE(SUM(CASE WHEN s.stage IN ('replied', 'closed') THEN 1 ELSE 0 END), 0), \
                 COALESCE(SUM(CASE WHEN s.stage = 'closed' THEN 1 ELSE 0 END), 0), \
                 COALESCE(SUM(CASE WHEN s.satisfaction IS NOT NULL THEN 1 ELSE 0 END), 0), \
                 COALESCE(SUM(CASE WHEN s.satisfaction IN ('satisfied', 'basic') THEN 1 ELSE 0 END), 0) \
                 FROM suggestion s WHERE s.meeting_id = $1 AND s.stage IN ('registered', 'assigned', 'replied', 'closed')",
            ).bind(meeting).fetch_one(p).await?
        });
        Ok(BoardFigures {
            registered: row.0,
            replied: row.1,
            closed: row.2,
            rated: row.3,
            satisfied: row.4,
        })
    }

    /// The meetings with a public board: every meeting with a registered item, newest first
    /// (id, name, region name).
    pub async fn board_meetings(&self) -> Result<Vec<(i64, String, String)>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT g.id, g.name, COALESCE(r.name, '') FROM congress_meeting g LEFT JOIN region r ON r.code = g.region_code \
                 WHERE EXISTS (SELECT 1 FROM suggestion s WHERE s.meeting_id = g.id AND s.stage IN ('registered', 'assigned', 'replied', 'closed')) \
                 ORDER BY g.year DESC, g.id DESC LIMIT 200",
            ).fetch_all(p).await?
        }))
    }
}

impl Store {
    /// What the figures need of each item of a meeting the caller may use (registered or later): the
    /// proposer's first and latest verdicts from the ratings. Two statements.
    pub async fn suggestion_handled(
        &self,
        scope: &Scope,
        meeting: i64,
    ) -> Result<
        Vec<(
            liaison_domain::suggestion::figures::Handled,
            Option<String>,
            Option<String>,
        )>,
    > {
        use liaison_domain::opinion::Satisfaction;
        use liaison_domain::suggestion::figures::Handled;
        let m = self.meeting(scope, meeting).await?;
        if !access::is_staff(scope) {
            return Err(StoreError::Forbidden);
        }
        type Row = (
            i64,
            Option<i64>,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<DateTime<Utc>>,
            Option<DateTime<Utc>>,
        );
        let rows: Vec<Row> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT s.id, s.proposer_id, pp.name, s.lead_unit_id, u.name, s.reply_class, s.answer_due_at, \
                 (SELECT MIN(e.at) FROM suggestion_event e WHERE e.suggestion_id = s.id AND e.action = 'reply') \
                 FROM suggestion s LEFT JOIN person pp ON pp.id = s.proposer_id LEFT JOIN handling_unit u ON u.id = s.lead_unit_id \
                 WHERE s.meeting_id = $1 AND s.stage IN ('registered', 'assigned', 'replied', 'closed') LIMIT 50000",
            ).bind(m.id).fetch_all(p).await?
        });
        // the proposer's verdict on each reply, in order
        let ratings: Vec<(i64, i32, String)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT r.suggestion_id, r.round, r.satisfaction FROM suggestion_rating r JOIN suggestion s ON s.id = r.suggestion_id \
                 WHERE s.meeting_id = $1 AND r.person_id = s.proposer_id ORDER BY r.suggestion_id, r.round",
            ).bind(m.id).fetch_all(p).await?
        });
        let mut verdicts: std::collections::HashMap<i64, (Option<Satisfaction>, Option<Satisfaction>)> =
            Default::default();
        for (id, _, s) in ratings {
            let v = verdicts.entry(id).or_default();
            let s = Satisfaction::parse(&s);
            if v.0.is_none() {
                v.0 = s;
            }
            v.1 = s;
        }
        Ok(rows
            .into_iter()
            .map(
                |(id, proposer, proposer_name, unit, unit_name, class, due_at, first_reply_at)| {
                    let (first_rating, last_rating) = verdicts.get(&id).copied().unwrap_or_default();
                    (
                        Handled {
                            year: m.year,
                            proposer,
                            lead_unit: unit,
                            class,
                            due_at,
                            first_reply_at,
                            first_rating,
                            last_rating,
                        },
                        proposer_name,
                        unit_name,
                    )
                },
            )
            .collect())
    }
}
