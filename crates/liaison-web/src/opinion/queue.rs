//! `/opinions`: the caller's work queues. A deputy sees their inbox, a unit its assigned items, staff
//! their region's (a station manager: their station's). Filters (state, category, township, station,
//! deputy, channel, dates, due state, 重点督办, 疑似重复), counts by due state, newest first or soonest
//! deadline first, keyset pagination; the overdue summary per unit and township; Excel export of any
//! view. The region, station and deputy are picked from lists (`pickers`); items the duplicate pass
//! flagged carry a 疑似重复 tag for staff.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use liaison_domain::opinion::{Channel, Stage};
use liaison_domain::{deadline, time};
use liaison_store::opinion::Opinion;
use liaison_store::opinion::queue::choices::Choice;
use liaison_store::opinion::queue::{Counts, Due, Position, Sort};
use liaison_store::page::{self, Key, Paged, TimeCursor};

use super::query::{QueueQuery, resolve, tabs_of, with_phone};
use crate::ctx::Staff;
use crate::extract::Query;
use crate::layout::Page;
use crate::{AppState, WebError};

const PAGE: i64 = 30;
const EXPORT_MAX: i64 = 20_000;

/// One row as shown: the item, its deadline state (label, class), and whether it is flagged 疑似重复.
pub struct Row {
    pub o: Opinion,
    pub due: Option<(String, &'static str)>,
    pub dup: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "opinion/queue.html")]
pub struct QueuePage {
    page: Page,
    tabs: Vec<(&'static str, &'static str, bool)>,
    tab: String,
    q: QueueQuery,
    base: String,
    stages: Vec<(&'static str, &'static str)>,
    categories: Vec<(String, String)>,
    channels: Vec<(&'static str, &'static str)>,
    counts: Counts,
    items: Vec<Row>,
    next: Option<String>,
    can_record: bool,
    can_bulk: bool,
    summary: Option<liaison_store::opinion::queue::OverdueSummary>,
    pickers: super::pickers::Pickers,
    /// Flagged open items of the region queue (疑似重复), for its chip.
    dup_count: Option<i64>,
    /// How many items match the view (exact or capped: `counts.total_exact`).
    total: i64,
    /// Units to filter by (the region queue): (id, name).
    units: Vec<(i64, String)>,
    table: bool,
    /// The bulk actions offered from the table: (name, label).
    bulk_actions: &'static [(&'static str, &'static str)],
}

impl QueuePage {
    /// Any filter beyond the tab and the due-state chips is set (the filter box opens).
    fn filtered(&self) -> bool {
        let q = &self.q;
        [
            &q.category,
            &q.region,
            &q.channel,
            &q.from,
            &q.to,
            &q.station,
            &q.deputy,
            &q.dup,
            &q.unit,
            &q.phone4,
        ]
        .iter()
        .any(|v| !v.is_empty())
    }

    /// The choices of a picker, with the current value first when the list lacks it (so it survives).
    fn choices<'a>(&self, list: &'a [Choice], current: &str) -> Vec<(String, &'a str, bool)> {
        let mut out: Vec<(String, &str, bool)> = list
            .iter()
            .map(|(id, l)| (id.to_string(), l.as_str(), id.to_string() == current))
            .collect();
        if !current.is_empty() && !out.iter().any(|o| o.2) {
            out.insert(0, (current.to_owned(), "（当前所选）", true));
        }
        out
    }

    /// This view in the card or the table layout.
    fn view_href(&self, view: &str) -> String {
        let mut q = self.q.clone();
        q.view = view.to_owned();
        format!("/opinions?{}", q.base(&self.tab))
    }

    fn is_unit(&self, id: &i64) -> bool {
        self.q.unit.trim() == id.to_string()
    }

    /// When the overdue summary was counted, Beijing time.
    fn summary_time(&self, s: &liaison_store::opinion::queue::OverdueSummary) -> String {
        time::local(s.at).format("%H:%M:%S").to_string()
    }

    /// A capped count as shown: "1000+" at the cap.
    fn shown(&self, n: &i64) -> String {
        capped(*n)
    }

    /// A count by due state or 重点督办 as shown: exact from the counters, else capped.
    fn tally(&self, n: &i64) -> String {
        if self.counts.exact {
            n.to_string()
        } else {
            capped(*n)
        }
    }

    /// The view's total as shown.
    fn total_shown(&self) -> String {
        if self.counts.total_exact {
            self.total.to_string()
        } else {
            capped(self.total)
        }
    }
}

/// A capped count as shown: "1000+" at the cap.
pub(crate) fn capped(n: i64) -> String {
    if n >= liaison_store::opinion::queue::COUNT_CAP {
        format!("{n}+")
    } else {
        n.to_string()
    }
}

