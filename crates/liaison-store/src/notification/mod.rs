//! Notifications: an outbox filled in the same transaction as the event it reports, so a notice is
//! never lost (it commits with the event) and never doubled (`dedupe_key` is unique and every insert
//! is `ON CONFLICT DO NOTHING`). Inbox rows are delivered by being written; SMS rows are taken by the
//! sender jobs (`claim_sms`), posted to the gateway and marked sent, retried later, or failed.
//!
//! Who hears what is decided by `liaison_domain::opinion::notify`; here the recipients become accounts
//! (deputy: accounts speaking for the item's person; unit: accounts of the lead unit; staff: the
//! nearest opinion staff, see `notify::pick_staff`) or the citizen's phone. The citizen's SMS of a
//! step also go to the citizens of the items merged into this one (`merged_followers`).

pub mod sms;

use chrono::{DateTime, Utc};
use liaison_domain::opinion::notify::{self, NoticeChannel, NoticeKind, Recipient, StaffCandidate};
use liaison_domain::opinion::{Action, Stage, Status, show_receipt};
use liaison_domain::{RegionCode, Role, Scope};
use serde::Serialize;

use crate::opinion::Opinion;
use crate::opinion::intake::NewOpinion;
use crate::{Result, Store, StoreError, Tx};

/// Where one notice goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// An account's inbox (delivered when written).
    Inbox { account_id: i64 },
    /// An SMS; `link` is the path `{link}` in the body stands for (the sender adds the public URL).
    Sms { phone: String, link: String },
}

/// One outbox row to write (see [`Store::enqueue_in`]).
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub opinion_id: Option<i64>,
    pub kind: NoticeKind,
    pub to: Delivery,
    pub body: String,
    /// Unique: a second row with the same key is not written. Make it name the event, the recipient
    /// and the channel (e.g. `overdue:{opinion}:{stage_at}:{account}:inbox`).
    pub dedupe_key: String,
}

/// An inbox entry.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct InboxItem {
    pub id: i64,
    pub opinion_id: Option<i64>,
    pub kind: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl InboxItem {
    pub fn unread(&self) -> bool {
        self.read_at.is_none()
    }

    pub fn kind_label(&self) -> &'static str {
        NoticeKind::parse(&self.kind).map_or("通知", |k| k.label())
    }
}

/// An SMS a sender has claimed (status 'sending').
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedSms {
    pub id: i64,
    pub phone: String,
    pub body: String,
    pub link: String,
    pub dedupe_key: String,
    /// Attempts including this one.
    pub attempts: i32,
}

/// An SMS row as staff (and tests) see it; the phone is left out.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SmsRow {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub attempts: i32,
    pub body: String,
    pub last_error: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// What a notice needs to know of its item.
struct Item<'a> {
    id: i64,
    receipt: &'a str,
    region: RegionCode,
    person_id: Option<i64>,
    station_id: Option<i64>,
    unit_id: Option<i64>,
    escalated: bool,
    phone: &'a str,
    stage: Stage,
    /// "category · place", for inbox lines.
    about: String,
    /// An item merged into the one the step happened on: its citizen follows that item.
    follower: bool,
}

