//! Excel imports' writes, all or nothing: every row of a checked sheet in one transaction, through the
//! same natural-key upserts (and audit rows) as the forms; a problem found while writing (a station
//! name that is not exactly one station of the caller's region) rolls every row back. The web layer
//! reads and checks the sheet; the transaction never leaves the store.

use liaison_domain::Scope;
use serde::Serialize;

use crate::registry::deputy::DeputyInput;
use crate::registry::station::{StationInput, Upsert};
use crate::registry::unit::UnitInput;
use crate::{Actor, Result, Store};

/// What an import did, row by row.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl ImportCounts {
    fn add(&mut self, u: Upsert) {
        match u {
            Upsert::Created => self.created += 1,
            Upsert::Updated => self.updated += 1,
            Upsert::Unchanged => self.unchanged += 1,
        }
    }
}

/// One deputy row: its row number in the sheet, the mandate, and the stations it sits in (by name).
#[derive(Debug, Clone)]
pub struct DeputyRow {
    pub row: usize,
    pub input: DeputyInput,
    pub stations: Vec<String>,
}

/// A station named in a deputy row that the caller's region does not hold exactly once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationProblem {
    pub row: usize,
    pub name: String,
    /// How many open stations of that name the region holds (0, or more than 1).
    pub found: usize,
}

/// Called once per row written, for a progress bar.
pub type Step<'a> = &'a (dyn Fn() + Send + Sync);

impl Store {
    /// Writes every station, or none.
    pub async fn import_stations(
        &self,
        scope: &Scope,
        actor: &Actor,
        inputs: &[StationInput],
        step: Step<'_>,
    ) -> Result<ImportCounts> {
        let mut counts = ImportCounts::default();
        let mut tx = self.begin().await?;
        for input in inputs {
            step();
            let (_, u) = self.upsert_station_in(&mut tx, scope, actor, input).await?;
            counts.add(u);
        }
        tx.commit().await?;
        Ok(counts)
    }

    /// Writes every unit, or none.
    pub async fn import_units(
        &self,
        scope: &Scope,
        actor: &Actor,
        inputs: &[UnitInput],
        step: Step<'_>,
    ) -> Result<ImportCounts> {
        let mut counts = ImportCounts::default();
        let mut tx = self.begin().await?;
        for input in inputs {
            step();
            let (_, u) = self.upsert_unit_in(&mut tx, scope, actor, input).await?;
            counts.add(u);
        }
        tx.commit().await?;
        Ok(counts)
    }

    /// Writes every mandate with its residences, or none: a station name that is not exactly one open
    /// station of the caller's region is a problem of its row, and any problem rolls everything back.
    pub async fn import_deputies(
        &self,
        scope: &Scope,
        actor: &Actor,
        rows: &[DeputyRow],
        step: Step<'_>,
    ) -> Result<std::result::Result<ImportCounts, Vec<StationProblem>>> {
        let mut counts = ImportCounts::default();
        let mut problems = Vec::new();
        let mut tx = self.begin().await?;
        for r in rows {
            step();
            let (mandate, u) = self.upsert_deputy_in(&mut tx, scope, actor, &r.input).await?;
            counts.add(u);
            for name in &r.stations {
                let ids = self.station_by_name_in(&mut tx, scope, name).await?;
                match ids[..] {
                    [id] => {
                        self.add_resident_in(&mut tx, actor, id, mandate).await?;
                    }
                    _ => problems.push(StationProblem {
                        row: r.row,
                        name: name.clone(),
                        found: ids.len(),
                    }),
                }
            }
        }
        if !problems.is_empty() {
            // dropping the transaction rolls every row back
            return Ok(Err(problems));
        }
        tx.commit().await?;
        Ok(Ok(counts))
    }
}
