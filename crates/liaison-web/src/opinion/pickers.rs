//! The work queue's pickers, usable on a phone: the region (the caller's region, the way down to the
//! chosen one, and the chosen one's children, so a county clerk picks a township and then a village),
//! and the stations and deputies of the chosen region. Those two are read only inside a township or
//! finer and only when the region has few enough (`queue_choices::CHOICES_MAX`); otherwise the page
//! says to pick a township first.

use liaison_domain::{RegionCode, RegionLevel};
use liaison_store::opinion::queue::choices::Choice;

use crate::ctx::Staff;
use crate::{AppState, WebError};

/// A region option: (value for `region=`, label, selected).
pub type RegionOption = (String, String, bool);

pub struct Pickers {
    pub regions: Vec<RegionOption>,
    /// Stations and deputies are offered (the region queue).
    pub offered: bool,
    /// None: too many, or not read at this level (the hint is shown instead).
    pub stations: Option<Vec<Choice>>,
    pub deputies: Option<Vec<Choice>>,
}

impl Pickers {
    /// The hint is shown when a picker is offered but has no list.
    pub fn hint(&self) -> bool {
        self.offered && (self.stations.is_none() || self.deputies.is_none())
    }
}

/// The pickers for the caller and the region filter. `staff_tab`: the region queue, where stations
/// and deputies are offered (a deputy's or unit's own queue offers the region only).
pub async fn load(
    state: &AppState,
    staff: &Staff,
    filter: Option<&RegionCode>,
    staff_tab: bool,
) -> Result<Pickers, WebError> {
    let scope = &staff.scope;
    let inside = filter.filter(|r| scope.covers(r));
    let base = inside.unwrap_or(&scope.region);
    let mut regions: Vec<RegionOption> = vec![(String::new(), "全部".into(), filter.is_none())];
    if let Some(r) = filter.filter(|r| !scope.covers(r)) {
        regions.push((r.short().to_owned(), format!("{}（不在辖区内）", r.short()), true));
    }
    // the way down from the caller's region to the chosen one (to go back up), then its children
    for r in state.store.region_lineage(base).await? {
        let Ok(code) = RegionCode::parse(&r.code) else {
            continue;
        };
        if code != scope.region && scope.covers(&code) {
            regions.push((code.short().to_owned(), r.short_name(), Some(&code) == inside));
        }
    }
    if base.level() < RegionLevel::Village {
        for r in state.store.region_children(Some(base)).await? {
            let Ok(code) = RegionCode::parse(&r.code) else {
                continue;
            };
            regions.push((
                code.short().to_owned(),
                format!("\u{3000}{}", r.short_name()),
                false,
            ));
        }
    }
    // stations and deputies: inside a township or finer (a county's hundreds make a poor list on a
    // phone and cost every page view a read), never over a city or a province
    let listed = staff_tab && base.level() >= RegionLevel::Township && (filter.is_none() || inside.is_some());
    let (stations, deputies) = if listed {
        // a station manager's queue is their station's already
        let stations = if liaison_domain::opinion::access::station_only(scope) {
            Some(vec![])
        } else {
            state.store.station_choices(scope, inside).await?
        };
        (stations, state.store.deputy_choices(scope, inside).await?)
    } else {
        (None, None)
    };
    Ok(Pickers {
        regions,
        offered: staff_tab,
        stations,
        deputies,
    })
}
