//! The item's history as staff read it (办理过程): its workflow events, and beside them what happened
//! around the workflow — a 督办单 issued to the unit and the unit's 签收 — in the order it happened.
//! Also the citizen's last 不满意 with its reason, which the unit reads above its reply box.

use chrono::{DateTime, Utc};
use liaison_domain::opinion::{Action, Satisfaction};
use liaison_store::opinion::Event;
use liaison_store::supervision::SupervisionNotice;

/// One line of the history.
pub struct Line {
    pub label: String,
    /// The stage it led to, for workflow steps.
    pub stage: &'static str,
    pub at: DateTime<Utc>,
    pub who: String,
    pub note: String,
}

/// The events and the notices' issue and 签收, oldest first (a step and a notice at the same moment:
/// the step first).
pub fn lines(events: &[Event], notices: &[SupervisionNotice]) -> Vec<Line> {
    let mut out: Vec<Line> = events
        .iter()
        .map(|e| Line {
            label: e.action_label().to_owned(),
            stage: e.stage_label(),
            at: e.at,
            who: match &e.account_name {
                Some(n) => format!("{} {n}", e.actor_label()),
                None => e.actor_label().to_owned(),
            },
            note: e.note.clone(),
        })
        .collect();
    for n in notices {
        let unit = n.unit_name.clone().unwrap_or_else(|| "承办单位".into());
        out.push(Line {
            label: format!("发出督办单 {}", n.number),
            stage: "",
            at: n.issued_at,
            who: format!("工作人员 {}", n.issued_by_name.as_deref().unwrap_or(""))
                .trim_end()
                .to_owned(),
            note: format!("督办{unit}：{}", n.demand),
        });
        if let Some(at) = n.acknowledged_at {
            out.push(Line {
                label: format!("签收督办单 {}", n.number),
                stage: "",
                at,
                who: format!("{unit} {}", n.acknowledged_by_name.as_deref().unwrap_or(""))
                    .trim_end()
                    .to_owned(),
                note: n.ack_note.clone(),
            });
        }
    }
    // a stable sort keeps the steps in their recorded order
    out.sort_by_key(|l| l.at);
    out
}

/// The citizen's (or the phone follow-up's) last 不满意 on an item that went back to the unit: when,
/// and the reason given.
pub fn last_complaint(events: &[Event]) -> Option<&Event> {
    events.iter().rev().find(|e| {
        matches!(
            serde_json::from_str::<Action>(&e.data),
            Ok(Action::Rate {
                satisfaction: Satisfaction::Unsatisfied
            })
        )
    })
}
