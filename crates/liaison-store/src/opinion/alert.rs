//! Deadline and supervision alerts to whoever holds an item, queued in the caller's transaction
//! through the notification outbox (each occasion once: the key names it).

use liaison_domain::notification::{NoticeKind, Recipient};
use liaison_domain::opinion::Holder;
use liaison_domain::opinion::notify;

use crate::opinion::Opinion;
use crate::{Result, Store, Tx};

/// Who must act on an item in the stage it is in: the holder (the citizen's rating is followed up by
/// the station's staff).
fn recipient_of(holder: &str) -> Option<Recipient> {
    match Holder::parse(holder)? {
        Holder::Citizen => Some(Recipient::Staff),
        h => notify::recipient_for(h),
    }
}

impl Store {
    /// Due-soon or overdue alert for the holder of item `id` at event `seq`.
    pub(crate) async fn opinion_deadline_alert_in(
        &self,
        tx: &mut Tx,
        id: i64,
        seq: i32,
        overdue: bool,
    ) -> Result<()> {
        let o = self.opinion_row(id).await?;
        let Some(who) = recipient_of(&o.holder) else {
            return Ok(());
        };
        let (kind, name) = if overdue {
            (NoticeKind::Overdue, "overdue")
        } else {
            (NoticeKind::DueSoon, "due_soon")
        };
        self.notify_about_in(tx, &o, who, kind, &format!("{name}:{id}:{seq}"))
            .await?;
        Ok(())
    }

    /// A 督办单 was issued to the item's lead unit.
    pub(crate) async fn supervision_alert_in(&self, tx: &mut Tx, o: &Opinion, notice: i64) -> Result<()> {
        self.notify_about_in(
            tx,
            o,
            Recipient::Unit,
            NoticeKind::Supervised,
            &format!("supervised:{notice}"),
        )
        .await?;
        Ok(())
    }
}
