//! `/suggestions/export.xlsx`: the list as filtered, every row with all its dates (submitted,
//! registered, assigned, signed off, replied, rated, closed), its deadline, the reply class and text,
//! and the proposer's rating. Deputies' names only; no other personal data is held on an item.

use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use liaison_domain::opinion::Satisfaction;
use liaison_domain::suggestion::access;
use liaison_domain::time;

use super::{ListQuery, filter_of};
use crate::ctx::Staff;
use crate::extract::Query;
use crate::layout::local_time;
use crate::{AppState, WebError};

const HEADERS: &[&str] = &[
    "编号",
    "届次",
    "类型",
    "标题",
    "领衔代表",
    "类别",
    "状态",
    "主办单位",
    "提交时间",
    "立案时间",
    "交办时间",
    "会签时间",
    "答复时间",
    "测评时间",
    "办结时间",
    "办理期限",
    "答复类别",
    "答复内容",
    "代表评价",
    "不满意重办次数",
    "重点督办",
];

/// Most rows an export holds.
const EXPORT_MAX: usize = 20_000;

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| local_time(&t)).unwrap_or_default()
}

/// `GET /suggestions/export.xlsx`
pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let scope = &staff.scope;
    if !access::has_suggestions(scope) {
        return Err(WebError::Forbidden);
    }
    let meetings = state.store.meetings(scope).await?;
    let f = filter_of(&q, &meetings)?;
    let mut rows = Vec::new();
    let mut before = None;
    loop {
        let page = state.store.suggestions(scope, &f, before, 1000).await?;
        let done = page.len() < 1000;
        before = page.last().map(|r| r.id);
        rows.extend(page);
        if done || rows.len() >= EXPORT_MAX {
            break;
        }
    }
    rows.truncate(EXPORT_MAX);
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|s| {
            vec![
                s.number_label(),
                s.meeting_name.clone(),
                s.kind().label().to_owned(),
                s.title.clone(),
                s.proposer_name.clone().unwrap_or_else(|| s.group_name.clone()),
                s.category_label.clone().unwrap_or_default(),
                s.stage().label().to_owned(),
                s.lead_unit_name.clone().unwrap_or_default(),
                when(s.submitted_at),
                when(s.registered_at),
                when(s.assigned_at),
                when(s.signed_at),
                when(s.replied_at),
                when(s.rated_at),
                when(s.closed_at),
                when(s.due_at),
                s.reply_class.clone().unwrap_or_default(),
                s.reply_text.clone(),
                s.satisfaction
                    .as_deref()
                    .and_then(Satisfaction::parse)
                    .map(|x| x.label().to_owned())
                    .unwrap_or_default(),
                s.reopen_count.to_string(),
                if s.key_item {
                    format!("是（{}）", s.supervisor)
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let bytes = crate::excel::write_workbook("代表建议", HEADERS, &cells, &[]).map_err(WebError::Internal)?;
    let name = format!("代表建议{}.xlsx", time::now_beijing().format("%Y%m%d"));
    Ok(crate::registry::excel_io::xlsx_response(bytes, &name))
}
