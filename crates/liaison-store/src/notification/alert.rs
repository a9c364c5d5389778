//! Alert SMS to accounts: the inbox notices that ask someone to act (`notify::sms_alert`) also go to
//! the mobile of each account that has one and has not turned alerts off, held back by the quiet hours.
//! Any workflow calls [`Store::alert_accounts_in`] beside its inbox rows; the occasion key makes it
//! once per item and stage, whatever the number of sweeps.

use chrono::Utc;
use liaison_domain::notification::{self as notify, NoticeChannel, NoticeKind, Recipient};
use liaison_domain::subject::Subject;

use crate::notification::{Delivery, NewNotification};
use crate::{Result, Store, Tx};

/// What an alert says and where its link leads.
pub struct Alert<'a> {
    pub subject: Subject,
    pub kind: NoticeKind,
    pub who: Recipient,
    /// The item's occasion (as for its inbox rows, e.g. `{opinion}:{seq}`).
    pub occasion: &'a str,
    /// The whole text, `{link}` standing for the link.
    pub body: String,
    /// The staff page of the item (the sender puts the site's address before it).
    pub link: String,
}

impl Store {
    /// Writes one SMS row per account of `accounts` with a mobile and alerts on, when the rule says
    /// this notice goes by SMS; not before the quiet hours end. Returns the rows written.
    pub async fn alert_accounts_in(&self, tx: &mut Tx, accounts: &[i64], a: &Alert<'_>) -> Result<usize> {
        if accounts.is_empty() || !notify::sms_alert(a.who, a.kind) {
            return Ok(0);
        }
        let targets = self.alert_targets_in(tx, accounts).await?;
        self.alert_to_in(tx, &targets, a).await
    }

    /// The accounts of `accounts` that take alert SMS, with their mobiles (one statement; a batch of
    /// submissions through the same code looks them up once).
    pub(crate) async fn alert_targets_in(&self, tx: &mut Tx, accounts: &[i64]) -> Result<Vec<(i64, String)>> {
        if accounts.is_empty() {
            return Ok(vec![]);
        }
        Ok(with_tx!(tx, c => {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT id, mobile FROM account WHERE mobile <> '' AND sms_alerts = TRUE AND disabled = FALSE AND id IN (",
            );
            let mut sep = qb.separated(", ");
            for id in accounts {
                sep.push_bind(*id);
            }
            qb.push(")");
            qb.build_query_as().fetch_all(&mut *c).await?
        }))
    }

    /// Writes the alert to `targets` (from [`Store::alert_targets_in`]) when the rule says this notice
    /// goes by SMS.
    pub(crate) async fn alert_to_in(
        &self,
        tx: &mut Tx,
        targets: &[(i64, String)],
        a: &Alert<'_>,
    ) -> Result<usize> {
        if targets.is_empty() || !notify::sms_alert(a.who, a.kind) {
            return Ok(0);
        }
        let not_before = self.quiet_hours().await?.next_allowed(Utc::now());
        let mut written = 0;
        for (account_id, mobile) in targets {
            let n = NewNotification {
                subject: Some(a.subject),
                kind: a.kind,
                to: Delivery::Sms {
                    phone: mobile.clone(),
                    link: a.link.clone(),
                },
                body: a.body.clone(),
                dedupe_key: notify::dedupe_key(
                    a.occasion,
                    a.who,
                    &account_id.to_string(),
                    NoticeChannel::Sms,
                ),
                not_before: Some(not_before),
            };
            written += usize::from(self.enqueue_in(tx, &n).await?);
        }
        Ok(written)
    }
}
