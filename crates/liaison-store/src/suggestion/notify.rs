//! Who hears what of a suggestion: co-signers are asked to confirm; the units hear of an assignment,
//! a reopening and the deadline; the proposer and co-signers hear of a reply. Inbox rows through the
//! shared outbox (`Store::enqueue_in`) and alert SMS beside them (`Store::alert_accounts_in`), in the
//! step's transaction.

use liaison_domain::Role;
use liaison_domain::notification::{self as notify, NoticeChannel, NoticeKind, Recipient};
use liaison_domain::subject::Subject;
use liaison_domain::suggestion::{Action, Status};

use super::Suggestion;
use crate::notification::alert::Alert;
use crate::notification::{Delivery, NewNotification};
use crate::{Result, Store, Tx};

impl Store {
    /// The notices of one step.
    pub(crate) async fn suggestion_notify_in(
        &self,
        tx: &mut Tx,
        item: &Suggestion,
        before: &Status,
        action: &Action,
        next: &Status,
    ) -> Result<()> {
        let occasion = format!("suggestion:{}:{}", item.id, item.event_count);
        match action {
            Action::Propose { .. } => {
                let pending: Vec<i64> = next
                    .cosigners
                    .iter()
                    .filter(|(_, c)| !**c)
                    .map(|(p, _)| *p)
                    .collect();
                let accounts = self.person_accounts_in(tx, &pending).await?;
                self.tell_suggestion_in(
                    tx,
                    item,
                    &accounts,
                    Recipient::Deputy,
                    NoticeKind::Arrived,
                    &occasion,
                )
                .await?;
            }
            Action::Assign { .. } => {
                let units: Vec<i64> = next
                    .lead
                    .into_iter()
                    .chain(next.co_units.iter().copied())
                    .collect();
                let accounts = self.unit_accounts_in(tx, &units).await?;
                self.tell_suggestion_in(
                    tx,
                    item,
                    &accounts,
                    Recipient::Unit,
                    NoticeKind::Assigned,
                    &occasion,
                )
                .await?;
            }
            Action::Reply { .. } => {
                let people: Vec<i64> = next
                    .proposer
                    .into_iter()
                    .chain(next.cosigners.iter().filter(|(_, c)| **c).map(|(p, _)| *p))
                    .collect();
                let accounts = self.person_accounts_in(tx, &people).await?;
                self.tell_suggestion_in(
                    tx,
                    item,
                    &accounts,
                    Recipient::Deputy,
                    NoticeKind::Replied,
                    &occasion,
                )
                .await?;
            }
            Action::Rate { .. } if next.reopens > before.reopens => {
                let units: Vec<i64> = next
                    .lead
                    .into_iter()
                    .chain(next.co_units.iter().copied())
                    .collect();
                let accounts = self.unit_accounts_in(tx, &units).await?;
                self.tell_suggestion_in(
                    tx,
                    item,
                    &accounts,
                    Recipient::Unit,
                    NoticeKind::Reopened,
                    &occasion,
                )
                .await?;
            }
            _ => {}
        }
        Ok(())
    }

    /// The deadline sweep found an item due soon or overdue: its units hear of it.
    pub(crate) async fn suggestion_deadline_alert_in(
        &self,
        tx: &mut Tx,
        id: i64,
        seq: i32,
        overdue: bool,
    ) -> Result<()> {
        let item = self.suggestion_row_in(tx, id).await?;
        let units: Vec<(i64,)> = with_tx!(tx, c => {
            sqlx::query_as("SELECT unit_id FROM suggestion_unit WHERE suggestion_id = $1").bind(id).fetch_all(&mut *c).await?
        });
        let units: Vec<i64> = units.into_iter().map(|u| u.0).collect();
        let accounts = self.unit_accounts_in(tx, &units).await?;
        let (kind, name) = if overdue {
            (NoticeKind::Overdue, "overdue")
        } else {
            (NoticeKind::DueSoon, "due_soon")
        };
        self.tell_suggestion_in(
            tx,
            &item,
            &accounts,
            Recipient::Unit,
            kind,
            &format!("{name}:suggestion:{id}:{seq}"),
        )
        .await?;
        Ok(())
    }

    async fn tell_suggestion_in(
        &self,
        tx: &mut Tx,
        item: &Suggestion,
        accounts: &[i64],
        who: Recipient,
        kind: NoticeKind,
        occasion: &str,
    ) -> Result<()> {
        let about = format!("代表{}《{}》", item.kind().label(), item.title);
        let headline = liaison_domain::suggestion::headline(kind);
        let body = format!("{headline}：{about}");
        for account_id in accounts {
            let n = NewNotification {
                subject: Some(Subject::suggestion(item.id)),
                kind,
                to: Delivery::Inbox {
                    account_id: *account_id,
                },
                body: body.clone(),
                dedupe_key: notify::dedupe_key(occasion, who, &account_id.to_string(), NoticeChannel::Inbox),
                not_before: None,
            };
            self.enqueue_in(tx, &n).await?;
        }
        let alert = Alert {
            subject: Subject::suggestion(item.id),
            kind,
            who,
            occasion,
            body: notify::alert_text(headline, &about),
            link: format!("/suggestions/{}", item.id),
        };
        self.alert_accounts_in(tx, accounts, &alert).await?;
        Ok(())
    }

    /// The active deputy accounts of these people.
    async fn person_accounts_in(&self, tx: &mut Tx, people: &[i64]) -> Result<Vec<i64>> {
        self.accounts_by_in(tx, "person_id", people, Role::Deputy).await
    }

    /// The active handling-unit accounts of these units.
    async fn unit_accounts_in(&self, tx: &mut Tx, units: &[i64]) -> Result<Vec<i64>> {
        self.accounts_by_in(tx, "unit_id", units, Role::HandlingUnit)
            .await
    }

    async fn accounts_by_in(
        &self,
        tx: &mut Tx,
        column: &'static str,
        ids: &[i64],
        role: Role,
    ) -> Result<Vec<i64>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        // the column is one of two constants, the ids integers
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT a.id FROM account a JOIN account_role r ON r.account_id = a.id AND r.role = $1 \
             WHERE a.{column} IN ({}) AND a.disabled = FALSE ORDER BY a.id",
            list.join(",")
        );
        let rows: Vec<(i64,)> = with_tx!(tx, c => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(role.as_str()).fetch_all(&mut *c).await?
        });
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}