fn position_of(q: &QueueQuery) -> Option<Position> {
    match TimeCursor::parse(&q.after) {
        Some(c) => Some(Position::AfterDue(c)),
        None => Key::parse(&q.before).map(Position::Before),
    }
}

/// Where the page after `o` starts in the queue's order.
fn position_after(sort: Sort, o: &Opinion) -> Position {
    match (sort, o.due_at) {
        (Sort::Due, Some(at)) => Position::AfterDue(TimeCursor { at, id: o.id }),
        _ => Position::Before(o.id),
    }
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<QueueQuery>,
) -> Result<QueuePage, WebError> {
    let (tab, queue, filter) = resolve(&staff, &q)?;
    let filter = with_phone(&state, &staff, tab, &q, filter).await?;
    let rows = state
        .store
        .queue(&staff.scope, queue, &filter, position_of(&q), page::fetch(PAGE))
        .await?;
    let base = q.base(tab);
    let Paged { rows, next } = Paged::cut(rows, PAGE, |o| position_after(filter.sort, o));
    let next = next.map(|p| match p {
        Position::AfterDue(c) => format!("/opinions?{base}&after={c}"),
        Position::Before(id) => format!("/opinions?{base}&before={id}"),
    });
    let cal = state.store.work_calendar().await?;
    let now = Utc::now();
    let ids: Vec<i64> = rows.iter().map(|o| o.id).collect();
    let flags = state.store.duplicate_flags(&staff.scope, &ids).await?;
    let items = rows
        .into_iter()
        .map(|mut o| {
            // a list is no place for numbers typed into the text
            o.description = liaison_domain::mask::free_text(&o.description);
            let due = o.due_at.map(|d| {
                let st = deadline::state(&cal, now, d);
                (st.label(), st.class())
            });
            let dup = flags.contains_key(&o.id);
            Row { o, due, dup }
        })
        .collect();
    let counts = state.store.queue_counts(&staff.scope, queue, &filter).await?;
    let total = counts.total;
    let summary = if tab == "region" && filter.due == Due::Overdue {
        state
            .store
            .overdue_summary(&staff.scope, filter.region.as_ref())
            .await?
    } else {
        None
    };
    let region_tab = tab == "region";
    let table = q.view == "table";
    let dup_count = region_tab.then_some(counts.dup);
    let pickers = super::pickers::load(&state, &staff, filter.region.as_ref(), region_tab).await?;
    let mut stage_choices = vec![("", "全部"), ("open", "未办结")];
    stage_choices.extend(Stage::ALL.iter().map(|s| (s.as_str(), s.label())));
    Ok(QueuePage {
        page: Page::new(&staff.ctx, "群众意见", "/opinions"),
        tabs: tabs_of(&staff).iter().map(|(k, l)| (*k, *l, *k == tab)).collect(),
        tab: tab.to_owned(),
        base,
        q,
        stages: stage_choices,
        categories: crate::public::intake::categories(&state).await?,
        channels: Channel::ALL.iter().map(|c| (c.as_str(), c.label())).collect(),
        counts,
        items,
        next,
        can_record: super::record::can_record(&staff),
        can_bulk: liaison_domain::opinion::access::is_staff(&staff.scope),
        summary,
        pickers,
        dup_count,
        total,
        units: if region_tab {
            state
                .store
                .units(&staff.scope, None, None, 500)
                .await?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect()
        } else {
            vec![]
        },
        table,
        bulk_actions: super::bulk::ACTIONS,
    })
}

/// `GET /opinions/export.xlsx` with the view's filters: every row (up to 20,000) with all dates.
pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<QueueQuery>,
) -> Result<Response, WebError> {
    let (tab, queue, filter) = resolve(&staff, &q)?;
    let filter = with_phone(&state, &staff, tab, &q, filter).await?;
    let mut rows: Vec<Opinion> = Vec::new();
    let mut cursor = None;
    loop {
        let page = state
            .store
            .queue(&staff.scope, queue, &filter, cursor, 1000)
            .await?;
        let done = page.len() < 1000;
        cursor = page.last().map(|o| position_after(filter.sort, o));
        rows.extend(page);
        if done || rows.len() as i64 >= EXPORT_MAX {
            break;
        }
    }
    rows.truncate(EXPORT_MAX as usize);
    let bytes = super::export::workbook(&state, &rows).await?;
    let name = format!("群众意见{}.xlsx", time::now_beijing().format("%Y%m%d"));
    Ok(crate::registry::excel_io::xlsx_response(bytes, &name))
}