impl<'a> Item<'a> {
    fn of(o: &'a Opinion, after: Option<&Status>) -> Result<Item<'a>> {
        Ok(Item {
            id: o.id,
            receipt: &o.receipt,
            region: RegionCode::parse(&o.region_code)
                .map_err(|_| StoreError::Corrupt(o.region_code.clone()))?,
            person_id: o.person_id,
            station_id: o.station_id,
            unit_id: after.and_then(|s| s.unit).or(o.lead_unit_id),
            escalated: after.map_or(o.escalated, |s| s.escalated),
            phone: o.citizen_phone.trim(),
            stage: after.map_or_else(|| o.stage(), |s| s.stage),
            about: format!("{} · {}", o.category_label, o.region_name),
            follower: false,
        })
    }

    /// The item `id` merged into this one, as its citizen hears of this one's steps: its own receipt,
    /// phone and tracking link, this item's stage.
    fn follower<'b>(&self, id: i64, receipt: &'b str, phone: &'b str) -> Item<'b> {
        Item {
            id,
            receipt,
            region: self.region.clone(),
            person_id: None,
            station_id: None,
            unit_id: None,
            escalated: self.escalated,
            phone: phone.trim(),
            stage: self.stage,
            about: String::new(),
            follower: true,
        }
    }
}

/// Who is told of an arrival: the recipient kind, the deputy, the station, the region.
type ArrivalTarget = (Recipient, Option<i64>, Option<i64>, String);

/// Recipients and labels already looked up in one intake batch.
#[derive(Default)]
pub struct ArrivalCache {
    accounts: std::collections::HashMap<ArrivalTarget, Vec<i64>>,
    about: std::collections::HashMap<(String, String), String>,
}

const STAFF_ROLES: [Role; 3] = [Role::TownshipStaff, Role::CommitteeStaff, Role::StationManager];

/// Unread counts stop here (shown as "99+").
pub const UNREAD_CAP: i64 = 100;

impl Store {
    /// The notices of one step on an item (`seq` = the event's number), written in the step's
    /// transaction. `o` is the row before the step, `after` the status after it. The citizen's SMS go
    /// to the item's own citizen (when they gave a phone) and to those of the items merged into it.
    pub async fn notify_in(
        &self,
        tx: &mut Tx,
        o: &Opinion,
        before: &Status,
        action: &Action,
        after: &Status,
        seq: i32,
    ) -> Result<()> {
        // the citizen's notices are decided as if a phone was given: followers may have one
        let list = notify::on_transition(before, action, after, true);
        if list.is_empty() {
            return Ok(());
        }
        let item = Item::of(o, Some(after))?;
        let key = format!("{}:{seq}", o.id);
        let mut followers = None;
        for (who, kind) in list {
            self.tell_in(tx, &item, who, kind, &key, None).await?;
            if who == Recipient::Citizen && notify::followers_hear(kind) {
                if followers.is_none() {
                    followers = Some(self.merged_followers_in(tx, o.id).await?);
                }
                for f in followers.iter().flatten() {
                    let to = item.follower(f.id, &f.receipt, &f.phone);
                    self.tell_in(tx, &to, who, kind, &key, None).await?;
                }
            }
        }
        Ok(())
    }

    /// The notices of a new submission (the account that recorded it is not told), written in the
    /// intake transaction. `cache` lives for one intake batch: submissions through the same code find
    /// their recipients and labels once.
    pub async fn notify_arrival_in(
        &self,
        tx: &mut Tx,
        opinion_id: i64,
        receipt: &str,
        new: &NewOpinion,
        cache: &mut ArrivalCache,
    ) -> Result<()> {
        let list = notify::on_arrival(new.channel);
        let mut item = Item {
            id: opinion_id,
            receipt,
            region: new.region.clone(),
            person_id: new.person_id,
            station_id: new.station_id,
            unit_id: None,
            escalated: false,
            phone: new.citizen_phone.trim(),
            stage: Stage::Submitted,
            about: String::new(),
            follower: false,
        };
        let key = format!("{opinion_id}:0");
        for (who, kind) in list {
            let target = (who, new.person_id, new.station_id, new.region.as_str().to_owned());
            let found = match cache.accounts.get(&target) {
                Some(a) => a.clone(),
                None => {
                    let a = self.accounts_for_in(tx, &item, who).await?;
                    cache.accounts.insert(target, a.clone());
                    a
                }
            };
            let accounts: Vec<i64> = found
                .into_iter()
                .filter(|a| Some(*a) != new.actor.account_id)
                .collect();
            if accounts.is_empty() {
                continue;
            }
            if item.about.is_empty() {
                let labels = (new.category.clone(), new.region.as_str().to_owned());
                item.about = match cache.about.get(&labels) {
                    Some(a) => a.clone(),
                    None => {
                        let (category, place): (Option<String>, Option<String>) = with_tx!(tx, c => {
                            sqlx::query_as(
                                "SELECT (SELECT label FROM category WHERE code = $1), (SELECT name FROM region WHERE code = $2)",
                            )
                            .bind(&new.category).bind(new.region.as_str()).fetch_one(&mut *c).await?
                        });
                        let about =
                            format!("{} · {}", category.unwrap_or_default(), place.unwrap_or_default());
                        cache.about.insert(labels, about.clone());
                        about
                    }
                };
            }
            self.tell_in(tx, &item, who, kind, &key, Some(accounts)).await?;
        }
        Ok(())
    }

