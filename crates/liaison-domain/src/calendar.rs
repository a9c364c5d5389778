//! The working-day calendar used for deadlines (办理期限): Monday–Friday, corrected by the State
//! Council's yearly public-holiday arrangements (放假调休).
//!
//! A working day is (Mon–Fri and not inside an `off` range) or listed in `work`. A year without an
//! arrangement counts Mon–Fri only; callers ask [`WorkCalendar::uncovered_years`] and show
//! [`missing_year_warning`] so nobody mistakes such a deadline for an exact one.
//!
//! The built-in arrangements ship in `data/calendar/cn-holidays.toml` ([`BUILT_IN`]); an administrator
//! may enter further years (or correct one) through a form ([`YearArrangement::parse_text`]), and those
//! override the built-in year of the same number.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use thiserror::Error;

mod arrangement;
mod reminder;
mod span;

pub use arrangement::{YearArrangement, parse_toml};
pub use reminder::entry_reminder;
pub use span::{SPAN_UNITS, Span, due_at};

/// The built-in calendar file (TOML, `[YYYY]` tables with `source`, `off` and `work`).
pub const BUILT_IN: &str = include_str!("../data/cn-holidays.toml");

/// The warning shown when a deadline runs through a year whose arrangement has not been entered.
pub fn missing_year_warning(year: i32) -> String {
    format!("{year}年的放假安排尚未录入，期限按周一至周五计算")
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    #[error("{0} 不是有效日期")]
    InvalidDate(String),
    #[error("“{0}”不是有效年份（应为四位数字）")]
    InvalidYear(String),
    #[error("{date} 不在{year}年内")]
    OutsideYear { date: NaiveDate, year: i32 },
    #[error("放假区间 {from} 至 {to} 的开始日期晚于结束日期")]
    ReversedRange { from: NaiveDate, to: NaiveDate },
    #[error("放假区间 {} 至 {} 与 {} 至 {} 重叠", .first.0, .first.1, .second.0, .second.1)]
    OverlappingRanges {
        first: (NaiveDate, NaiveDate),
        second: (NaiveDate, NaiveDate),
    },
    #[error("调休上班日 {0} 不是周末")]
    WorkdayNotWeekend(NaiveDate),
    #[error("调休上班日 {0} 在放假区间内")]
    WorkdayInsideOff(NaiveDate),
    #[error("调休上班日 {0} 重复")]
    DuplicateWorkday(NaiveDate),
    #[error("“{0}”无法识别：应为一个日期，或“开始日期 至 结束日期”")]
    BadRange(String),
    #[error("{field}第{line}行：{error}")]
    AtLine {
        field: &'static str,
        line: usize,
        error: Box<CalendarError>,
    },
    #[error("日历文件格式错误：{0}")]
    Format(String),
    #[error("期限“{0}”无法识别：应写作如 24h（24小时）、7wd（7个工作日）、10d（10个自然日）或 3mo（3个月）")]
    InvalidSpan(String),
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

fn last_day_of_year(day: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(day.year(), 12, 31).unwrap_or(NaiveDate::MAX)
}

/// Mon–Fri in `from..=to` (`from <= to`), in constant time.
fn weekdays_in(from: NaiveDate, to: NaiveDate) -> i64 {
    let days = (to - from).num_days() + 1;
    let mut count = days / 7 * 5;
    let mut weekday = from.weekday();
    for _ in 0..days % 7 {
        if !matches!(weekday, Weekday::Sat | Weekday::Sun) {
            count += 1;
        }
        weekday = weekday.succ();
    }
    count
}

/// A year with an arrangement, expanded to one flag per day (index = day of year − 1).
#[derive(Debug, Clone)]
struct CoveredYear {
    arrangement: YearArrangement,
    working: Vec<bool>,
}

impl CoveredYear {
    /// Never fails: dates outside the year are ignored, so even an unvalidated arrangement gives a
    /// well-defined calendar (`work` wins over `off`, as in the definition).
    fn new(arrangement: YearArrangement) -> Option<Self> {
        let first = NaiveDate::from_ymd_opt(arrangement.year, 1, 1)?;
        let last = last_day_of_year(first);
        let mut working: Vec<bool> = first
            .iter_days()
            .take_while(|d| *d <= last)
            .map(|d| !is_weekend(d))
            .collect();
        for &(from, to) in &arrangement.off {
            for day in from.max(first).iter_days().take_while(|d| *d <= to.min(last)) {
                if let Some(flag) = working.get_mut(day.ordinal0() as usize) {
                    *flag = false;
                }
            }
        }
        for &day in &arrangement.work {
            if day.year() == arrangement.year
                && let Some(flag) = working.get_mut(day.ordinal0() as usize)
            {
                *flag = true;
            }
        }
        Some(CoveredYear { arrangement, working })
    }
}

/// Working days across years: the arrangements entered, Mon–Fri elsewhere. Date arithmetic saturates
/// at the ends of the representable range instead of panicking.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    years: BTreeMap<i32, CoveredYear>,
}

