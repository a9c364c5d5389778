//! The opinion (群众意见) handling loop as a pure state machine. Every change is an event; the current
//! status is the fold of the events from the start, so the history is the truth and the cached columns
//! in the database are only a convenience for queues.
//!
//! 提交 → (代表直接答复 | 转交站点/乡镇) → 登记受理 (或不予受理 / 当场答复) → 分类交办 (或上报县级) →
//! 承办单位答复 (或退回交办) → 反馈群众 → 回访评价 (不满意则重新交办给原承办单位) → 办结 → 公示

use serde::{Deserialize, Serialize};

use crate::mask::Redactor;

pub mod access;
pub mod action;
pub mod attachment;
pub mod channel;
pub mod duplicate;
pub mod machine;
pub mod notify;
pub mod receipt;
pub mod received;
pub mod routing;
pub mod similar;
pub mod submission;
pub mod takeover;
pub mod template;

pub use crate::opinion::action::{Action, ActionFields, Capacity, Satisfaction};
pub use crate::opinion::channel::Channel;
pub use crate::opinion::machine::{Holder, Status, TransitionError};
pub use crate::opinion::receipt::{RECEIPT_LEN, new_receipt, parse_receipt, show_receipt};

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Just in: in the deputy's inbox (deputy's code) or the station's (station's code or a staff record).
    Submitted,
    /// The deputy handed it to the station or township for registration.
    Referred,
    /// Registered (登记受理); waiting to be assigned or answered.
    Accepted,
    /// Assigned to a lead handling unit (交办).
    Assigned,
    /// The unit has replied; the deputy or station passes the answer on.
    Replied,
    /// The citizen has the answer; waiting for the rating (回访).
    Answered,
    /// 办结: rated 满意 or 基本满意.
    Closed,
    /// 不予受理, with a reason. Final.
    Declined,
    /// 公示: the outcome is on the public list. Final.
    Published,
    /// Merged into another item on the same matter (重复反映); its citizen follows the survivor. Final.
    Merged,
}

impl Stage {
    pub const ALL: [Stage; 10] = [
        Stage::Submitted,
        Stage::Referred,
        Stage::Accepted,
        Stage::Assigned,
        Stage::Replied,
        Stage::Answered,
        Stage::Closed,
        Stage::Declined,
        Stage::Published,
        Stage::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Submitted => "submitted",
            Stage::Referred => "referred",
            Stage::Accepted => "accepted",
            Stage::Assigned => "assigned",
            Stage::Replied => "replied",
            Stage::Answered => "answered",
            Stage::Closed => "closed",
            Stage::Declined => "declined",
            Stage::Published => "published",
            Stage::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// For staff.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Submitted => "新收到",
            Stage::Referred => "待登记",
            Stage::Accepted => "已受理，待交办",
            Stage::Assigned => "承办中",
            Stage::Replied => "已答复，待反馈",
            Stage::Answered => "待评价",
            Stage::Closed => "已办结",
            Stage::Declined => "不予受理",
            Stage::Published => "已公示",
            Stage::Merged => "已合并",
        }
    }

    /// For the citizen's tracking page: plain words, nothing internal.
    pub fn public_label(self) -> &'static str {
        match self {
            Stage::Submitted | Stage::Referred => "已收到，正在登记",
            Stage::Accepted => "已受理",
            Stage::Assigned => "正在办理",
            Stage::Replied | Stage::Answered => "已答复，请您评价",
            Stage::Closed | Stage::Published => "已办结",
            Stage::Declined => "未予受理",
            Stage::Merged => "已与相同问题合并办理",
        }
    }

    /// For the tracking page of an item merged into this one: the survivor's progress in plain words,
    /// without asking for a rating (the survivor's citizen rates its answer).
    pub fn follower_label(self) -> &'static str {
        match self {
            Stage::Replied | Stage::Answered => "已答复",
            s => s.public_label(),
        }
    }

    pub fn is_final(self) -> bool {
        matches!(self, Stage::Declined | Stage::Published | Stage::Merged)
    }

    /// Someone still has to act (未办结): neither final nor closed. Only open items have a deadline.
    pub fn is_open(self) -> bool {
        !self.is_final() && self != Stage::Closed
    }
}

/// The text proposed for the public list: category, place, what was asked and what was done, with
/// every number that is not public and the citizen's name masked (`redactor`). Staff review it before
/// it is published (one by one, or in a batch).
pub fn proposed_public_text(
    category: &str,
    place: &str,
    description: &str,
    answer: &str,
    redactor: &Redactor,
) -> String {
    format!(
        "【{category}】{place}群众反映：{}\n办理结果：{}",
        redactor.text(description),
        redactor.text(answer)
    )
}

/// What reaches the public list from the reviewed text: required, and any number typed into it that
/// is not one of the deployment's public numbers masked (so are the names `redactor` knows).
pub fn public_text(reviewed: &str, redactor: &Redactor) -> Result<String, crate::DomainError> {
    let t = reviewed.trim();
    if t.is_empty() {
        return Err(crate::DomainError::Field {
            field: "public_text",
            message: "请填写公示内容",
        });
    }
    Ok(redactor.text(t))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::mask::PublicPhones;

    /// The probe saw a unit's office number masked while a mobile in Chinese numerals went out.
    #[test]
    fn published_text_keeps_office_numbers_and_masks_every_mobile() {
        let r = Redactor::new(Arc::new(PublicPhones::new(["0974-8512345"]))).with_name("王秀英");
        let t = public_text(
            "王秀英反映路灯坏了，留电话一三八一二三四五六七八；已修复，咨询电话0974-8512345",
            &r,
        )
        .unwrap();
        assert_eq!(
            t,
            "王**反映路灯坏了，留电话一三八******七八；已修复，咨询电话0974-8512345"
        );
        let p = proposed_public_text("路灯", "东香卡村", "电话138.1234.5678", "已修", &r);
        assert_eq!(p, "【路灯】东香卡村群众反映：电话138.****.**78\n办理结果：已修");
        assert!(public_text("  ", &r).is_err());
    }
}
