//! Who hears of an opinion's steps, resolved: the pure rules (`liaison_domain::opinion::notify`) name
//! recipients; here they become accounts (deputy: accounts speaking for the item's person; unit:
//! accounts of the lead unit; staff: the nearest opinion staff, see `notify::pick_staff`) or the
//! citizen's phone, and rows in the shared outbox ([`Store::enqueue_in`]). The citizen's SMS of a
//! step also go to the citizens of the items merged into this one (`follower`).

use liaison_domain::notification::{NoticeKind, Recipient};
use liaison_domain::opinion::notify::{self, StaffCandidate};
use liaison_domain::opinion::{Action, Stage, Status, show_receipt};
use liaison_domain::subject::Subject;
use liaison_domain::{RegionCode, Role, Scope};

use crate::notification::alert::Alert;
use crate::notification::{Delivery, NewNotification, SmsRow};
use crate::opinion::Opinion;
use crate::{Result, Store, StoreError, Tx};

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
            phone: o.citizen_phone.expose().trim(),
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

/// What the notices of a new submission need to know of it.
pub(crate) struct Arrival<'a> {
    pub channel: liaison_domain::opinion::Channel,
    pub person_id: Option<i64>,
    pub station_id: Option<i64>,
    pub region: &'a RegionCode,
    pub category: &'a str,
    /// The citizen's phone (personal information: only to resolve the SMS recipient).
    pub phone: &'a str,
    /// The account that recorded it, which is not told of its own record.
    pub recorder: Option<i64>,
}

/// Who is told of an arrival: the recipient kind, the deputy, the station, the region.
type ArrivalTarget = (Recipient, Option<i64>, Option<i64>, String);

/// Recipients resolved: the accounts, and (when the notice goes by SMS too) their alert targets.
type Resolved = (Vec<i64>, Option<Vec<(i64, String)>>);

/// Recipients and labels already looked up in one intake batch.
#[derive(Default)]
pub struct ArrivalCache {
    /// The accounts told, and those of them that take alert SMS with their mobiles.
    accounts: std::collections::HashMap<ArrivalTarget, Resolved>,
    about: std::collections::HashMap<(String, String), String>,
}

const STAFF_ROLES: [Role; 3] = [Role::TownshipStaff, Role::CommitteeStaff, Role::StationManager];

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
    pub(crate) async fn notify_arrival_in(
        &self,
        tx: &mut Tx,
        opinion_id: i64,
        receipt: &str,
        new: &Arrival<'_>,
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
            phone: new.phone.trim(),
            stage: Stage::Submitted,
            about: String::new(),
            follower: false,
        };
        let key = format!("{opinion_id}:0");
        for (who, kind) in list {
            let target = (who, new.person_id, new.station_id, new.region.as_str().to_owned());
            let (found, targets) = match cache.accounts.get(&target) {
                Some(r) => r.clone(),
                None => {
                    let a = self.accounts_for_in(tx, &item, who).await?;
                    let t = if liaison_domain::notification::sms_alert(who, kind) {
                        Some(self.alert_targets_in(tx, &a).await?)
                    } else {
                        None
                    };
                    cache.accounts.insert(target, (a.clone(), t.clone()));
                    (a, t)
                }
            };
            let accounts: Vec<i64> = found.into_iter().filter(|a| Some(*a) != new.recorder).collect();
            if accounts.is_empty() {
                continue;
            }
            let targets: Option<Vec<(i64, String)>> =
                targets.map(|t| t.into_iter().filter(|(a, _)| accounts.contains(a)).collect());
            if item.about.is_empty() {
                let labels = (new.category.to_owned(), new.region.as_str().to_owned());
                item.about = match cache.about.get(&labels) {
                    Some(a) => a.clone(),
                    None => {
                        let (category, place): (Option<String>, Option<String>) = with_tx!(tx, c => {
                            sqlx::query_as(
                                "SELECT (SELECT label FROM category WHERE code = $1), (SELECT name FROM region WHERE code = $2)",
                            )
                            .bind(new.category).bind(new.region.as_str()).fetch_one(&mut *c).await?
                        });
                        let about =
                            format!("{} · {}", category.unwrap_or_default(), place.unwrap_or_default());
                        cache.about.insert(labels, about.clone());
                        about
                    }
                };
            }
            self.tell_in(tx, &item, who, kind, &key, Some((accounts, targets)))
                .await?;
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

    /// Resolves `who` (or takes the accounts, and their alert targets, already resolved) and writes
    /// their rows. A citizen's row
    /// is keyed by the occasion and the phone, so one phone hears of one occasion once (a follower
    /// with the survivor's number hears through the survivor's receipt).
    async fn tell_in(
        &self,
        tx: &mut Tx,
        item: &Item<'_>,
        who: Recipient,
        kind: NoticeKind,
        key: &str,
        resolved: Option<Resolved>,
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
                subject: Some(Subject::opinion(item.id)),
                kind,
                to: Delivery::Sms {
                    phone: item.phone.to_owned(),
                    link: format!("/t?r={}", item.receipt),
                },
                // `{link}` stays for the sender, which knows the public address
                body: notify::render(&template, item.receipt, item.stage.public_label(), "{link}"),
                dedupe_key: liaison_domain::notification::dedupe_key(key, who, item.phone, channel),
                not_before: None,
            };
            return Ok(usize::from(self.enqueue_in(tx, &n).await?));
        }
        let (accounts, targets) = match resolved {
            Some(r) => r,
            None => (self.accounts_for_in(tx, item, who).await?, None),
        };
        let body = format!(
            "{}：{}（回执 {}）",
            kind.label(),
            item.about,
            show_receipt(item.receipt)
        );
        for account_id in &accounts {
            let n = NewNotification {
                subject: Some(Subject::opinion(item.id)),
                kind,
                to: Delivery::Inbox {
                    account_id: *account_id,
                },
                body: body.clone(),
                dedupe_key: liaison_domain::notification::dedupe_key(
                    key,
                    who,
                    &account_id.to_string(),
                    channel,
                ),
                not_before: None,
            };
            written += usize::from(self.enqueue_in(tx, &n).await?);
        }
        let alert = Alert {
            subject: Subject::opinion(item.id),
            kind,
            who,
            occasion: key,
            body: liaison_domain::notification::alert_sms(kind, &item.about, &show_receipt(item.receipt)),
            link: format!("/opinions/{}", item.id),
        };
        written += match targets {
            Some(t) => self.alert_to_in(tx, &t, &alert).await?,
            None => self.alert_accounts_in(tx, &accounts, &alert).await?,
        };
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

    /// The SMS of an item (staff on the item only), oldest first.
    pub async fn opinion_sms(&self, scope: &Scope, opinion_id: i64) -> Result<Vec<SmsRow>> {
        let roles = self.opinion(scope, opinion_id).await?.relation();
        if !roles.staff {
            return Err(StoreError::Forbidden);
        }
        self.subject_sms(Subject::opinion(opinion_id)).await
    }
}
