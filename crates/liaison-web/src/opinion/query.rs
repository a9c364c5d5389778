//! What a queue view asks for (`QueueQuery`: tab, filters, search, layout) and the queue and filter
//! it resolves to for the caller: the tabs they have, the parsed filters, and the audited phone search.

use chrono::Utc;
use liaison_domain::RegionCode;
use liaison_domain::opinion::{Channel, Stage};
use liaison_store::opinion::Queue;
use liaison_store::opinion::queue::{Due, QueueFilter, Sort};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::{AppState, WebError};

#[derive(Deserialize, Default, Clone)]
pub struct QueueQuery {
    #[serde(default)]
    pub tab: String,
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub station: String,
    #[serde(default)]
    pub deputy: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub due: String,
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub sort: String,
    /// `1`: only items flagged 疑似重复 (the region queue).
    #[serde(default)]
    pub dup: String,
    /// Newest first: the id of the last item shown. By deadline: `after`, the (due time, id) of the
    /// last item shown. A malformed position is the first page.
    #[serde(default)]
    pub before: String,
    #[serde(default)]
    pub after: String,
    /// A receipt code, or a word of the description.
    #[serde(default)]
    pub q: String,
    /// The last 4 digits of the citizen's phone (the search is audited).
    #[serde(default)]
    pub phone4: String,
    /// A handling unit the items are assigned to.
    #[serde(default)]
    pub unit: String,
    /// `table`: the dense table for a PC; the cards otherwise.
    #[serde(default)]
    pub view: String,
}

impl QueueQuery {
    /// The query string of this view without the page position.
    pub(super) fn base(&self, tab: &str) -> String {
        let pairs = [
            ("tab", tab),
            ("stage", &self.stage),
            ("category", &self.category),
            ("region", &self.region),
            ("station", &self.station),
            ("deputy", &self.deputy),
            ("channel", &self.channel),
            ("from", &self.from),
            ("to", &self.to),
            ("due", &self.due),
            ("key", &self.key),
            ("sort", &self.sort),
            ("dup", &self.dup),
            ("q", &self.q),
            ("phone4", &self.phone4),
            ("unit", &self.unit),
            ("view", &self.view),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::error::urlencode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The tabs this caller has: (key, label).
pub(crate) fn tabs_of(staff: &Staff) -> Vec<(&'static str, &'static str)> {
    let s = &staff.scope;
    let mut t = Vec::new();
    if liaison_domain::opinion::access::answers_as_deputy(s) {
        t.push(("deputy", "我的代表信箱"));
    }
    if liaison_domain::opinion::access::answers_as_unit(s) {
        t.push(("unit", "本单位承办"));
    }
    if liaison_domain::opinion::access::has_staff_queue(s) {
        t.push(("region", "本辖区"));
    }
    t
}

fn day(s: &str, field: &str) -> Result<Option<chrono::DateTime<Utc>>, WebError> {
    super::beijing_day(s, field, 0, 0, 0, ("日期格式应为 2026-11-01", "日期无效"))
}

fn id_param(s: &str, field: &str, message: &str) -> Result<Option<i64>, WebError> {
    match s.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| WebError::invalid(field, message)),
    }
}

/// The queue and filter a query asks for (checked against the caller's tabs).
pub fn resolve(staff: &Staff, q: &QueueQuery) -> Result<(&'static str, Queue, QueueFilter), WebError> {
    let tabs = tabs_of(staff);
    let tab = tabs
        .iter()
        .find(|(k, _)| *k == q.tab)
        .or(tabs.first())
        .map(|(k, _)| *k)
        .ok_or(WebError::Forbidden)?;
    let queue = match tab {
        "deputy" => Queue::Deputy(staff.scope.person_id.ok_or(WebError::Forbidden)?),
        "unit" => Queue::Unit(staff.scope.unit_id.ok_or(WebError::Forbidden)?),
        _ => Queue::Region,
    };
    let stages: Vec<Stage> = match q.stage.as_str() {
        "" => vec![],
        "open" => Stage::ALL.into_iter().filter(|s| s.is_open()).collect(),
        s => vec![Stage::parse(s).ok_or_else(|| WebError::invalid("stage", "状态无效"))?],
    };
    let region = match q.region.trim() {
        "" => None,
        r => Some(RegionCode::parse(r).map_err(|_| WebError::invalid("region", "行政区代码无效"))?),
    };
    let search = Some(q.q.trim()).filter(|s| !s.is_empty());
    if search.is_some_and(|s| s.chars().count() > 50) {
        return Err(WebError::invalid("q", "查找内容不能超过 50 个字"));
    }
    let from = day(&q.from, "from")?;
    let to = day(&q.to, "to")?.map(|t| t + chrono::Duration::days(1));
    let filter = QueueFilter {
        stages,
        category: (!q.category.trim().is_empty()).then(|| q.category.trim().to_owned()),
        region,
        station: id_param(&q.station, "station", "站点无效")?,
        person: id_param(&q.deputy, "deputy", "代表无效")?,
        channel: match q.channel.as_str() {
            "" => None,
            c => Some(Channel::parse(c).ok_or_else(|| WebError::invalid("channel", "渠道无效"))?),
        },
        from,
        to,
        due: match q.due.as_str() {
            "overdue" => Due::Overdue,
            "soon" => Due::Soon,
            _ => Due::Any,
        },
        key_only: q.key == "1",
        // 疑似重复 is a region-queue view
        dup: tab == "region" && q.dup == "1",
        sort: if q.sort == "due" { Sort::Due } else { Sort::Newest },
        receipt: search.and_then(liaison_domain::opinion::parse_receipt),
        keyword: search
            .filter(|s| liaison_domain::opinion::parse_receipt(s).is_none())
            .map(str::to_owned),
        unit: id_param(&q.unit, "unit", "承办单位无效")?,
        phone_tail: None,
    };
    Ok((tab, queue, filter))
}

/// The filter with the phone search, if asked for: staff of the region queue only, audited by the
/// store (`phone_tail_search`).
pub(super) async fn with_phone(
    state: &AppState,
    staff: &Staff,
    tab: &str,
    q: &QueueQuery,
    mut filter: QueueFilter,
) -> Result<QueueFilter, WebError> {
    if q.phone4.trim().is_empty() {
        return Ok(filter);
    }
    if tab != "region" {
        return Err(WebError::invalid("phone4", "只有办理人员可以按群众手机尾号查找"));
    }
    let tail = state
        .store
        .phone_tail_search(&staff.scope, &staff.actor(), &q.phone4)
        .await?;
    filter.phone_tail = Some(tail);
    Ok(filter)
}
