//! 督办单落款: the issuing organ (签发机关) and number prefix of a region's 督办单, one row per region
//! (`supervision_organ`), kept by the staff who issue them (`Permission::HandleRegionOpinions`) for
//! their own region only; a region without a row uses `Organ::default_for` its name.

use chrono::Utc;
use liaison_domain::audit::AuditAction;
use liaison_domain::supervision::Organ;
use liaison_domain::{Permission, RegionCode, Scope};

use crate::{Actor, Result, Store, StoreError, Tx};

/// A region's setting as the form shows it.
#[derive(Debug, Clone)]
pub struct OrganSetting {
    pub region_code: String,
    pub region_name: String,
    /// What is in force: the row's, or the default.
    pub organ: Organ,
    /// Whether the region has set its own (false: the default is in force).
    pub set: bool,
}

/// The organ of `region` from a row's columns (organ, prefix) or the default for its name.
pub(crate) fn organ_of(row: Option<(String, String)>, region_name: &str) -> Organ {
    match row {
        Some((name, prefix)) => Organ { name, prefix },
        None => Organ::default_for(region_name),
    }
}

impl Store {
    /// The caller's own region's 督办单 organ and prefix (staff who may issue 督办单 only).
    pub async fn supervision_organ(&self, scope: &Scope) -> Result<OrganSetting> {
        if !scope.can(Permission::HandleRegionOpinions) {
            return Err(StoreError::Forbidden);
        }
        self.organ_setting(&scope.region).await
    }

    /// The setting of `region`, whoever asks (a notice's print shows its issuer's).
    pub(crate) async fn organ_setting(&self, region: &RegionCode) -> Result<OrganSetting> {
        let code = region.as_str().to_owned();
        let name: Option<(String,)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT name FROM region WHERE code = $1").bind(&code).fetch_optional(p).await?
        });
        let region_name = name.map(|n| n.0).unwrap_or_default();
        let row: Option<(String, String)> = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT organ, prefix FROM supervision_organ WHERE region_code = $1").bind(&code).fetch_optional(p).await?
        });
        Ok(OrganSetting {
            set: row.is_some(),
            organ: organ_of(row, &region_name),
            region_code: code,
            region_name,
        })
    }

    /// The organ in force for `region` inside a write (the number of a notice being issued).
    pub(crate) async fn organ_in(&self, tx: &mut Tx, region: &RegionCode) -> Result<Organ> {
        let code = region.as_str().to_owned();
        let row: Option<(String, String)> = with_tx!(tx, c => {
            sqlx::query_as("SELECT organ, prefix FROM supervision_organ WHERE region_code = $1").bind(&code).fetch_optional(&mut *c).await?
        });
        if row.is_some() {
            return Ok(organ_of(row, ""));
        }
        let name: Option<(String,)> = with_tx!(tx, c => {
            sqlx::query_as("SELECT name FROM region WHERE code = $1").bind(&code).fetch_optional(&mut *c).await?
        });
        Ok(Organ::default_for(&name.map(|n| n.0).unwrap_or_default()))
    }

    /// Sets the caller's own region's organ and prefix; audited with the old and new values. Numbers
    /// already issued keep their text.
    pub async fn set_supervision_organ(&self, scope: &Scope, actor: &Actor, organ: &Organ) -> Result<()> {
        let before = self.supervision_organ(scope).await?;
        let code = scope.region.as_str().to_owned();
        let now = Utc::now();
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query(
                "INSERT INTO supervision_organ (region_code, organ, prefix, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (region_code) DO UPDATE SET organ = excluded.organ, prefix = excluded.prefix, \
                 updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind(&code).bind(&organ.name).bind(&organ.prefix).bind(actor.account_id).bind(now)
            .execute(&mut *c).await?;
        });
        let detail = serde_json::json!({
            "organ": organ.name, "prefix": organ.prefix,
            "before": { "organ": before.organ.name, "prefix": before.organ.prefix, "set": before.set },
        })
        .to_string();
        self.audit(
            &mut tx,
            actor,
            AuditAction::SupervisionOrgan,
            &format!("region:{code}"),
            Some(&scope.region),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
