//! What the public and the citizen see: the tracking view by receipt code (a merged item follows its
//! survivor's progress and published outcome, never its private answer), the list of published
//! outcomes (masked again as they are read, with today's rule and public numbers), and a published
//! item's photos.

use chrono::{DateTime, Utc};
use liaison_domain::RegionCode;

use crate::opinion::{Opinion, Relation};
use crate::page::TimeCursor;
use crate::{Result, Store, Visible};

impl Store {
    /// The citizen's view by receipt code. `last4` must match when a phone was given. Returns `None`
    /// for no such item or a wrong last-4 (indistinguishable to the caller).
    ///
    /// A duplicate merged into another item follows the survivor (to the end of a chain: the survivor
    /// may have been merged itself later): its stage is the survivor's, and its `answer` is the
    /// survivor's *published* text, masked — empty until the survivor is published. The survivor's
    /// answer went to another citizen and may name them; it never reaches this page.
    pub async fn track(&self, receipt: &str, last4: &str) -> Result<Option<Visible<Opinion>>> {
        let o: Option<Opinion> = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Opinion>(concat!(opinion_select!(), "WHERE o.receipt = $1")).bind(receipt).fetch_optional(p).await?
        });
        let Some(mut o) = o.filter(|o| o.phone_last4.is_empty() || o.phone_last4 == last4.trim()) else {
            return Ok(None);
        };
        if let Some(survivor) = o.merged_into {
            let mut s = self.opinion_row(survivor).await?;
            for _ in 0..crate::opinion::follower::MAX_DEPTH {
                match s.merged_into {
                    Some(next) => s = self.opinion_row(next).await?,
                    None => break,
                }
            }
            o.stage = s.stage.clone();
            o.updated_at = s.updated_at;
            o.answer = if s.published_at.is_some() {
                self.public_redactor(&s).await?.text(&s.public_text)
            } else {
                String::new()
            };
        }
        Ok(Some(Visible::vouch(o, Relation::default())))
    }

    /// Published outcomes, newest first, in a region subtree and optionally one station.
    pub async fn published(
        &self,
        region: &RegionCode,
        station: Option<i64>,
        before: Option<TimeCursor>,
        limit: i64,
    ) -> Result<Vec<Visible<Opinion>>> {
        let (lo, hi) = region.subtree_range();
        let far = DateTime::<Utc>::from_timestamp(253_402_214_400, 0).unwrap_or_default(); // 9999-12-31
        let (at, id) = before.map_or((far, i64::MAX), |c| (c.at, c.id));
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Opinion>(concat!(
                opinion_select!(),
                "WHERE o.published_at IS NOT NULL AND o.region_code BETWEEN $1 AND $2 AND ($3 = 0 OR o.station_id = $3) \
                 AND (o.published_at < $4 OR (o.published_at = $4 AND o.id < $5)) \
                 ORDER BY o.published_at DESC, o.id DESC LIMIT $6"
            ))
            .bind(&lo).bind(&hi).bind(station.unwrap_or(0)).bind(at).bind(id).bind(limit).fetch_all(p).await?
        });
        // masked again as read: an outcome published under an older rule gets today's
        let public = self.public_phones().await?;
        Ok(rows
            .into_iter()
            .map(|mut o| {
                o.public_text = o.redactor(public.clone()).text(&o.public_text);
                Visible::vouch(o, Relation::default())
            })
            .collect())
    }

    /// A published item's photo that is not hidden (public).
    pub async fn public_opinion_photo(&self, photo: i64) -> Result<Option<String>> {
        let row: Option<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as(
                "SELECT ph.blob FROM opinion_photo ph JOIN opinion o ON o.id = ph.opinion_id \
                 WHERE ph.id = $1 AND ph.hidden = FALSE AND o.published_at IS NOT NULL",
            )
            .bind(photo).fetch_optional(p).await?
        });
        Ok(row.map(|r| r.0))
    }
}
