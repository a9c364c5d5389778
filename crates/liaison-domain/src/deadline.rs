//! Deadlines as people read them: how a due time stands against now, in working days. Pure; the
//! calendar (`crate::calendar`) does the counting, the rules (stage → span) are data in the store.

use chrono::{DateTime, Duration, Utc};

use crate::calendar::{self, Span, WorkCalendar};
use crate::time;

/// How an item's deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueState {
    /// Past due; `days` working days late (0 = later today's deadline passed, same working day).
    Overdue { days: i64 },
    /// Due within the next 24 hours.
    DueSoon,
    /// Due later; `days` working days left.
    OnTime { days: i64 },
}

impl DueState {
    pub fn label(self) -> String {
        match self {
            DueState::Overdue { days: 0 } => "已超期".into(),
            DueState::Overdue { days } => format!("已超期 {days} 个工作日"),
            DueState::DueSoon => "即将到期".into(),
            DueState::OnTime { days } => format!("剩余 {days} 个工作日"),
        }
    }

    /// A CSS class name for the tag.
    pub fn class(self) -> &'static str {
        match self {
            DueState::Overdue { .. } => "bad",
            DueState::DueSoon => "warn",
            DueState::OnTime { .. } => "ok",
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, DueState::Overdue { .. })
    }
}

/// The window in which a deadline counts as due soon.
pub fn soon_window() -> Duration {
    Duration::hours(24)
}

/// Where `due` stands at `now`.
pub fn state(cal: &WorkCalendar, now: DateTime<Utc>, due: DateTime<Utc>) -> DueState {
    let (today, due_day) = (time::local(now).date_naive(), time::local(due).date_naive());
    if due < now {
        DueState::Overdue {
            days: cal.working_days_between(due_day, today).max(0),
        }
    } else if due - now <= soon_window() {
        DueState::DueSoon
    } else {
        DueState::OnTime {
            days: cal.working_days_between(today, due_day).max(0),
        }
    }
}

/// When a stage that begins at `start` is due under `span` (in UTC for storage).
pub fn due_from(cal: &WorkCalendar, start: DateTime<Utc>, span: Span) -> DateTime<Utc> {
    calendar::due_at(cal, time::local(start), span).with_timezone(&Utc)
}

/// The first working-day deadline's year that the calendar has not been entered for, if any (the
/// caller shows `calendar::missing_year_warning`).
pub fn uncovered_year(cal: &WorkCalendar, start: DateTime<Utc>, due: DateTime<Utc>) -> Option<i32> {
    cal.uncovered_years(time::local(start).date_naive(), time::local(due).date_naive())
        .into_iter()
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn bj(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        time::beijing()
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_unit_assigned_before_national_day() {
        let cal = WorkCalendar::built_in();
        // assigned Wednesday 30 September 2026; 7 working days skip the 1–7 October holiday
        let due = due_from(&cal, bj(2026, 9, 30, 10), Span::WorkingDays(7));
        // 8, 9, 10 (Saturday worked), 12, 13, 14, 15 October
        assert_eq!(
            due,
            bj(2026, 10, 15, 23) + Duration::minutes(59) + Duration::seconds(59)
        );
        assert_eq!(state(&cal, bj(2026, 10, 9, 9), due), DueState::OnTime { days: 5 });
        assert_eq!(state(&cal, bj(2026, 10, 15, 9), due), DueState::DueSoon);
        assert_eq!(
            state(&cal, bj(2026, 10, 19, 9), due),
            DueState::Overdue { days: 2 }
        );
        assert_eq!(DueState::Overdue { days: 2 }.label(), "已超期 2 个工作日");
    }

    #[test]
    fn hours_ignore_the_calendar_and_unentered_years_are_named() {
        let cal = WorkCalendar::built_in();
        let start = bj(2026, 10, 1, 8);
        assert_eq!(due_from(&cal, start, Span::Hours(24)), bj(2026, 10, 2, 8));
        assert_eq!(uncovered_year(&cal, start, bj(2026, 10, 20, 8)), None);
        let late = bj(2026, 12, 28, 8);
        let due = due_from(&cal, late, Span::WorkingDays(7));
        assert_eq!(uncovered_year(&cal, late, due), Some(2027));
    }
}
