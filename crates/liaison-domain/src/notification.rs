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
    /// A one-time login code to an account's mobile (`account::sms_login`); about no subject.
    LoginCode,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 12] = [
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
        NoticeKind::LoginCode,
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
            NoticeKind::LoginCode => "login_code",
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
            NoticeKind::LoginCode => "登录验证码",
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

/// Which inbox notices also reach the account's mobile by SMS (when it has one and has not turned
/// alerts off): the ones that ask someone who may not log in every day to act — a new item for a
/// deputy, an assignment (or an item sent back) for a unit, and the deadline alerts for whoever holds
/// the item. Everything else stays in the inbox.
pub fn sms_alert(who: Recipient, kind: NoticeKind) -> bool {
    use NoticeKind as K;
    match who {
        Recipient::Citizen => false,
        Recipient::Deputy => matches!(kind, K::Arrived | K::DueSoon | K::Overdue),
        Recipient::Unit => matches!(
            kind,
            K::Assigned | K::Reopened | K::DueSoon | K::Overdue | K::Supervised
        ),
        Recipient::Staff => matches!(kind, K::DueSoon | K::Overdue),
    }
}

/// The text of an alert SMS to a deputy, a unit or staff: what happened, the item (category and
/// place, never the citizen) and `{link}` to the item's page, which the sender completes.
pub fn alert_sms(kind: NoticeKind, about: &str, receipt: &str) -> String {
    format!(
        "【代表联络】{}：{about}（回执 {receipt}），请登录处理：{{link}}",
        kind.label()
    )
}

/// The text of an alert SMS about an item without a receipt (a suggestion, a project): the workflow's
/// own headline, the item, and `{link}` to its page, which the sender completes.
pub fn alert_text(headline: &str, about: &str) -> String {
    format!("【代表联络】{headline}：{about}，请登录处理：{{link}}")
}

/// Hours (Beijing time) in which alert SMS to staff and deputies are held back and sent when the quiet
/// hours end. `start == end`: no quiet hours. Kept as a setting by the system administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QuietHours {
    /// The first quiet hour (0–23), e.g. 21 for 21:00.
    pub start: u32,
    /// The first hour alerts go again (0–23), e.g. 8 for 08:00.
    pub end: u32,
}

impl Default for QuietHours {
    fn default() -> Self {
        QuietHours { start: 21, end: 8 }
    }
}

impl QuietHours {
    /// Whether the hour (0–23, Beijing) is quiet.
    pub fn is_quiet(self, hour: u32) -> bool {
        if self.start == self.end {
            false
        } else if self.start < self.end {
            (self.start..self.end).contains(&hour)
        } else {
            hour >= self.start || hour < self.end
        }
    }

    /// When an alert due at `now` may be sent: `now`, or the end of the quiet hours it falls in.
    pub fn next_allowed(self, now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
        use chrono::{Duration, Timelike};
        let local = crate::time::local(now);
        if !self.is_quiet(local.hour()) {
            return now;
        }
        let day = if local.hour() >= self.end {
            local.date_naive() + Duration::days(1)
        } else {
            local.date_naive()
        };
        let end = chrono::NaiveTime::from_hms_opt(self.end, 0, 0).unwrap_or_default();
        crate::time::at(day, end).unwrap_or(now)
    }

    /// Checked bounds, for the settings form.
    pub fn validate(self) -> Result<(), &'static str> {
        if self.start > 23 || self.end > 23 {
            Err("请选择 0～23 点")
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Timelike, Utc};

    fn bj(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::DateTime<Utc> {
        crate::time::beijing()
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .expect("valid")
    }

    #[test]
    fn alerts_wait_for_the_end_of_the_quiet_hours() {
        let q = QuietHours::default();
        // 14:30 is not quiet
        assert_eq!(q.next_allowed(bj(2026, 12, 7, 14, 30)), bj(2026, 12, 7, 14, 30));
        // 23:10 waits until 08:00 the next morning, 06:59 until 08:00 the same morning
        assert_eq!(q.next_allowed(bj(2026, 12, 7, 23, 10)), bj(2026, 12, 8, 8, 0));
        assert_eq!(q.next_allowed(bj(2026, 12, 8, 6, 59)), bj(2026, 12, 8, 8, 0));
        assert_eq!(q.next_allowed(bj(2026, 12, 31, 21, 0)), bj(2027, 1, 1, 8, 0));
        // 08:00 and 20:59 go at once
        assert_eq!(q.next_allowed(bj(2026, 12, 8, 8, 0)), bj(2026, 12, 8, 8, 0));
        assert_eq!(q.next_allowed(bj(2026, 12, 8, 20, 59)), bj(2026, 12, 8, 20, 59));
        // a quiet span inside one day (12–14) and none at all
        let noon = QuietHours { start: 12, end: 14 };
        assert_eq!(noon.next_allowed(bj(2026, 12, 8, 13, 0)), bj(2026, 12, 8, 14, 0));
        assert_eq!(noon.next_allowed(bj(2026, 12, 8, 11, 0)), bj(2026, 12, 8, 11, 0));
        let none = QuietHours { start: 0, end: 0 };
        assert!((0..24).all(|h| !none.is_quiet(h)));
        assert!(QuietHours { start: 24, end: 8 }.validate().is_err());
    }

    #[test]
    fn an_alert_never_lands_in_the_quiet_hours_and_never_before_it_was_due() {
        let q = QuietHours::default();
        let start = bj(2026, 12, 7, 0, 0);
        for step in 0..(48 * 4) {
            let now = start + chrono::Duration::minutes(15 * step);
            let at = q.next_allowed(now);
            assert!(at >= now);
            assert!(!q.is_quiet(crate::time::local(at).hour()), "{now} -> {at}");
            assert!(at - now <= chrono::Duration::hours(11));
        }
    }

    #[test]
    fn only_calls_to_act_go_by_sms() {
        assert!(sms_alert(Recipient::Deputy, NoticeKind::Arrived));
        assert!(sms_alert(Recipient::Unit, NoticeKind::Assigned));
        assert!(sms_alert(Recipient::Staff, NoticeKind::Overdue));
        assert!(!sms_alert(Recipient::Staff, NoticeKind::Arrived));
        assert!(!sms_alert(Recipient::Staff, NoticeKind::Replied));
        assert!(!sms_alert(Recipient::Citizen, NoticeKind::Overdue));
        let text = alert_sms(NoticeKind::Assigned, "道路交通 · 城关镇", "ABCD-EFGH");
        assert!(text.contains("新交办事项") && text.contains("{link}") && text.contains("ABCD-EFGH"));
    }

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
