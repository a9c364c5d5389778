//! When a staff record's matter was received (收到日期): a walk-in or a call written on paper and
//! entered later keeps its real date, and its first-response deadline counts from that date. A date
//! ahead of today is refused (a deadline never starts in the future), and so is one more than a year
//! back (a typing mistake, not a record).

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use crate::{DomainError, time};

/// How far back a record may be dated.
pub const MAX_DAYS_BACK: i64 = 366;

/// The moment an item received on `day` (Beijing) counts from, given the time `now`: `now` for today,
/// noon of that day for an earlier day (the hour was not written down).
pub fn received_at(day: NaiveDate, now: DateTime<Utc>) -> Result<DateTime<Utc>, DomainError> {
    let today = time::local(now).date_naive();
    let field = |message| DomainError::Field {
        field: "received",
        message,
    };
    if day > today {
        return Err(field("收到日期不能晚于今天"));
    }
    if today - day > Duration::days(MAX_DAYS_BACK) {
        return Err(field("收到日期不能早于一年前，请核对"));
    }
    if day == today {
        return Ok(now);
    }
    let noon = NaiveTime::from_hms_opt(12, 0, 0).ok_or(field("收到日期无效"))?;
    time::at(day, noon).ok_or(field("收到日期无效"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_paper_record_keeps_its_day_and_never_starts_in_the_future() {
        let now = time::beijing()
            .with_ymd_and_hms(2026, 12, 7, 16, 30, 0)
            .unwrap()
            .with_timezone(&Utc);
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(received_at(d("2026-12-07"), now), Ok(now));
        let earlier = received_at(d("2026-12-03"), now).unwrap();
        assert_eq!(
            time::local(earlier).format("%Y-%m-%d %H:%M").to_string(),
            "2026-12-03 12:00"
        );
        assert!(earlier < now);
        let refused = |s| match received_at(d(s), now) {
            Err(DomainError::Field { field, message }) => (field, message),
            other => panic!("{other:?}"),
        };
        assert_eq!(refused("2026-12-08"), ("received", "收到日期不能晚于今天"));
        assert_eq!(refused("2025-12-01").0, "received");
        assert!(
            received_at(d("2025-12-07"), now).is_ok(),
            "a year back is still a record"
        );
    }
}
