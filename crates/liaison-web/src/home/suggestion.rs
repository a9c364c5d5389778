//! The home page's suggestion panel (代表建议): the caller's counts that open the filtered list, and the
//! few items whose next step is the caller's — a co-signature to confirm, a reply to rate, an item to
//! register or assign, a reply or 会签 to give — soonest deadline first.

use liaison_domain::deadline;
use liaison_domain::suggestion::{Stage, access};

use super::{Now, Panel, Tally};
use crate::ctx::Staff;
use crate::{AppState, WebError};

/// How many items the panel lists.
const NOW_ITEMS: i64 = 5;

pub async fn panel(state: &AppState, staff: &Staff) -> Result<Option<Panel>, WebError> {
    let scope = &staff.scope;
    if !access::has_suggestions(scope) {
        return Ok(None);
    }
    let counts = state.store.suggestion_counts(scope, None).await?;
    let todo = state.store.suggestion_todo(scope, NOW_ITEMS).await?;
    if counts.all == 0 && todo.is_empty() && !access::is_staff(scope) {
        return Ok(None);
    }
    let mut p = Panel::new("panel-suggestions", "代表建议");
    let tally = |label, n: i64, href: &str, class| Tally {
        label,
        shown: n.to_string(),
        href: Some(format!("/suggestions?meeting=all{href}")),
        class,
    };
    p.tallies = vec![
        tally("办理中", counts.handling, "&stage=assigned", ""),
        tally(
            "已超期",
            counts.overdue,
            "&overdue=1",
            if counts.overdue > 0 { "bad" } else { "" },
        ),
        tally(
            "即将到期",
            counts.soon,
            "&stage=assigned",
            if counts.soon > 0 { "warn" } else { "" },
        ),
        tally("待测评", counts.replied, "&stage=replied", ""),
        tally("重点督办", counts.key, "&key=1", ""),
    ];
    if access::is_staff(scope) {
        p.tallies
            .insert(0, tally("待立案交办", counts.office, "&stage=office", ""));
    }
    let cal = state.store.work_calendar().await?;
    let now = chrono::Utc::now();
    for s in todo {
        let next = match s.stage() {
            Stage::Cosigning if s.proposer_id == scope.person_id => "请提交",
            Stage::Cosigning => "请确认联名",
            Stage::Submitted => "待立案",
            Stage::Registered => "待交办",
            Stage::Returned => "已退回，请修改后重新提交",
            Stage::Assigned if s.lead_unit_id == scope.unit_id => "请答复",
            Stage::Assigned => "请会签",
            Stage::Replied => "请测评",
            _ => "",
        };
        p.now.push(Now {
            href: format!("/suggestions/{}", s.id),
            title: s.title.clone(),
            detail: next.to_owned(),
            due: s.due_at.filter(|_| s.stage() == Stage::Assigned).map(|d| {
                let st = deadline::state(&cal, now, d);
                (st.label(), st.class())
            }),
        });
    }
    p.none = Some("眼下没有等您处理的建议。");
    p.links.push(("/suggestions".to_owned(), "全部建议"));
    if access::is_deputy(scope) || access::is_staff(scope) {
        p.links.push(("/suggestions/new".to_owned(), "提出建议"));
    }
    Ok(Some(p))
}
