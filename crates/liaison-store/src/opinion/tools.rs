//! Staff tools for volume: reply templates (per category and action, placeholders filled per item)
//! and similar items (same category, same station or region, recent and open, ranked by keyword
//! overlap of the descriptions) so a duplicate can be merged into one.

use chrono::{Duration, Utc};
use liaison_domain::Scope;
use liaison_domain::opinion::show_receipt;
use liaison_domain::opinion::similar;
use serde::Serialize;

use crate::opinion::Opinion;
use crate::{Result, Store};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReplyTemplate {
    pub id: i64,
    pub category: String,
    pub action: String,
    pub title: String,
    pub body: String,
}

/// How far back similar items are looked for.
pub(crate) const SIMILAR_DAYS: i64 = 90;
/// Candidates read before ranking.
pub(crate) const SIMILAR_CANDIDATES: i64 = 300;

impl Store {
    /// Active templates for `action` that fit `category` (the category's own first, then general).
    /// Kept a minute (`reference`: data from the migrations).
    pub async fn reply_templates(&self, action: &str, category: &str) -> Result<Vec<ReplyTemplate>> {
        let key = format!("{action}:{category}");
        if let Some(kept) = self.reference.reply_templates.get(&key) {
            return Ok(kept);
        }
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, ReplyTemplate>(
                "SELECT id, category, action, title, body FROM reply_template \
                 WHERE active = TRUE AND action = $1 AND (category = '' OR category = $2) \
                 ORDER BY CASE WHEN category = '' THEN 1 ELSE 0 END, id",
            )
            .bind(action).bind(category).fetch_all(p).await?
        });
        self.reference.reply_templates.put(&key, &rows);
        Ok(rows)
    }

    pub async fn reply_template(&self, id: i64) -> Result<Option<ReplyTemplate>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, ReplyTemplate>(
                "SELECT id, category, action, title, body FROM reply_template WHERE id = $1 AND active = TRUE",
            )
            .bind(id).fetch_optional(p).await?
        }))
    }

    /// Open items like `o`: same category, same station or same region, from the last 90 days, whose
    /// descriptions share keywords with it; best first, with the score.
    pub async fn similar_opinions(
        &self,
        scope: &Scope,
        o: &Opinion,
        limit: usize,
    ) -> Result<Vec<(Opinion, f32)>> {
        let since = Utc::now() - Duration::days(SIMILAR_DAYS);
        let (lo, hi) = scope.range();
        // a station manager sees their station's items only, so only those are offered
        let own_station = if liaison_domain::opinion::access::station_only(scope) {
            scope.station_id.unwrap_or(-1)
        } else {
            0
        };
        // the stored keywords (segmented once, at intake) are ranked here; only the best are loaded
        let rows: Vec<(i64, String)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT o.id, o.terms FROM opinion o WHERE o.category = $1 \
                 AND (o.region_code = $2 OR ($3 <> 0 AND o.station_id = $3)) AND o.id <> $4 \
                 AND o.stage NOT IN ('declined', 'published', 'merged') AND o.submitted_at >= $5 \
                 AND o.region_code BETWEEN $6 AND $7 AND ($9 = 0 OR o.station_id = $9) ORDER BY o.id DESC LIMIT $8",
            )
            .bind(&o.category).bind(&o.region_code).bind(o.station_id.unwrap_or(0)).bind(o.id)
            .bind(since).bind(&lo).bind(&hi).bind(SIMILAR_CANDIDATES).bind(own_station).fetch_all(p).await?
        });
        let mine = similar::keywords(&o.description);
        let mut scored: Vec<(i64, f32)> = rows
            .into_iter()
            .map(|(id, terms)| {
                let theirs: Vec<String> = terms
                    .split(' ')
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect();
                (id, similar::similarity(&mine, &theirs))
            })
            .filter(|(_, s)| *s >= similar::DEFAULT_THRESHOLD)
            .collect();
        // best first; equal scores keep the newest first (the sort is stable)
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored.truncate(limit);
        let mut out = Vec::with_capacity(scored.len());
        for (id, score) in scored {
            out.push((self.opinion_row(id).await?, score));
        }
        Ok(out)
    }

    /// Items merged into this one (their receipts, for the survivor's page).
    pub async fn merged_into(&self, o: &crate::Visible<Opinion>) -> Result<Vec<(i64, String)>> {
        let id = o.id;
        let rows: Vec<(i64, String)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT id, receipt FROM opinion WHERE merged_into = $1 ORDER BY id")
                .bind(id).fetch_all(p).await?
        });
        Ok(rows.into_iter().map(|(id, r)| (id, show_receipt(&r))).collect())
    }
}
