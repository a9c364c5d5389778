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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The built-in calendar file (TOML, `[YYYY]` tables with `source`, `off` and `work`).
pub const BUILT_IN: &str = include_str!("../data/cn-holidays.toml");

/// Years an arrangement may be entered for (dates are written with four-digit years).
const YEARS: std::ops::RangeInclusive<i32> = 1000..=9999;

const END_OF_DAY: NaiveTime = NaiveTime::from_hms_opt(23, 59, 59).expect("23:59:59 is a valid time");

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
    #[error("期限“{0}”无法识别：应写作如 24h（24小时）或 7wd（7个工作日）")]
    InvalidSpan(String),
}

/// One year's official arrangement: the days off (inclusive ranges, weekend days inside included) and
/// the weekend days that are working days (调休上班).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearArrangement {
    pub year: i32,
    /// Where it comes from, e.g. the notice's document number and date.
    pub source: String,
    pub off: Vec<(NaiveDate, NaiveDate)>,
    pub work: Vec<NaiveDate>,
}

impl YearArrangement {
    /// Checks the year is a four-digit year; every date lies in it; ranges run forwards and do not
    /// overlap; working days are Saturdays or Sundays, outside every `off` range, and listed once.
    pub fn validate(&self) -> Result<(), CalendarError> {
        let year = self.year;
        if !YEARS.contains(&year) {
            return Err(CalendarError::InvalidYear(year.to_string()));
        }
        let inside = |date: NaiveDate| {
            if date.year() == year {
                Ok(())
            } else {
                Err(CalendarError::OutsideYear { date, year })
            }
        };
        for &(from, to) in &self.off {
            inside(from)?;
            inside(to)?;
            if from > to {
                return Err(CalendarError::ReversedRange { from, to });
            }
        }
        let mut sorted = self.off.clone();
        sorted.sort();
        for pair in sorted.windows(2) {
            if let [first, second] = pair
                && second.0 <= first.1
            {
                return Err(CalendarError::OverlappingRanges {
                    first: *first,
                    second: *second,
                });
            }
        }
        let mut seen = BTreeSet::new();
        for &day in &self.work {
            inside(day)?;
            if !is_weekend(day) {
                return Err(CalendarError::WorkdayNotWeekend(day));
            }
            if self.is_off(day) {
                return Err(CalendarError::WorkdayInsideOff(day));
            }
            if !seen.insert(day) {
                return Err(CalendarError::DuplicateWorkday(day));
            }
        }
        Ok(())
    }

    /// Reads the administrator's form. `off_text`: one range per line, `YYYY-MM-DD` (a single day) or
    /// two dates separated by `至`, `到`, `~`, `～`, a dash `—`, a comma or whitespace; `work_text`: dates
    /// one per line or separated by commas or whitespace. In both, `#` starts a comment (e.g. the
    /// holiday's name) and blank lines are skipped. The order of entries is kept. The result is
    /// validated.
    pub fn parse_text(
        year: i32,
        source: &str,
        off_text: &str,
        work_text: &str,
    ) -> Result<Self, CalendarError> {
        let at = |field: &'static str, line: usize| {
            move |error| CalendarError::AtLine {
                field,
                line,
                error: Box::new(error),
            }
        };
        let mut off = Vec::new();
        for (i, line) in off_text.lines().enumerate() {
            let tokens = tokens(line);
            let range = match tokens.as_slice() {
                [] => continue,
                [day] => parse_date(day).map(|d| (d, d)),
                [from, to] => parse_date(from).and_then(|f| Ok((f, parse_date(to)?))),
                _ => Err(CalendarError::BadRange(strip_comment(line).trim().to_owned())),
            };
            off.push(range.map_err(at("放假日期", i + 1))?);
        }
        let mut work = Vec::new();
        for (i, line) in work_text.lines().enumerate() {
            for token in tokens(line) {
                work.push(parse_date(token).map_err(at("调休上班日期", i + 1))?);
            }
        }
        let arrangement = YearArrangement {
            year,
            source: source.trim().to_owned(),
            off,
            work,
        };
        arrangement.validate()?;
        Ok(arrangement)
    }

    /// The `off` ranges as the form shows them: one per line, a single date for a one-day range.
    pub fn to_off_text(&self) -> String {
        let lines: Vec<String> = self
            .off
            .iter()
            .map(|&(from, to)| {
                if from == to {
                    from.to_string()
                } else {
                    format!("{from} 至 {to}")
                }
            })
            .collect();
        lines.join("\n")
    }

    /// The `work` days as the form shows them: one per line.
    pub fn to_work_text(&self) -> String {
        let lines: Vec<String> = self.work.iter().map(NaiveDate::to_string).collect();
        lines.join("\n")
    }

    fn is_off(&self, day: NaiveDate) -> bool {
        self.off.iter().any(|&(from, to)| from <= day && day <= to)
    }
}

fn strip_comment(line: &str) -> &str {
    line.split(['#', '＃']).next().unwrap_or("")
}

