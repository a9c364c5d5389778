//! Station photos and rules (制度) documents. The file itself lives in the blob store (written and
//! fsync'd before the row); a removed file keeps its row, marked, so the history stays.

use chrono::{DateTime, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::{Permission, RegionCode, Scope};
use serde::Serialize;

use crate::{Actor, Result, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Photo,
    Document,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Photo => "photo",
            FileKind::Document => "document",
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StationFile {
    pub id: i64,
    pub station_id: i64,
    pub kind: String,
    pub blob: String,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub created_at: DateTime<Utc>,
}

impl StationFile {
    /// Size for people: "1.2 MB", "35 KB".
    pub fn size_label(&self) -> String {
        if self.size >= 1024 * 1024 {
            format!("{:.1} MB", self.size as f64 / (1024.0 * 1024.0))
        } else {
            format!("{} KB", (self.size + 1023) / 1024)
        }
    }
}

/// What to record for a new file (the blob is already stored).
pub struct NewStationFile<'a> {
    pub kind: FileKind,
    pub blob: &'a str,
    pub name: &'a str,
    pub media_type: &'a str,
    pub size: i64,
}

impl Store {
    /// The station's region, checked against the caller's scope for a registry change.
    async fn station_region_for_change(&self, scope: &Scope, station_id: i64) -> Result<RegionCode> {
        if !scope.can(Permission::ManageRegistry) {
            return Err(StoreError::Forbidden);
        }
        let region: Option<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT region_code FROM station WHERE id = $1").bind(station_id).fetch_optional(p).await?
        });
        let code = region.ok_or(StoreError::NotFound)?.0;
        let code = RegionCode::parse(&code).map_err(|_| StoreError::Corrupt(code.clone()))?;
        if !scope.covers(&code) {
            return Err(StoreError::OutOfScope);
        }
        Ok(code)
    }

    pub async fn add_station_file(
        &self,
        scope: &Scope,
        actor: &Actor,
        station_id: i64,
        f: &NewStationFile<'_>,
    ) -> Result<i64> {
        let region = self.station_region_for_change(scope, station_id).await?;
        let account = actor.account_id.ok_or(StoreError::Forbidden)?;
        let mut tx = self.begin().await?;
        let (id,): (i64,) = with_tx!(&mut tx, c => {
            sqlx::query_as(
                "INSERT INTO station_file (station_id, kind, blob, name, media_type, size, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(station_id).bind(f.kind.as_str()).bind(f.blob).bind(f.name).bind(f.media_type).bind(f.size)
            .bind(account).bind(Utc::now())
            .fetch_one(&mut *c).await?
        });
        let detail = serde_json::json!({ "file": id, "kind": f.kind.as_str(), "name": f.name }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::StationFileAdd,
            &format!("station:{station_id}"),
            Some(&region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn remove_station_file(
        &self,
        scope: &Scope,
        actor: &Actor,
        station_id: i64,
        file_id: i64,
    ) -> Result<()> {
        let region = self.station_region_for_change(scope, station_id).await?;
        let mut tx = self.begin().await?;
        let n = with_tx!(&mut tx, c => {
            sqlx::query("UPDATE station_file SET removed_at = $1 WHERE id = $2 AND station_id = $3 AND removed_at IS NULL")
                .bind(Utc::now()).bind(file_id).bind(station_id).execute(&mut *c).await?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let detail = serde_json::json!({ "file": file_id }).to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::StationFileRemove,
            &format!("station:{station_id}"),
            Some(&region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The station's current files of one kind, oldest first. Station photos and rules are public
    /// (they appear on the station's public page), so this takes no scope; staff pages check the
    /// station's scope first.
    pub async fn station_files(&self, station_id: i64, kind: FileKind) -> Result<Vec<StationFile>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, StationFile>(
                "SELECT id, station_id, kind, blob, name, media_type, size, created_at FROM station_file \
                 WHERE station_id = $1 AND kind = $2 AND removed_at IS NULL ORDER BY id LIMIT 100",
            ).bind(station_id).bind(kind.as_str()).fetch_all(p).await?
        }))
    }

    /// One current file of an open station, for the public download route.
    pub async fn station_file_public(&self, station_id: i64, file_id: i64) -> Result<Option<StationFile>> {
        Ok(with_pool!(&self.read, p => {
            sqlx::query_as::<_, StationFile>(
                "SELECT f.id, f.station_id, f.kind, f.blob, f.name, f.media_type, f.size, f.created_at \
                 FROM station_file f JOIN station s ON s.id = f.station_id \
                 WHERE f.id = $1 AND f.station_id = $2 AND f.removed_at IS NULL AND s.closed_on IS NULL",
            ).bind(file_id).bind(station_id).fetch_optional(p).await?
        }))
    }
}
