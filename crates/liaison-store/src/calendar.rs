//! The working-day calendar: the built-in yearly arrangements plus those an administrator entered
//! (`calendar_year`), the latter overriding the former year by year. Deadlines read it often and it
//! changes about once a year, so each `Store` keeps it for a minute; a save on this instance forgets it
//! at once, other instances pick the change up within that minute.

use chrono::{DateTime, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::calendar::{BUILT_IN, WorkCalendar, YearArrangement, parse_toml};
use liaison_domain::{Permission, RegionLevel, Role, Scope};
use serde::Serialize;

use crate::cache::Cached;
use crate::{Actor, Result, Store, StoreError};

/// The calendar kept by a `Store` for a minute (see `cache`).
pub(crate) type CalendarCache = Cached<WorkCalendar>;

/// One year of the calendar as the administrators' page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarYear {
    pub arrangement: YearArrangement,
    /// Entered by an administrator (else built in).
    pub entered: bool,
    /// The product ships an arrangement of this year (overridden when `entered`).
    pub built_in: bool,
    pub updated_at: Option<DateTime<Utc>>,
    /// The username of whoever saved it last.
    pub updated_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    year: i32,
    source: String,
    off_text: String,
    work_text: String,
    updated_at: DateTime<Utc>,
    updated_by: Option<String>,
}

impl Row {
    fn arrangement(&self) -> Result<YearArrangement> {
        YearArrangement::parse_text(self.year, &self.source, &self.off_text, &self.work_text)
            .map_err(|e| StoreError::Corrupt(format!("calendar_year {}: {e}", self.year)))
    }
}

/// Whether `scope` may enter arrangements: the system administrator, or committee staff of the
/// deployment's top region (`deployment`) or of a county.
pub fn may_edit_calendar(scope: &Scope, deployment: Option<&liaison_domain::RegionCode>) -> bool {
    if !scope.can(Permission::ManageCalendar) {
        return false;
    }
    scope.has(Role::SystemAdmin)
        || (scope.has(Role::CommitteeStaff)
            && (Some(&scope.region) == deployment || scope.region.level() == RegionLevel::County))
}

fn built_in_years() -> Vec<YearArrangement> {
    parse_toml(BUILT_IN).unwrap_or_default()
}

impl Store {
    async fn calendar_rows(&self) -> Result<Vec<Row>> {
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, Row>(
                "SELECT cy.year, cy.source, cy.off_text, cy.work_text, cy.updated_at, a.username AS updated_by \
                 FROM calendar_year cy LEFT JOIN account a ON a.id = cy.updated_by ORDER BY cy.year",
            )
            .fetch_all(p)
            .await?
        });
        Ok(rows)
    }

    /// The calendar deadlines are computed with: built-in years, overridden by entered ones.
    pub async fn work_calendar(&self) -> Result<WorkCalendar> {
        let generation = match self.calendar.fresh() {
            Ok(calendar) => return Ok(calendar),
            Err(generation) => generation,
        };
        let mut calendar = WorkCalendar::built_in();
        for row in self.calendar_rows().await? {
            calendar.insert(row.arrangement()?);
        }
        self.calendar.put(generation, &calendar);
        Ok(calendar)
    }

    /// Every year with an arrangement, ascending: the built-in ones and those entered.
    pub async fn calendar_years(&self) -> Result<Vec<CalendarYear>> {
        let built_in = built_in_years();
        let mut years: Vec<CalendarYear> = built_in
            .iter()
            .map(|a| CalendarYear {
                arrangement: a.clone(),
                entered: false,
                built_in: true,
                updated_at: None,
                updated_by: None,
            })
            .collect();
        for row in self.calendar_rows().await? {
            let entry = CalendarYear {
                arrangement: row.arrangement()?,
                entered: true,
                built_in: built_in.iter().any(|a| a.year == row.year),
                updated_at: Some(row.updated_at),
                updated_by: row.updated_by,
            };
            match years.iter_mut().find(|y| y.arrangement.year == row.year) {
                Some(slot) => *slot = entry,
                None => years.push(entry),
            }
        }
        years.sort_by_key(|y| y.arrangement.year);
        Ok(years)
    }

    /// Whether `scope` may use [`Store::save_calendar_year`] (see [`may_edit_calendar`]).
    pub async fn may_edit_calendar(&self, scope: &Scope) -> Result<bool> {
        if !scope.can(Permission::ManageCalendar) {
            return Ok(false);
        }
        Ok(may_edit_calendar(scope, self.deployment_region().await?.as_ref()))
    }

    /// Enters (or replaces) one year's arrangement, audited as `calendar.save`. The arrangement must
    /// pass [`YearArrangement::validate`]; a refusal carries the Chinese message.
    pub async fn save_calendar_year(
        &self,
        scope: &Scope,
        actor: &Actor,
        arrangement: &YearArrangement,
    ) -> Result<()> {
        if !self.may_edit_calendar(scope).await? {
            return Err(StoreError::Forbidden);
        }
        arrangement
            .validate()
            .map_err(|e| StoreError::Refused(e.to_string()))?;
        let (off_text, work_text) = (arrangement.to_off_text(), arrangement.to_work_text());
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query(
                "INSERT INTO calendar_year (year, source, off_text, work_text, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (year) DO UPDATE SET source = excluded.source, off_text = excluded.off_text, \
                 work_text = excluded.work_text, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind(arrangement.year)
            .bind(&arrangement.source)
            .bind(&off_text)
            .bind(&work_text)
            .bind(actor.account_id)
            .bind(Utc::now())
            .execute(&mut *c)
            .await?;
        });
        let detail = serde_json::json!({
            "year": arrangement.year,
            "source": arrangement.source,
            "off": off_text,
            "work": work_text,
        })
        .to_string();
        let target = format!("calendar:{}", arrangement.year);
        self.audit(&mut tx, actor, AuditAction::CalendarSave, &target, None, &detail)
            .await?;
        tx.commit().await?;
        self.calendar.forget();
        Ok(())
    }
}
