//! A duplicate merged into another item follows it (`opinion.merged_into`): its tracking page shows the
//! survivor's progress, and its citizen gets the survivor's SMS with the duplicate's own receipt. An
//! item merged into a duplicate that was itself merged later follows the end of the chain.

use crate::{Result, Store, Tx};

/// An item that follows another and whose citizen gave a phone.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Follower {
    pub(crate) id: i64,
    pub(crate) receipt: String,
    /// Personal information: only for the outbox row.
    pub(crate) phone: String,
}

/// How many merges deep a chain is followed (merging into a merged item is refused, so a chain only
/// grows when an item that others were merged into is merged itself).
pub(crate) const MAX_DEPTH: i32 = 16;

impl Store {
    /// The items merged into `id`, directly or through a chain, whose citizen gave a phone; oldest
    /// first. Read in the caller's transaction (index `opinion_merged_into`).
    pub(crate) async fn merged_followers_in(&self, tx: &mut Tx, id: i64) -> Result<Vec<Follower>> {
        Ok(with_tx!(tx, c => {
            sqlx::query_as::<_, Follower>(
                "WITH RECURSIVE f (id, depth) AS ( \
                   SELECT id, 1 FROM opinion WHERE merged_into = $1 \
                   UNION ALL SELECT o.id, f.depth + 1 FROM opinion o JOIN f ON o.merged_into = f.id WHERE f.depth < $2) \
                 SELECT o.id, o.receipt, o.citizen_phone AS phone FROM opinion o \
                 WHERE o.id IN (SELECT id FROM f) AND o.citizen_phone <> '' ORDER BY o.id",
            )
            .bind(id).bind(MAX_DEPTH).fetch_all(&mut *c).await?
        }))
    }
}
