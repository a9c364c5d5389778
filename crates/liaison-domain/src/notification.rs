//! Notifications about any subject (an opinion now; suggestions, activities and ratings later): who is
//! told ([`Recipient`]), how ([`NoticeChannel`]: the inbox of an account, or an SMS to a citizen), what
//! happened ([`NoticeKind`]), the outbox row's idempotency key and the SMS retry schedule. Which
//! occasion tells whom is each workflow's own rule (e.g. `opinion::notify`).

/// Who is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Recipient {
    /// The person who reported it, by SMS to the phone they gave.
    Citizen,
    /// The deputy the item reached (the accounts that speak for that person).
    Deputy,
    /// The staff who handle the item (see `opinion::notify::pick_staff`).
    Staff,
    /// The accounts of the lead handling unit.
    Unit,
}

impl Recipient {
    pub fn as_str(self) -> &'static str {
        match self {
            Recipient::Citizen => "citizen",
            Recipient::Deputy => "deputy",
            Recipient::Staff => "staff",
            Recipient::Unit => "unit",
        }
    }

    /// The citizen has no account: SMS. Everyone else reads the inbox.
    pub fn channel(self) -> NoticeChannel {
        match self {
            Recipient::Citizen => NoticeChannel::Sms,
            _ => NoticeChannel::Inbox,
        }
    }
}

/// How a notice travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeChannel {
    Inbox,
    Sms,
}

impl NoticeChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeChannel::Inbox => "inbox",
            NoticeChannel::Sms => "sms",
        }
    }
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// A new item reached the recipient (submitted, handed over, escalated).
    Arrived,
    /// 登记受理.
    Accepted,
    /// 交办 to a unit.
    Assigned,
    /// An answer: the unit's reply, the deputy's direct answer, an answer on the spot.
    Replied,
    /// The unit returned a wrong assignment (退回交办).
    Returned,
    /// 不满意: the item is back for handling.
    Reopened,
    /// 办结.
    Closed,
    /// The deadline of the current stage is near (deadline sweep).
    DueSoon,
    /// The deadline has passed (deadline sweep).
    Overdue,
    /// 督办 (supervision).
    Supervised,
    /// Merged into a similar item (合并办理); the citizen follows the survivor from now on.
    Merged,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 11] = [
        NoticeKind::Arrived,
        NoticeKind::Accepted,
        NoticeKind::Assigned,
        NoticeKind::Replied,
        NoticeKind::Returned,
        NoticeKind::Reopened,
        NoticeKind::Closed,
        NoticeKind::DueSoon,
        NoticeKind::Overdue,
        NoticeKind::Supervised,
        NoticeKind::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Arrived => "arrived",
            NoticeKind::Accepted => "accepted",
            NoticeKind::Assigned => "assigned",
            NoticeKind::Replied => "replied",
            NoticeKind::Returned => "returned",
            NoticeKind::Reopened => "reopened",
            NoticeKind::Closed => "closed",
            NoticeKind::DueSoon => "due_soon",
            NoticeKind::Overdue => "overdue",
            NoticeKind::Supervised => "supervised",
            NoticeKind::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// What the inbox says.
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Arrived => "新的群众意见",
            NoticeKind::Accepted => "已受理",
            NoticeKind::Assigned => "新交办事项",
            NoticeKind::Replied => "承办单位已答复",
            NoticeKind::Returned => "承办单位退回交办",
            NoticeKind::Reopened => "群众不满意，请重新办理",
            NoticeKind::Closed => "已办结",
            NoticeKind::DueSoon => "即将到期",
            NoticeKind::Overdue => "已超期",
            NoticeKind::Supervised => "督办",
            NoticeKind::Merged => "已合并办理",
        }
    }

    /// The SMS text used when the `sms_template` row for this kind is missing. Placeholders:
    /// `{receipt}` (ABCD-EFGH), `{stage}` (the tracking page's words), `{link}` (the tracking page).
    pub fn default_sms(self) -> &'static str {
        match self {
            NoticeKind::Accepted => "您反映的问题已受理（回执码{receipt}），办理进度：{link}",
            NoticeKind::Assigned => "您反映的问题（回执码{receipt}）{stage}，已交承办单位。办理进度：{link}",
            NoticeKind::Replied => "您反映的问题已有答复（回执码{receipt}），请查看并评价：{link}",
            NoticeKind::Closed => "您反映的问题已办结（回执码{receipt}），感谢您的支持。",
            NoticeKind::Merged => "您反映的问题（回执码{receipt}）已与相近问题合并办理，办理进度：{link}",
            _ => "您反映的问题（回执码{receipt}）{stage}。办理进度：{link}",
        }
    }
}

/// The outbox row's idempotency key: `{occasion}:{recipient}:{account or phone}:{channel}`, where the
/// occasion of an item's step is `{opinion}:{seq}` (so the key reads `{opinion}:{seq}:citizen:{phone}:sms`).
pub fn dedupe_key(occasion: &str, who: Recipient, target: &str, channel: NoticeChannel) -> String {
    format!("{occasion}:{}:{target}:{}", who.as_str(), channel.as_str())
}

/// Sending attempts before a message is given up ('failed', kept for an administrator).
pub const MAX_ATTEMPTS: i32 = 8;

/// Seconds to wait after the `attempts`-th failed attempt: 30 s, 60 s, 120 s, … capped at an hour.
pub fn retry_delay_secs(attempts: i32) -> i64 {
    let n = attempts.clamp(1, 16) - 1;
    (30i64 << n).min(3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_kinds_and_backoff() {
        assert_eq!(
            dedupe_key("12:3", Recipient::Citizen, "13912345678", NoticeChannel::Sms),
            "12:3:citizen:13912345678:sms"
        );
        assert_eq!(retry_delay_secs(1), 30);
        assert_eq!(retry_delay_secs(2), 60);
        assert_eq!(retry_delay_secs(7), 1920);
        assert_eq!(retry_delay_secs(8), 3600);
        assert_eq!(retry_delay_secs(100), 3600);
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(k.as_str()), Some(k));
        }
    }
}