impl WorkCalendar {
    /// A calendar of these arrangements; a later one for the same year replaces an earlier one (so pass
    /// the built-in years first, then the administrator's).
    pub fn new(arrangements: impl IntoIterator<Item = YearArrangement>) -> Self {
        let mut calendar = WorkCalendar::default();
        for arrangement in arrangements {
            calendar.insert(arrangement);
        }
        calendar
    }

    /// The calendar shipped with the product ([`BUILT_IN`]). Should that file ever fail to parse (a test
    /// guards against it), the calendar is empty and every year is reported as not entered.
    pub fn built_in() -> Self {
        parse_toml(BUILT_IN).map(WorkCalendar::new).unwrap_or_default()
    }

    /// Adds or replaces the arrangement of its year.
    pub fn insert(&mut self, arrangement: YearArrangement) {
        let year = arrangement.year;
        if let Some(covered) = CoveredYear::new(arrangement) {
            self.years.insert(year, covered);
        }
    }

    pub fn arrangement(&self, year: i32) -> Option<&YearArrangement> {
        self.years.get(&year).map(|y| &y.arrangement)
    }

    /// Whether the year's arrangement has been entered.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// The years with an arrangement, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// The years from `from`'s to `to`'s (either order) without an arrangement, ascending.
    pub fn uncovered_years(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        let (low, high) = if from <= to { (from, to) } else { (to, from) };
        (low.year()..=high.year()).filter(|y| !self.covers(*y)).collect()
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.years.get(&day.year()) {
            Some(covered) => covered
                .working
                .get(day.ordinal0() as usize)
                .copied()
                .unwrap_or(false),
            None => !is_weekend(day),
        }
    }

    /// The first working day strictly after `day`.
    pub fn next_working_day(&self, day: NaiveDate) -> NaiveDate {
        self.add_working_days(day, 1)
    }

    /// The `n`-th working day strictly after `start`; for `n = 0`, `start` itself if it is a working
    /// day, else the next one.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 && self.is_working_day(start) {
            return start;
        }
        let mut remaining = i64::from(n.max(1));
        let mut before = start;
        loop {
            let Some(first) = before.succ_opt() else {
                return NaiveDate::MAX;
            };
            let last = last_day_of_year(first);
            let here = self.count_within_year(first, last);
            if here >= remaining {
                return self.nth_within_year(first, remaining);
            }
            remaining -= here;
            before = last;
        }
    }

    /// The number of working days in `(a, b]`; negative (`-(working days in (b, a])`) when `b < a`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        match a.cmp(&b) {
            std::cmp::Ordering::Less => a.succ_opt().map_or(0, |from| self.count(from, b)),
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => -b.succ_opt().map_or(0, |from| self.count(from, a)),
        }
    }

    /// Working days in `from..=to` (`from <= to`).
    fn count(&self, mut from: NaiveDate, to: NaiveDate) -> i64 {
        let mut total = 0;
        loop {
            let last = last_day_of_year(from).min(to);
            total += self.count_within_year(from, last);
            match last.succ_opt() {
                Some(next) if last < to => from = next,
                _ => return total,
            }
        }
    }

    /// Working days in `from..=to`, both in the same year.
    fn count_within_year(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        match self.years.get(&from.year()) {
            Some(covered) => {
                let days = covered
                    .working
                    .get(from.ordinal0() as usize..=to.ordinal0() as usize);
                days.map_or(0, |days| days.iter().filter(|w| **w).count() as i64)
            }
            None => weekdays_in(from, to),
        }
    }

    /// The `n`-th (`n >= 1`) working day from `first` on, known to lie in `first`'s year.
    fn nth_within_year(&self, first: NaiveDate, n: i64) -> NaiveDate {
        let (mut day, mut left) = (first, n);
        if !self.covers(first.year()) && left > 5 {
            // Any seven consecutive days hold exactly five weekdays.
            let weeks = (left - 1) / 5;
            match u64::try_from(weeks * 7)
                .ok()
                .and_then(|d| day.checked_add_days(Days::new(d)))
            {
                Some(later) => (day, left) = (later, left - weeks * 5),
                None => return NaiveDate::MAX,
            }
        }
        loop {
            if self.is_working_day(day) {
                left -= 1;
                if left == 0 {
                    return day;
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => return NaiveDate::MAX,
            }
        }
    }
}

#[cfg(test)]
mod tests;
