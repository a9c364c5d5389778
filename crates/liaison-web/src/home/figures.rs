//! The region's figures on a home page (committee and township staff, the chair meeting): per township
//! of a county, or per village of a township — received this month and year, closed this year, open,
//! overdue, 满意率 — with drill-down into a township, and each count opening the queue where the
//! caller has one. Above county level the caller first picks a county.

use liaison_domain::opinion::access::is_staff;
use liaison_domain::{RegionCode, RegionLevel};
use liaison_store::opinion::figures::FigureRow;

use crate::ctx::Staff;
use crate::{AppState, WebError};

pub struct FiguresView {
    /// The region the figures are of.
    pub name: String,
    /// The rows (townships or villages) and the total; empty above county level.
    pub rows: Vec<RowView>,
    pub total: Option<RowView>,
    /// When they were counted, Beijing time.
    pub at: String,
    /// The way back up when drilled down: (href, label).
    pub up: Option<(String, String)>,
    /// Above county level: the regions to pick from (href, name).
    pub pick: Vec<(String, String)>,
    /// The caption of the first column.
    pub child_label: &'static str,
}

pub struct RowView {
    pub name: String,
    /// Drill-down into this row's region (None for villages and the total).
    pub drill: Option<String>,
    /// (figure, link into the queue).
    pub cells: Vec<(String, Option<String>)>,
    pub content: String,
}

fn row_view(r: &FigureRow, drill: bool, queue: bool, region: &str) -> RowView {
    let q = |extra: &str| queue.then(|| format!("/opinions?tab=region&region={region}{extra}"));
    RowView {
        name: r.name.clone(),
        drill: (drill && !r.code.is_empty()).then(|| format!("/?region={}", short(&r.code))),
        cells: vec![
            (r.month_in.to_string(), None),
            (r.year_in.to_string(), None),
            (r.year_done.to_string(), None),
            (r.open.to_string(), q("&stage=open")),
            (r.overdue.to_string(), q("&due=overdue&sort=due")),
        ],
        content: r
            .content_percent()
            .map(|p| format!("{p}%"))
            .unwrap_or_else(|| "—".into()),
    }
}

/// A region code without its trailing zero groups (as the region pages write it).
fn short(code: &str) -> String {
    RegionCode::parse(code)
        .map(|c| c.short().to_owned())
        .unwrap_or_else(|_| code.to_owned())
}

pub async fn view(
    state: &AppState,
    staff: &Staff,
    drill: Option<&RegionCode>,
) -> Result<FiguresView, WebError> {
    let scope = &staff.scope;
    // a drill-down outside the caller's region is refused, not widened
    if let Some(d) = drill
        && !scope.covers(d)
    {
        return Err(WebError::NotFound);
    }
    let here = drill.cloned().unwrap_or_else(|| scope.region.clone());
    let region = state.store.region(&here).await?.ok_or(WebError::NotFound)?;
    let up = (drill.is_some() && here != scope.region).then(|| {
        let parent = here.parent().filter(|p| scope.covers(p));
        match parent {
            Some(p) if p != scope.region => (format!("/?region={}", p.short()), "返回上一级".to_owned()),
            _ => ("/".to_owned(), "返回本级".to_owned()),
        }
    });
    let child_label = match here.level() {
        RegionLevel::County => "乡镇（街道）",
        RegionLevel::Township | RegionLevel::Village => "村（社区）",
        _ => "下级",
    };
    let Some(f) = state.store.region_figures(scope, Some(&here)).await? else {
        // above county level: pick one
        let pick = state
            .store
            .region_children(Some(&here))
            .await?
            .into_iter()
            .map(|c| (format!("/?region={}", c.short_code()), c.short_name()))
            .collect();
        return Ok(FiguresView {
            name: region.name.clone(),
            rows: vec![],
            total: None,
            at: String::new(),
            up,
            pick,
            child_label,
        });
    };
    let queue = is_staff(scope);
    let drillable = here.level() == RegionLevel::County;
    Ok(FiguresView {
        name: region.name.clone(),
        rows: f
            .rows
            .iter()
            .map(|r| row_view(r, drillable, queue, &short(&r.code)))
            .collect(),
        total: Some(row_view(&f.total, false, queue, here.short())),
        at: liaison_domain::time::local(f.at).format("%H:%M").to_string(),
        up,
        pick: vec![],
        child_label,
    })
}
