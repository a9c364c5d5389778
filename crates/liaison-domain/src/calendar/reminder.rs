//! When to remind people that a year's arrangement still has to be entered. The State Council
//! publishes next year's arrangement in October or November, so from 1 November on a missing next year
//! is worth a warning; a missing current year always is.

use chrono::{Datelike, NaiveDate};

use super::{WorkCalendar, missing_year_warning};

/// From this month on, next year's arrangement is expected to be entered.
const NEXT_YEAR_FROM_MONTH: u32 = 11;

impl WorkCalendar {
    /// The years (ascending) whose arrangement should be entered by now, seen on `today` (a Beijing
    /// date): the current year when missing, and next year when missing and `today` is on or after
    /// 1 November.
    pub fn years_to_enter(&self, today: NaiveDate) -> Vec<i32> {
        let year = today.year();
        let mut years = Vec::new();
        if !self.covers(year) {
            years.push(year);
        }
        if today.month() >= NEXT_YEAR_FROM_MONTH
            && let Some(next) = year.checked_add(1)
            && !self.covers(next)
        {
            years.push(next);
        }
        years
    }
}

/// The reminder shown to those who enter the calendar: the deadline warning plus what to do.
pub fn entry_reminder(year: i32) -> String {
    format!("{}，请根据国务院办公厅通知录入", missing_year_warning(year))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::YearArrangement;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn reminds_of_next_year_from_november_and_of_the_current_year_always() {
        let c = WorkCalendar::built_in();
        assert!(c.years_to_enter(d("2026-10-31")).is_empty());
        assert_eq!(c.years_to_enter(d("2026-11-01")), [2027]);
        assert_eq!(c.years_to_enter(d("2026-12-31")), [2027]);
        assert_eq!(c.years_to_enter(d("2027-01-01")), [2027]);
        assert_eq!(c.years_to_enter(d("2027-11-15")), [2027, 2028]);
        assert!(c.years_to_enter(d("2025-12-01")).is_empty());
        let mut entered = c.clone();
        entered.insert(YearArrangement {
            year: 2027,
            source: "测试".into(),
            off: vec![(d("2027-01-01"), d("2027-01-03"))],
            work: vec![],
        });
        assert!(entered.years_to_enter(d("2026-11-20")).is_empty());
        assert_eq!(entered.years_to_enter(d("2027-11-20")), [2028]);
        assert_eq!(
            entry_reminder(2027),
            "2027年的放假安排尚未录入，期限按周一至周五计算，请根据国务院办公厅通知录入"
        );
    }
}