fn tokens(line: &str) -> Vec<&str> {
    strip_comment(line)
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '至' | '到' | '~' | '～' | '—' | '–' | ',' | '，' | '、' | ';' | '；'
                )
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// `YYYY-MM-DD` (month and day may have one digit; `/` or `.` may stand for `-`).
fn parse_date(text: &str) -> Result<NaiveDate, CalendarError> {
    let bad = || CalendarError::InvalidDate(text.to_owned());
    let digits = |part: &str, max_len: usize| {
        (1..=max_len).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    let mut parts = text.split(['-', '/', '.']);
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    if y.len() != 4 || !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return Err(bad());
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(bad());
    };
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad)
}

/// Reads the calendar file format (see `data/calendar/cn-holidays.toml`): one `[YYYY]` table per year
/// with `source = "…"` (required), `off = [["from", "to"], …]` and `work = ["date", …]` (both optional).
/// Dates may be strings or TOML dates. Every year is validated; the result is sorted by year.
pub fn parse_toml(text: &str) -> Result<Vec<YearArrangement>, CalendarError> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| CalendarError::Format(e.to_string().trim().to_owned()))?;
    let mut years = Vec::new();
    for (key, value) in &table {
        let year = match key.parse::<i32>() {
            Ok(y) if key.len() == 4 && key.bytes().all(|b| b.is_ascii_digit()) => y,
            _ => return Err(CalendarError::InvalidYear(key.clone())),
        };
        let toml::Value::Table(fields) = value else {
            return Err(CalendarError::Format(format!("“{key}”应为年份表，如 [{key}]")));
        };
        let shape = |what: &str| CalendarError::Format(format!("{year}年的 {what}"));
        let (mut source, mut off, mut work) = (None, Vec::new(), Vec::new());
        for (name, value) in fields {
            match name.as_str() {
                "source" => {
                    let s = value.as_str().ok_or_else(|| shape("source 应为字符串"))?;
                    source = Some(s.trim().to_owned());
                }
                "off" => {
                    let list = value
                        .as_array()
                        .ok_or_else(|| shape("off 应为 [[\"开始\", \"结束\"], …]"))?;
                    for item in list {
                        match item.as_array().map(Vec::as_slice) {
                            Some([from, to]) => off.push((toml_date(from)?, toml_date(to)?)),
                            _ => return Err(shape(&format!("off 中的 {item} 应为 [\"开始\", \"结束\"]"))),
                        }
                    }
                }
                "work" => {
                    let list = value.as_array().ok_or_else(|| shape("work 应为日期列表"))?;
                    for item in list {
                        work.push(toml_date(item)?);
                    }
                }
                other => return Err(shape(&format!("字段“{other}”无法识别"))),
            }
        }
        let source = source.ok_or_else(|| shape("缺少 source（来源）"))?;
        let arrangement = YearArrangement {
            year,
            source,
            off,
            work,
        };
        arrangement.validate()?;
        years.push(arrangement);
    }
    years.sort_by_key(|y| y.year);
    Ok(years)
}

fn toml_date(value: &toml::Value) -> Result<NaiveDate, CalendarError> {
    match value {
        toml::Value::String(s) => parse_date(s.trim()),
        toml::Value::Datetime(toml::value::Datetime {
            date: Some(d),
            time: None,
            offset: None,
        }) => NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            .ok_or_else(|| CalendarError::InvalidDate(value.to_string())),
        other => Err(CalendarError::InvalidDate(other.to_string())),
    }
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

/// A deadline rule: a number of hours (calendar-blind), of working days, or of calendar months (a
/// suggestion's three months to answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    Hours(u32),
    WorkingDays(u32),
    Months(u32),
}

impl Span {
    /// `24h` / `7wd` / `3mo` (case and spaces ignored); the labels `24小时` / `7个工作日` / `3个月` are
    /// accepted too.
    pub fn parse(text: &str) -> Result<Span, CalendarError> {
        let text = text.trim();
        let bad = || CalendarError::InvalidSpan(text.to_owned());
        let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
        let n: u32 = number.parse().map_err(|_| bad())?;
        match unit.trim().to_ascii_lowercase().as_str() {
            "h" | "小时" => Ok(Span::Hours(n)),
            "wd" | "个工作日" | "工作日" => Ok(Span::WorkingDays(n)),
            "mo" | "个月" | "月" => Ok(Span::Months(n)),
            _ => Err(bad()),
        }
    }

    /// For people: 「24小时」, 「7个工作日」.
    pub fn label(self) -> String {
        match self {
            Span::Hours(n) => format!("{n}小时"),
            Span::WorkingDays(n) => format!("{n}个工作日"),
            Span::Months(n) => format!("{n}个月"),
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Span::Hours(n) => write!(f, "{n}h"),
            Span::WorkingDays(n) => write!(f, "{n}wd"),
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
/// statutory periods do. Saturates (at chrono's latest instant, in UTC) instead of overflowing.
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

mod reminder;
pub use reminder::entry_reminder;

#[cfg(test)]
mod tests;
