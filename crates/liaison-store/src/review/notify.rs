//! Who hears what of a review opinion: the body's accounts hear that it was sent, that a report was
//! returned (退回重报), that a test did not pass and it is back for re-handling, and of its deadline
//! (through the sweep). Inbox rows through the shared outbox (`Store::enqueue_in`) and alert SMS
//! beside them (`Store::alert_accounts_in`), in the step's transaction.

use liaison_domain::Role;
use liaison_domain::notification::{self as notify, NoticeChannel, NoticeKind, Recipient};
use liaison_domain::review::{Action, Status};
use liaison_domain::subject::Subject;

use super::Review;
use crate::notification::alert::Alert;
use crate::notification::{Delivery, NewNotification};
use crate::{Result, Store, Tx};

impl Store {
    /// The notices of one step.
    pub(crate) async fn review_notify_in(
        &self,
        tx: &mut Tx,
        item: &Review,
        before: &Status,
        action: &Action,
        next: &Status,
    ) -> Result<()> {
        let occasion = format!("review:{}:{}", item.id, item.event_count);
        let (kind, headline) = match action {
            Action::Send { .. } => (
                NoticeKind::Assigned,
                "新交办的审议意见，请按期报送研究处理情况报告",
            ),
            Action::ReturnReport => (NoticeKind::Reopened, "研究处理情况报告被退回，请重新报送"),
            Action::Test { .. } if next.reopens > before.reopens => (
                NoticeKind::Reopened,
                "审议意见办理满意度测评未通过，请重新办理并报送研究处理情况报告",
            ),
            _ => return Ok(()),
        };
        let unit = next.unit.unwrap_or(item.unit_id);
        self.tell_review_in(tx, item, unit, kind, headline, &occasion)
            .await
    }

    /// The deadline sweep found an item due soon or overdue: the body hears of it.
    pub(crate) async fn review_deadline_alert_in(
        &self,
        tx: &mut Tx,
        id: i64,
        seq: i32,
        overdue: bool,
    ) -> Result<()> {
        let item = self.review_row_in(tx, id).await?;
        let (kind, name, headline) = if overdue {
            (NoticeKind::Overdue, "overdue", "审议意见研究处理情况报告已超期")
        } else {
            (
                NoticeKind::DueSoon,
                "due_soon",
                "审议意见研究处理情况报告即将到期",
            )
        };
        let occasion = format!("{name}:review:{id}:{seq}");
        self.tell_review_in(tx, &item, item.unit_id, kind, headline, &occasion)
            .await
    }

    async fn tell_review_in(
        &self,
        tx: &mut Tx,
        item: &Review,
        unit: i64,
        kind: NoticeKind,
        headline: &str,
        occasion: &str,
    ) -> Result<()> {
        let rows: Vec<(i64,)> = with_tx!(tx, c => {
            sqlx::query_as(
                "SELECT a.id FROM account a JOIN account_role r ON r.account_id = a.id AND r.role = $1 \
                 WHERE a.unit_id = $2 AND a.disabled = FALSE ORDER BY a.id",
            )
            .bind(Role::HandlingUnit.as_str()).bind(unit).fetch_all(&mut *c).await?
        });
        let accounts: Vec<i64> = rows.into_iter().map(|r| r.0).collect();
        let about = format!("《{}》（{}）", item.title, item.meeting);
        let body = format!("{headline}：{about}");
        for account_id in &accounts {
            let n = NewNotification {
                subject: Some(Subject::review(item.id)),
                kind,
                to: Delivery::Inbox {
                    account_id: *account_id,
                },
                body: body.clone(),
                dedupe_key: notify::dedupe_key(
                    occasion,
                    Recipient::Unit,
                    &account_id.to_string(),
                    NoticeChannel::Inbox,
                ),
                not_before: None,
            };
            self.enqueue_in(tx, &n).await?;
        }
        let alert = Alert {
            subject: Subject::review(item.id),
            kind,
            who: Recipient::Unit,
            occasion,
            body: format!("【代表联络】{headline}：审议意见{about}，请登录处理：{{link}}"),
            link: format!("/reviews/{}", item.id),
        };
        self.alert_accounts_in(tx, &accounts, &alert).await?;
        Ok(())
    }
}
