//! The quiet hours of alert SMS to staff and deputies (`liaison_domain::notification::QuietHours`): a
//! setting of the system administrator (`Permission::ManageSms`), read on every alert and so kept for
//! a minute like the other reference data.

use liaison_domain::audit::AuditAction;
use liaison_domain::notification::QuietHours;
use liaison_domain::{Permission, Scope};

use crate::{Actor, Result, Store, StoreError};

pub const QUIET_HOURS: &str = "sms_quiet_hours";

pub(crate) type QuietCache = crate::cache::Cached<QuietHours>;

impl Store {
    /// The quiet hours (the default 21:00–08:00 until an administrator sets them).
    pub async fn quiet_hours(&self) -> Result<QuietHours> {
        let generation = match self.quiet.fresh() {
            Ok(q) => return Ok(q),
            Err(g) => g,
        };
        let q = match self.setting_raw(QUIET_HOURS).await? {
            Some(v) => serde_json::from_str(&v).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            None => QuietHours::default(),
        };
        self.quiet.put(generation, &q);
        Ok(q)
    }

    /// Sets the quiet hours (checked by `QuietHours::validate` first); audited.
    pub async fn set_quiet_hours(&self, scope: &Scope, actor: &Actor, q: QuietHours) -> Result<()> {
        if !scope.can(Permission::ManageSms) {
            return Err(StoreError::Forbidden);
        }
        q.validate().map_err(|m| StoreError::Refused(m.to_owned()))?;
        let value = serde_json::to_string(&q).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.begin().await?;
        self.set_setting_raw(&mut tx, QUIET_HOURS, &value).await?;
        self.audit(
            &mut tx,
            actor,
            AuditAction::SmsQuietHours,
            "setting:sms_quiet_hours",
            Some(&scope.region),
            &value,
        )
        .await?;
        tx.commit().await?;
        self.quiet.forget();
        Ok(())
    }
}
