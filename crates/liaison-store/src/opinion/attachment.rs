//! 答复附件: the files a unit's reply carries (photos, the scanned reply letter), written with the
//! reply's event in its transaction and kept with that event's `seq`. Read with a `Visible` item (the
//! staff, deputy and units of the item) or, for the citizen, only the public ones of the answer the
//! tracking page shows (`citizen_attachments`).

use chrono::Utc;
use liaison_domain::audit::AuditAction;
use liaison_domain::opinion::attachment::AttachmentKind;
use liaison_domain::{RegionCode, Scope};
use serde::Serialize;

use crate::opinion::Opinion;
use crate::{Actor, Result, Store, StoreError, Tx, Visible};

/// A file to attach to a reply: stored in the file store already (its content address).
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub kind: AttachmentKind,
    pub blob: String,
    pub name: String,
    pub public: bool,
}

/// An attachment of a reply.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Attachment {
    pub id: i64,
    pub opinion_id: i64,
    /// The reply event it came with.
    pub seq: i64,
    pub kind: String,
    pub blob: String,
    pub name: String,
    pub public: bool,
    pub unit_id: Option<i64>,
}

impl Attachment {
    pub fn kind(&self) -> AttachmentKind {
        AttachmentKind::parse(&self.kind).unwrap_or(AttachmentKind::Letter)
    }

    pub fn is_photo(&self) -> bool {
        self.kind() == AttachmentKind::Photo
    }
}

const SELECT: &str = "SELECT id, opinion_id, seq, kind, blob, name, public, unit_id FROM opinion_attachment ";

impl Store {
    /// Writes a reply's attachments with its event (`seq`) in the reply's transaction.
    pub(crate) async fn attach_in(
        &self,
        tx: &mut Tx,
        o: &Opinion,
        seq: i64,
        unit: Option<i64>,
        files: &[NewAttachment],
    ) -> Result<()> {
        let now = Utc::now();
        for f in files {
            with_tx!(tx, c => {
                sqlx::query(
                    "INSERT INTO opinion_attachment (opinion_id, seq, kind, blob, name, public, unit_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(o.id).bind(seq).bind(f.kind.as_str()).bind(&f.blob).bind(&f.name).bind(f.public).bind(unit).bind(now)
                .execute(&mut *c).await?;
            });
        }
        Ok(())
    }

    /// Every attachment of the item's replies, oldest reply first (the caller decides what to show).
    pub async fn reply_attachments(&self, o: &Visible<Opinion>) -> Result<Vec<Attachment>> {
        let id = o.id;
        let sql = format!("{SELECT} WHERE opinion_id = $1 ORDER BY seq, id");
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, Attachment>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(p).await?
        }))
    }

    /// What the citizen's tracking page shows: the public attachments of the latest reply, when the
    /// page shows that reply's answer (`answer_shown`, the tracking page's rule for the answer).
    pub async fn citizen_attachments(
        &self,
        o: &Visible<Opinion>,
        answer_shown: bool,
    ) -> Result<Vec<Attachment>> {
        if !answer_shown || o.merged_into.is_some() {
            return Ok(vec![]);
        }
        let all = self.reply_attachments(o).await?;
        let latest = all.iter().map(|a| a.seq).max();
        Ok(all
            .into_iter()
            .filter(|a| a.public && Some(a.seq) == latest)
            .collect())
    }

    /// One attachment of an item the caller may see (staff pages).
    pub async fn reply_attachment(&self, scope: &Scope, id: i64) -> Result<Attachment> {
        let a = self.attachment_row(id).await?;
        self.opinion(scope, a.opinion_id).await?;
        Ok(a)
    }

    async fn attachment_row(&self, id: i64) -> Result<Attachment> {
        let sql = format!("{SELECT} WHERE id = $1");
        with_pool!(&self.read, p => {
            sqlx::query_as::<_, Attachment>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
        })
        .ok_or(StoreError::NotFound)
    }

    /// Shows an attachment to the citizen or hides it: the item's staff, or the unit that sent it;
    /// audited. Returns the item's id.
    pub async fn set_attachment_public(
        &self,
        scope: &Scope,
        actor: &Actor,
        id: i64,
        public: bool,
    ) -> Result<i64> {
        let a = self.attachment_row(id).await?;
        let o = self.opinion(scope, a.opinion_id).await?;
        let its_unit = a.unit_id.is_some() && a.unit_id == scope.unit_id && o.relation().unit;
        if !o.relation().staff && !its_unit {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE opinion_attachment SET public = $1 WHERE id = $2").bind(public).bind(id).execute(&mut *c).await?;
        });
        let region = RegionCode::parse(&o.region_code).ok();
        let detail = serde_json::json!({ "attachment": id, "kind": a.kind, "public": public }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::OpinionAttachmentVisibility,
            &format!("opinion:{}", a.opinion_id),
            region.as_ref(),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(a.opinion_id)
    }
}
