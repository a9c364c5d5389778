//! The home page's queue panels: one per queue the caller has (a deputy's inbox, a unit's items, a
//! region's or station's items), with the tallies that open the filtered queue and the few items
//! whose next step is the caller's, soonest deadline first.

use chrono::{Datelike, Utc};
use liaison_domain::opinion::Stage;
use liaison_domain::{deadline, time};
use liaison_store::opinion::Queue;
use liaison_store::opinion::queue::{QueueFilter, Sort};

use super::{Now, Panel, Tally};
use crate::ctx::Staff;
use crate::opinion::query::{QueueQuery, resolve, tabs_of};
use crate::opinion::queue::capped;
use crate::{AppState, WebError};

/// How many items a panel lists.
const NOW_ITEMS: usize = 5;

/// Who acts next on an item in this queue's sense (the item's cached holder).
fn holder_of(queue: Queue) -> &'static str {
    match queue {
        Queue::Deputy(_) => "deputy",
        Queue::Unit(_) => "unit",
        Queue::Region => "station",
    }
}

pub async fn panels(state: &AppState, staff: &Staff) -> Result<Vec<Panel>, WebError> {
    let today = time::today();
    let month_start = today
        .with_day(1)
        .and_then(time::day_start)
        .unwrap_or_else(Utc::now);
    let month_param = today.with_day(1).map(|d| d.to_string()).unwrap_or_default();
    let cal = state.store.work_calendar().await?;
    let now = Utc::now();
    let mut out = Vec::new();
    for (tab, label) in tabs_of(staff) {
        let q = QueueQuery {
            tab: tab.to_owned(),
            ..Default::default()
        };
        let (_, queue, _) = resolve(staff, &q)?;
        let (counts, received) = state.store.queue_tally(&staff.scope, queue, month_start).await?;
        // a region queue's counts come from the counters (exact); the others and 本月收件 are capped
        let shown = |n: i64| if counts.exact { n.to_string() } else { capped(n) };
        let link = |extra: &str| Some(format!("/opinions?tab={tab}&{extra}"));
        let title = match (tab, staff.scope.station_id) {
            ("region", Some(_)) if liaison_domain::opinion::access::station_only(&staff.scope) => {
                "本站群众意见".to_owned()
            }
            ("region", _) => "本辖区群众意见".to_owned(),
            _ => label.to_owned(),
        };
        let mut p = Panel::new(
            match tab {
                "deputy" => "panel-deputy",
                "unit" => "panel-unit",
                _ => "panel-region",
            },
            title,
        );
        p.tallies = vec![
            Tally {
                label: "待办理",
                shown: shown(counts.open),
                href: link("stage=open&sort=due"),
                class: "",
            },
            Tally {
                label: "即将到期",
                shown: shown(counts.soon),
                href: link("due=soon&sort=due"),
                class: if counts.soon > 0 { "warn" } else { "" },
            },
            Tally {
                label: "已超期",
                shown: shown(counts.overdue),
                href: link("due=overdue&sort=due"),
                class: if counts.overdue > 0 { "bad" } else { "" },
            },
            Tally {
                label: "重点督办",
                shown: shown(counts.key),
                href: link("key=1"),
                class: "",
            },
            Tally {
                label: "本月收件",
                shown: capped(received),
                href: link(&format!("from={month_param}")),
                class: "",
            },
        ];
        // the items whose next step is this caller's, soonest deadline first
        let filter = QueueFilter {
            stages: Stage::ALL.into_iter().filter(|s| s.is_open()).collect(),
            sort: Sort::Due,
            ..Default::default()
        };
        let rows = state.store.queue(&staff.scope, queue, &filter, None, 40).await?;
        let mine = holder_of(queue);
        p.now = rows
            .into_iter()
            .filter(|o| o.holder == mine)
            .take(NOW_ITEMS)
            .map(|o| Now {
                href: format!("/opinions/{}", o.id),
                title: format!("{} · {}", o.category_label, o.stage().label()),
                detail: liaison_domain::mask::free_text(&o.description)
                    .chars()
                    .take(40)
                    .collect(),
                due: o.due_at.map(|d| {
                    let st = deadline::state(&cal, now, d);
                    (st.label(), st.class())
                }),
            })
            .collect();
        p.none = Some("眼下没有等您办理的事项。");
        p.links.push((format!("/opinions?tab={tab}"), "打开工作队列"));
        out.push(p);
    }
    Ok(out)
}
