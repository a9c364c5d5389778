//! One year's holiday arrangement (放假调休): its checks, the administrator's form text and the
//! calendar file format (TOML).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{CalendarError, is_weekend};

/// Years an arrangement may be entered for (dates are written with four-digit years).
const YEARS: std::ops::RangeInclusive<i32> = 1000..=9999;

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

    pub(super) fn is_off(&self, day: NaiveDate) -> bool {
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