    /// Tells `who` about item `o` (resolved as for the item's steps); for the deadline sweep and
    /// supervision. `key` names the occasion (e.g. `overdue:{opinion}:{stage_at}`), so the same
    /// occasion is told once. Returns the rows written.
    pub async fn notify_about_in(
        &self,
        tx: &mut Tx,
        o: &Opinion,
        who: Recipient,
        kind: NoticeKind,
        key: &str,
    ) -> Result<usize> {
        let item = Item::of(o, None)?;
        self.tell_in(tx, &item, who, kind, key, None).await
    }

    /// Writes one outbox row unless its `dedupe_key` is already there; true when written.
    pub async fn enqueue_in(&self, tx: &mut Tx, n: &NewNotification) -> Result<bool> {
        let now = Utc::now();
        let (channel, account, phone, link, status, sent_at) = match &n.to {
            Delivery::Inbox { account_id } => {
                (NoticeChannel::Inbox, Some(*account_id), "", "", "sent", Some(now))
            }
            Delivery::Sms { phone, link } => (
                NoticeChannel::Sms,
                None,
                phone.as_str(),
                link.as_str(),
                "pending",
                None,
            ),
        };
        let done = with_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO notification (opinion_id, kind, channel, account_id, phone, body, link, dedupe_key, status, \
                 next_attempt_at, created_at, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11) \
                 ON CONFLICT (dedupe_key) DO NOTHING",
            )
            .bind(n.opinion_id).bind(n.kind.as_str()).bind(channel.as_str()).bind(account).bind(phone).bind(&n.body)
            .bind(link).bind(&n.dedupe_key).bind(status).bind(now).bind(sent_at)
            .execute(&mut *c).await?.rows_affected()
        });
        Ok(done > 0)
    }

    /// Resolves `who` (or takes `accounts` already resolved) and writes their rows. A citizen's row
    /// is keyed by the occasion and the phone, so one phone hears of one occasion once (a follower
    /// with the survivor's number hears through the survivor's receipt).
    async fn tell_in(
        &self,
        tx: &mut Tx,
        item: &Item<'_>,
        who: Recipient,
        kind: NoticeKind,
        key: &str,
        accounts: Option<Vec<i64>>,
    ) -> Result<usize> {
        let channel = who.channel();
        let mut written = 0;
        if who == Recipient::Citizen {
            if item.phone.is_empty() {
                return Ok(0);
            }
            let template_kind = notify::sms_template_kind(kind, item.follower);
            let template: Option<(String,)> = with_tx!(tx, c => {
                sqlx::query_as("SELECT text FROM sms_template WHERE kind = $1").bind(template_kind).fetch_optional(&mut *c).await?
            });
            let template =
                template.map_or_else(|| notify::default_sms(kind, item.follower).to_owned(), |t| t.0);
            let n = NewNotification {
                opinion_id: Some(item.id),
                kind,
                to: Delivery::Sms {
                    phone: item.phone.to_owned(),
                    link: format!("/t?r={}", item.receipt),
                },
                // `{link}` stays for the sender, which knows the public address
                body: notify::render(&template, item.receipt, item.stage.public_label(), "{link}"),
                dedupe_key: notify::dedupe_key(key, who, item.phone, channel),
            };
            return Ok(usize::from(self.enqueue_in(tx, &n).await?));
        }
        let accounts = match accounts {
            Some(a) => a,
            None => self.accounts_for_in(tx, item, who).await?,
        };
        let body = format!(
            "{}：{}（回执 {}）",
            kind.label(),
            item.about,
            show_receipt(item.receipt)
        );
        for account_id in accounts {
            let n = NewNotification {
                opinion_id: Some(item.id),
                kind,
                to: Delivery::Inbox { account_id },
                body: body.clone(),
                dedupe_key: notify::dedupe_key(key, who, &account_id.to_string(), channel),
            };
            written += usize::from(self.enqueue_in(tx, &n).await?);
        }
        Ok(written)
    }

    /// The active accounts that stand for `who` on the item.
    async fn accounts_for_in(&self, tx: &mut Tx, item: &Item<'_>, who: Recipient) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = match who {
            Recipient::Citizen => vec![],
            Recipient::Deputy => match item.person_id {
                None => vec![],
                Some(person) => with_tx!(tx, c => {
                    sqlx::query_as(
                        "SELECT a.id FROM account a JOIN account_role r ON r.account_id = a.id AND r.role = $2 \
                         WHERE a.person_id = $1 AND a.disabled = FALSE ORDER BY a.id",
                    )
                    .bind(person).bind(Role::Deputy.as_str()).fetch_all(&mut *c).await?
                }),
            },
            Recipient::Unit => match item.unit_id {
                None => vec![],
                Some(unit) => with_tx!(tx, c => {
                    sqlx::query_as(
                        "SELECT a.id FROM account a JOIN account_role r ON r.account_id = a.id AND r.role = $2 \
                         WHERE a.unit_id = $1 AND a.disabled = FALSE ORDER BY a.id",
                    )
                    .bind(unit).bind(Role::HandlingUnit.as_str()).fetch_all(&mut *c).await?
                }),
            },
            Recipient::Staff => return self.staff_for_in(tx, item).await,
        };
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Opinion staff whose home region covers the item (its lineage), narrowed to the nearest.
    async fn staff_for_in(&self, tx: &mut Tx, item: &Item<'_>) -> Result<Vec<i64>> {
        let lineage = item.region.lineage();
        let rows: Vec<(i64, String, Option<i64>, String)> = with_tx!(tx, c => {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT a.id, a.region_code, a.station_id, r.role FROM account a JOIN account_role r ON r.account_id = a.id \
                 WHERE a.disabled = FALSE AND r.role IN (",
            );
            let mut sep = qb.separated(", ");
            for role in STAFF_ROLES {
                sep.push_bind(role.as_str());
            }
            qb.push(") AND a.region_code IN (");
            let mut sep = qb.separated(", ");
            for code in &lineage {
                sep.push_bind(code.as_str());
            }
            qb.push(")");
            qb.build_query_as().fetch_all(&mut *c).await?
        });
        let mut candidates: Vec<StaffCandidate> = Vec::new();
        for (account, region, station, role) in rows {
            let depth = RegionCode::parse(&region).map_or(0, |r| r.level().digits());
            let i = match candidates.iter().position(|c| c.account == account) {
                Some(i) => i,
                None => {
                    candidates.push(StaffCandidate {
                        account,
                        depth,
                        township: false,
                        committee: false,
                        station_manager: false,
                        station,
                    });
                    candidates.len() - 1
                }
            };
            let c = &mut candidates[i];
            match Role::parse(&role) {
                Ok(Role::TownshipStaff) => c.township = true,
                Ok(Role::CommitteeStaff) => c.committee = true,
                Ok(Role::StationManager) => c.station_manager = true,
                _ => {}
            }
        }
        Ok(notify::pick_staff(&candidates, item.station_id, item.escalated))
    }

    /// The caller's inbox, newest first, keyset by id.
    pub async fn inbox(&self, scope: &Scope, before: Option<i64>, limit: i64) -> Result<Vec<InboxItem>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, InboxItem>(
                "SELECT id, opinion_id, kind, body, created_at, read_at FROM notification \
                 WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
            )
            .bind(scope.account_id).bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(p).await?
        }))
    }

    /// Unread inbox entries of an account, up to [`UNREAD_CAP`] (one indexed count: `notification_unread`).
    pub async fn unread_count(&self, account_id: i64) -> Result<i64> {
        // every page asks: counting a clerk's thousands of unread alerts would cost each page a scan
        let (n,): (i64,) = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT COUNT(*) FROM (SELECT 1 FROM notification WHERE account_id = $1 AND read_at IS NULL LIMIT $2) t")
                .bind(account_id).bind(UNREAD_CAP).fetch_one(p).await?
        });
        Ok(n)
    }

    /// Marks one of the caller's entries read; returns the item it is about. `NotFound` for an entry
    /// that is not the caller's.
    pub async fn mark_read(&self, scope: &Scope, id: i64) -> Result<Option<i64>> {
        let row: Option<(Option<i64>, Option<DateTime<Utc>>)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT opinion_id, read_at FROM notification WHERE id = $1 AND account_id = $2")
                .bind(id).bind(scope.account_id).fetch_optional(p).await?
        });
        let (opinion, read_at) = row.ok_or(StoreError::NotFound)?;
        if read_at.is_none() {
            with_pool!(&self.write, p => {
                sqlx::query("UPDATE notification SET read_at = $1 WHERE id = $2 AND account_id = $3 AND read_at IS NULL")
                    .bind(Utc::now()).bind(id).bind(scope.account_id).execute(p).await?;
            });
        }
        Ok(opinion)
    }

    /// Marks all the caller's entries read; returns how many were unread.
    pub async fn mark_all_read(&self, scope: &Scope) -> Result<u64> {
        Ok(with_pool!(&self.write, p => {
            sqlx::query("UPDATE notification SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL")
                .bind(Utc::now()).bind(scope.account_id).execute(p).await?.rows_affected()
        }))
    }

    /// Takes up to `limit` SMS due at `now` (pending -> sending, attempts + 1) so no other sender
    /// takes them: PostgreSQL skips rows another instance has locked; SQLite's single writer
    /// serialises claims.
    pub async fn claim_sms(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<ClaimedSms>> {
        let mut tx = self.begin().await?;
        let rows = match &mut tx {
            Tx::Sqlite(c) => {
                sqlx::query_as::<_, ClaimedSms>(
                    "UPDATE notification SET status = 'sending', claimed_at = $1, attempts = attempts + 1 \
                     WHERE status = 'pending' AND id IN (SELECT id FROM notification WHERE status = 'pending' \
                     AND channel = 'sms' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2) \
                     RETURNING id, phone, body, link, dedupe_key, attempts",
                )
                .bind(now)
                .bind(limit)
                .fetch_all(&mut **c)
                .await?
            }
            Tx::Postgres(c) => {
                sqlx::query_as::<_, ClaimedSms>(
                    "UPDATE notification SET status = 'sending', claimed_at = $1, attempts = attempts + 1 \
                     WHERE status = 'pending' AND id IN (SELECT id FROM notification WHERE status = 'pending' \
                     AND channel = 'sms' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2 \
                     FOR UPDATE SKIP LOCKED) \
                     RETURNING id, phone, body, link, dedupe_key, attempts",
                )
                .bind(now)
                .bind(limit)
                .fetch_all(&mut **c)
                .await?
            }
        };
        tx.commit().await?;
        Ok(rows)
    }

    /// The gateway took a claimed SMS.
    pub async fn sms_sent(&self, id: i64) -> Result<()> {
        with_pool!(&self.write, p => {
            sqlx::query(
                "UPDATE notification SET status = 'sent', sent_at = $2, last_error = '', claimed_at = NULL \
                 WHERE id = $1 AND status = 'sending'",
            )
            .bind(id).bind(Utc::now()).execute(p).await?;
        });
        Ok(())
    }

    /// The gateway refused a claimed SMS: try again at `next_attempt_at`, or give up ('failed', kept
    /// for an administrator) after `notify::MAX_ATTEMPTS`. Returns the new status.
    pub async fn sms_failed(&self, id: i64, error: &str, next_attempt_at: DateTime<Utc>) -> Result<String> {
        let error: String = error.chars().take(500).collect();
        let row: Option<(String,)> = with_pool!(&self.write, p => {
            sqlx::query_as(
                "UPDATE notification SET status = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'pending' END, \
                 last_error = $2, next_attempt_at = $3, claimed_at = NULL WHERE id = $1 AND status = 'sending' \
                 RETURNING status",
            )
            .bind(id).bind(&error).bind(next_attempt_at).bind(notify::MAX_ATTEMPTS).fetch_optional(p).await?
        });
        Ok(row.map(|r| r.0).unwrap_or_default())
    }

    /// SMS left 'sending' by a sender that stopped (crash, restart) since before `older_than` go back
    /// to 'pending'. The gateway sees the same idempotency key again and can drop a duplicate.
    pub async fn requeue_stale_sending(&self, older_than: DateTime<Utc>) -> Result<u64> {
        Ok(with_pool!(&self.write, p => {
            sqlx::query(
                "UPDATE notification SET status = 'pending', claimed_at = NULL \
                 WHERE status = 'sending' AND claimed_at < $1",
            )
            .bind(older_than).execute(p).await?.rows_affected()
        }))
    }

    /// The SMS of an item (staff on the item only), oldest first.
    pub async fn opinion_sms(&self, scope: &Scope, opinion_id: i64) -> Result<Vec<SmsRow>> {
        let (_, roles) = self.opinion(scope, opinion_id).await?;
        if !roles.staff {
            return Err(StoreError::Forbidden);
        }
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, SmsRow>(
                "SELECT id, kind, status, attempts, body, last_error, created_at, sent_at FROM notification \
                 WHERE opinion_id = $1 AND channel = 'sms' ORDER BY id",
            )
            .bind(opinion_id).fetch_all(p).await?
        }))
    }
}
