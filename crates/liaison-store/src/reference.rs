//! Reference data that pages read on nearly every view and that changes rarely, kept a minute per key:
//! region names (the breadcrumb, the region picker: official data loaded by the migrations) and the
//! queue's pickers (the stations, deputies and units of a region), and the item page's lists kept as
//! data by the migrations (reply templates, decline reasons). A registry write on this instance
//! forgets the pickers at once (`Store::audit` calls [`Store::registry_changed`] for every action that
//! `AuditAction::changes_registry`: forms and imports alike are audited); other instances see the change
//! within [`REFERENCE_FOR`].

use std::time::Duration;

use crate::cache::Kept;
use crate::opinion::queue::choices::Choice;
use crate::region::Region;
use crate::registry::unit::HandlingUnit;

/// How long a kept value is used before it is read again.
pub const REFERENCE_FOR: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub(crate) struct Reference {
    pub regions: Kept<Vec<Region>>,
    pub choices: Kept<Option<Vec<Choice>>>,
    pub units: Kept<Vec<HandlingUnit>>,
    pub reply_templates: Kept<Vec<crate::opinion::tools::ReplyTemplate>>,
    pub decline_reasons: Kept<Vec<(String, String)>>,
}

impl Default for Reference {
    fn default() -> Self {
        Reference {
            regions: Kept::new(REFERENCE_FOR),
            choices: Kept::new(REFERENCE_FOR),
            units: Kept::new(REFERENCE_FOR),
            reply_templates: Kept::new(REFERENCE_FOR),
            decline_reasons: Kept::new(REFERENCE_FOR),
        }
    }
}

impl crate::Store {
    /// Forgets the kept pickers (a station, deputy or unit was written).
    pub(crate) fn registry_changed(&self) {
        self.reference.choices.clear();
        self.reference.units.clear();
    }
}
