//! The audit log: appended in the caller's transaction, hash-chained with the deployment's key, read
//! only by the audit administrator.

pub mod seal;

use std::borrow::Cow;

use chrono::{SecondsFormat, Utc};
use liaison_domain::audit::{AuditAction, AuditEntry, ChainBreak, ChainVerifier};
use liaison_domain::{Permission, RegionCode, Scope};
use serde::Serialize;

use crate::{Actor, Result, Store, StoreError, Tx};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub region_code: Option<String>,
    pub ip: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    /// The action in Chinese; a code this version does not know is shown as 其他操作（code）.
    pub fn action_label(&self) -> Cow<'static, str> {
        AuditAction::label_of(&self.action)
    }

    pub(crate) fn entry(&self) -> AuditEntry {
        AuditEntry {
            seq: self.seq,
            at: self.at.clone(),
            actor_id: self.actor_id,
            actor: self.actor.clone(),
            action: self.action.clone(),
            target: self.target.clone(),
            region_code: self.region_code.clone(),
            ip: self.ip.clone(),
            detail: self.detail.clone(),
        }
    }
}

/// Filters of the audit page; all optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// A whole action code (`opinion.supervise`, not also `opinion.supervise_ack`), or a prefix such as
    /// `login` or `account.`.
    pub action: Option<String>,
    pub actor: Option<String>,
    /// RFC 3339 UTC bounds: `since` inclusive, `until` exclusive.
    pub since: Option<String>,
    pub until: Option<String>,
    /// Keyset: entries older than this `seq`.
    pub before: Option<i64>,
}

impl Store {
    /// Appends one entry inside `tx`. The head row is updated first, which takes its row lock on
    /// PostgreSQL (SQLite's writer is already exclusive), so concurrent appenders queue instead of forking
    /// the chain.
    pub async fn audit(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        action: AuditAction,
        target: &str,
        region: Option<&RegionCode>,
        detail: &str,
    ) -> Result<()> {
        let (seq, prev): (i64, String) = with_tx!(tx, c => {
            sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
                .fetch_one(&mut *c)
                .await?
        });
        let entry = AuditEntry {
            seq,
            at: Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true),
            actor_id: actor.account_id,
            actor: actor.username.clone(),
            action: action.as_str().to_owned(),
            target: target.to_owned(),
            region_code: region.map(|r| r.as_str().to_owned()),
            ip: actor.ip.clone(),
            detail: detail.to_owned(),
        };
        let hash = entry.chain_hash(&prev, &self.seal.key);
        with_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO audit_log (seq, at, actor_id, actor, action, target, region_code, ip, detail, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(entry.seq).bind(&entry.at).bind(entry.actor_id).bind(&entry.actor).bind(&entry.action)
            .bind(&entry.target).bind(&entry.region_code).bind(&entry.ip).bind(&entry.detail)
            .bind(&prev).bind(&hash)
            .execute(&mut *c)
            .await?;
            sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut *c).await?;
        });
        if action.changes_registry() {
            self.registry_changed();
        }
        Ok(())
    }

    /// A one-entry transaction, for events that change nothing else (a failed login, a read of personal data).
    pub async fn audit_alone(
        &self,
        actor: &Actor,
        action: AuditAction,
        target: &str,
        region: Option<&RegionCode>,
        detail: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        self.audit(&mut tx, actor, action, target, region, detail).await?;
        tx.commit().await
    }

    /// Newest first. Audit administrators see entries of their subtree and those tied to no region.
    pub async fn audit_list(&self, scope: &Scope, f: &AuditFilter, limit: i64) -> Result<Vec<AuditRow>> {
        if !scope.can(Permission::ReadAudit) {
            return Err(StoreError::Forbidden);
        }
        let (lo, hi) = scope.range();
        let action = f.action.as_ref().map(|a| match AuditAction::parse(a) {
            Some(_) => a.clone(),
            None => format!("{a}%"),
        });
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, AuditRow>(
                "SELECT seq, at, actor_id, actor, action, target, region_code, ip, detail, prev_hash, hash \
                 FROM audit_log \
                 WHERE (region_code BETWEEN $1 AND $2 OR region_code IS NULL) \
                   AND ($3 IS NULL OR action LIKE $3) \
                   AND ($4 IS NULL OR actor = $4) \
                   AND ($5 IS NULL OR at >= $5) \
                   AND ($6 IS NULL OR at < $6) \
                   AND ($7 IS NULL OR seq < $7) \
                 ORDER BY seq DESC LIMIT $8",
            )
            .bind(&lo).bind(&hi).bind(&action).bind(&f.actor).bind(&f.since).bind(&f.until).bind(f.before).bind(limit)
            .fetch_all(p)
            .await?
        });
        Ok(rows)
    }

    /// Walks the whole chain in order, against the checkpoint kept outside the database when there is
    /// one. `Ok(Ok(n))`: n entries intact; `Ok(Err(break))`: where it broke.
    pub async fn audit_verify(&self) -> Result<Result<i64, ChainBreak>> {
        let checkpoint = match self.seal.read_checkpoint() {
            Ok(c) => c,
            Err(_) => return Ok(Err(ChainBreak::CheckpointUnreadable)),
        };
        let mut v = ChainVerifier::new(self.seal.key.clone(), checkpoint);
        let mut after = 0i64;
        loop {
            let rows = with_pool!(&self.read, p => {
                sqlx::query_as::<_, AuditRow>(
                    "SELECT seq, at, actor_id, actor, action, target, region_code, ip, detail, prev_hash, hash \
                     FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 2000",
                )
                .bind(after)
                .fetch_all(p)
                .await?
            });
            let Some(last) = rows.last() else { break };
            after = last.seq;
            for r in &rows {
                if let Err(b) = v.push(&r.entry(), &r.prev_hash, &r.hash) {
                    return Ok(Err(b));
                }
            }
        }
        let (seq, hash): (i64, String) = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(p).await?
        });
        Ok(v.finish(seq, &hash))
    }

    /// Distinct actions present, for the filter list.
    pub async fn audit_actions(&self, scope: &Scope) -> Result<Vec<String>> {
        if !scope.can(Permission::ReadAudit) {
            return Err(StoreError::Forbidden);
        }
        let rows: Vec<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT DISTINCT action FROM audit_log ORDER BY action").fetch_all(p).await?
        });
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}
