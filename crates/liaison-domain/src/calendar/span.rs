//! Deadline rules (`24h`, `7wd`, `10d`, `3mo`) and when something is due under one on the working-day
//! calendar.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Days, FixedOffset, Months, NaiveTime, TimeDelta, Utc};

use super::{CalendarError, WorkCalendar};

pub(super) const END_OF_DAY: NaiveTime =
    NaiveTime::from_hms_opt(23, 59, 59).expect("23:59:59 is a valid time");

/// A deadline rule: a number of hours (calendar-blind), of working days, or of calendar months (a
/// suggestion's three months to answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    Hours(u32),
    WorkingDays(u32),
    /// Calendar days (自然日).
    Days(u32),
    Months(u32),
}

/// The units a deadline is typed in, in the order a form offers them: (stored suffix, Chinese name).
pub const SPAN_UNITS: [(&str, &str); 4] = [("wd", "工作日"), ("d", "自然日"), ("h", "小时"), ("mo", "个月")];

impl Span {
    /// `24h` / `7wd` / `10d` / `3mo` (case and spaces ignored); the labels `24小时` / `7个工作日` /
    /// `10天` / `3个月` are accepted too.
    pub fn parse(text: &str) -> Result<Span, CalendarError> {
        let text = text.trim();
        let bad = || CalendarError::InvalidSpan(text.to_owned());
        let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
        let n: u32 = number.parse().map_err(|_| bad())?;
        match unit.trim().to_ascii_lowercase().as_str() {
            "h" | "小时" => Ok(Span::Hours(n)),
            "wd" | "个工作日" | "工作日" => Ok(Span::WorkingDays(n)),
            "d" | "天" | "日" | "自然日" | "个自然日" => Ok(Span::Days(n)),
            "mo" | "个月" | "月" => Ok(Span::Months(n)),
            _ => Err(bad()),
        }
    }

    /// A span from a form's number and unit (a suffix of [`SPAN_UNITS`]); the number as typed.
    pub fn from_parts(number: &str, unit: &str) -> Result<Span, CalendarError> {
        let number = number.trim();
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
            return Err(CalendarError::InvalidSpan(number.to_owned()));
        }
        match SPAN_UNITS.iter().find(|(u, _)| *u == unit) {
            Some((u, _)) => Span::parse(&format!("{number}{u}")),
            None => Err(CalendarError::InvalidSpan(format!("{number}{unit}"))),
        }
    }

    /// The number and the unit's suffix, as a form shows them.
    pub fn parts(self) -> (u32, &'static str) {
        match self {
            Span::Hours(n) => (n, "h"),
            Span::WorkingDays(n) => (n, "wd"),
            Span::Days(n) => (n, "d"),
            Span::Months(n) => (n, "mo"),
        }
    }

    /// For people: 「24小时」, 「7个工作日」.
    pub fn label(self) -> String {
        match self {
            Span::Hours(n) => format!("{n}小时"),
            Span::WorkingDays(n) => format!("{n}个工作日"),
            Span::Days(n) => format!("{n}个自然日"),
            Span::Months(n) => format!("{n}个月"),
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Span::Hours(n) => write!(f, "{n}h"),
            Span::WorkingDays(n) => write!(f, "{n}wd"),
            Span::Days(n) => write!(f, "{n}d"),
            Span::Months(n) => write!(f, "{n}mo"),
        }
    }
}

impl FromStr for Span {
    type Err = CalendarError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Span::parse(s)
    }
}

/// When something started at `start` is due under `span`. `Hours(h)`: exactly `h` hours later.
/// `WorkingDays(n)`: 23:59:59 (in `start`'s offset) of the `n`-th working day after `start`'s local
/// date, so counting starts the next day whatever the time of day; `WorkingDays(0)` is the end of
/// `start`'s day if it is a working day, else of the next one. `Months(n)`: 23:59:59 of the same day
/// `n` calendar months later (the month's last day when it is shorter: 30 November + 3 months is 28 or
/// 29 February); a last day that falls on a holiday or weekend moves to the next working day, as
/// statutory periods do. `Days(n)`: 23:59:59 of the `n`-th calendar day after `start`'s date, moved
/// to the next working day in the same way. Saturates (at chrono's latest instant, in UTC) instead of overflowing.
pub fn due_at(cal: &WorkCalendar, start: DateTime<FixedOffset>, span: Span) -> DateTime<FixedOffset> {
    let latest = || DateTime::<Utc>::MAX_UTC.fixed_offset();
    match span {
        Span::Hours(h) => TimeDelta::try_hours(i64::from(h))
            .and_then(|delta| start.checked_add_signed(delta))
            .unwrap_or_else(latest),
        Span::WorkingDays(n) => cal
            .add_working_days(start.date_naive(), n)
            .and_time(END_OF_DAY)
            .and_local_timezone(*start.offset())
            .single()
            .unwrap_or_else(latest),
        Span::Days(n) => start
            .date_naive()
            .checked_add_days(Days::new(u64::from(n)))
            .map(|day| cal.add_working_days(day, 0))
            .and_then(|day| {
                day.and_time(END_OF_DAY)
                    .and_local_timezone(*start.offset())
                    .single()
            })
            .unwrap_or_else(latest),
        Span::Months(n) => start
            .date_naive()
            .checked_add_months(Months::new(n))
            .map(|day| cal.add_working_days(day, 0))
            .and_then(|day| {
                day.and_time(END_OF_DAY)
                    .and_local_timezone(*start.offset())
                    .single()
            })
            .unwrap_or_else(latest),
    }
}
