//! The home page's review-opinion panel (审议意见): the caller's counts that open the filtered list,
//! and the few items whose next step is the caller's — a report to send (the body), a report to
//! examine or a test to enter (the office) — soonest deadline first.

use liaison_domain::deadline;
use liaison_domain::review::{Stage, access};

use super::{Now, Panel, Tally};
use crate::ctx::Staff;
use crate::{AppState, WebError};

/// How many items the panel lists.
const NOW_ITEMS: i64 = 5;

pub async fn panel(state: &AppState, staff: &Staff) -> Result<Option<Panel>, WebError> {
    let scope = &staff.scope;
    if !access::has_reviews(scope) {
        return Ok(None);
    }
    let counts = state.store.review_counts(scope).await?;
    if counts.all == 0 && !access::is_staff(scope) {
        return Ok(None);
    }
    let todo = state.store.review_todo(scope, NOW_ITEMS).await?;
    let mut p = Panel::new("panel-reviews", "审议意见");
    let tally = |label, n: i64, href: &str, class| Tally {
        label,
        shown: n.to_string(),
        href: Some(format!("/reviews{href}")),
        class,
    };
    p.tallies = vec![
        tally("办理中", counts.sent, "?stage=sent", ""),
        tally(
            "已超期",
            counts.overdue,
            "?overdue=1",
            if counts.overdue > 0 { "bad" } else { "" },
        ),
        tally(
            "即将到期",
            counts.soon,
            "?stage=sent",
            if counts.soon > 0 { "warn" } else { "" },
        ),
        tally("已报送", counts.reported, "?stage=reported", ""),
        tally("待测评", counts.examined, "?stage=examined", ""),
        tally("已办结", counts.closed, "?stage=closed", ""),
    ];
    let cal = state.store.work_calendar().await?;
    let now = chrono::Utc::now();
    for r in todo {
        let next = match r.stage() {
            Stage::Sent => "请报送研究处理情况报告",
            Stage::Reported => "请审核研究处理情况报告",
            Stage::Examined => "请录入满意度测评结果",
            _ => "",
        };
        p.now.push(Now {
            href: format!("/reviews/{}", r.id),
            title: r.title.clone(),
            detail: next.to_owned(),
            due: r.due_at.filter(|_| r.stage() == Stage::Sent).map(|d| {
                let st = deadline::state(&cal, now, d);
                (st.label(), st.class())
            }),
        });
    }
    p.none = Some("眼下没有等您处理的审议意见。");
    p.links.push(("/reviews".to_owned(), "全部审议意见"));
    if access::is_staff(scope) {
        p.links.push(("/reviews/new".to_owned(), "录入审议意见"));
    }
    Ok(Some(p))
}
