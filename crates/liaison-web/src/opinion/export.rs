//! The work queue as .xlsx: every row of the view with all its dates (submitted, accepted, assigned,
//! replied, rated, closed) and its deadline, the answer the citizen was given, the rating and the
//! citizen's comment on it. No citizen names or phones: numbers typed into the words are masked (the
//! deployment's public numbers kept in the answer and the comment), and so is the citizen's name.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use liaison_domain::{deadline, mask};
use liaison_store::opinion::Opinion;

use crate::layout::local_time;
use crate::{AppState, WebError};

const HEADERS: &[&str] = &[
    "回执码",
    "类别",
    "渠道",
    "地区",
    "站点",
    "代表",
    "状态",
    "主办单位",
    "问题描述",
    "提交时间",
    "受理时间",
    "交办时间",
    "答复时间",
    "评价时间",
    "办结时间",
    "办理期限",
    "期限状态",
    "答复内容",
    "评价",
    "群众评价意见",
    "不满意重办次数",
    "重点督办",
];

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| local_time(&t)).unwrap_or_default()
}

pub async fn workbook(state: &AppState, rows: &[Opinion]) -> Result<Vec<u8>, WebError> {
    let cal = state.store.work_calendar().await?;
    let now = Utc::now();
    let mut dates = HashMap::new();
    let mut comments = HashMap::new();
    for chunk in rows.chunks(500) {
        let ids: Vec<i64> = chunk.iter().map(|o| o.id).collect();
        for d in state.store.step_dates(&ids).await? {
            dates.insert(d.id, d);
        }
        comments.extend(state.store.rating_comments(&ids).await?);
    }
    let public = state.store.public_phones().await?;
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|o| {
            let d = dates.get(&o.id).cloned().unwrap_or_default();
            let words = o.redactor(public.clone());
            let comment = comments.get(&o.id).map(|c| words.text(c)).unwrap_or_default();
            vec![
                liaison_domain::opinion::show_receipt(&o.receipt),
                o.category_label.clone(),
                o.channel().label().to_owned(),
                o.region_name.clone(),
                o.station_name.clone().unwrap_or_default(),
                o.deputy_name.clone().unwrap_or_default(),
                o.stage().label().to_owned(),
                o.lead_unit_name.clone().unwrap_or_default(),
                mask::free_text(&o.description),
                local_time(&o.submitted_at),
                when(d.accepted_at),
                when(d.assigned_at),
                when(d.replied_at),
                when(d.rated_at),
                when(o.closed_at),
                when(o.due_at),
                o.due_at
                    .map(|due| deadline::state(&cal, now, due).label())
                    .unwrap_or_default(),
                words.text(&o.answer),
                o.satisfaction_label().to_owned(),
                comment,
                o.reopen_count.to_string(),
                if o.key_supervision {
                    format!("是（{}）", o.supervisor)
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    crate::excel::write_workbook("群众意见", HEADERS, &cells, &[]).map_err(WebError::Internal)
}
