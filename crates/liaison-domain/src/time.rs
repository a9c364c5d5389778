//! Beijing time (China Standard Time, UTC+8, no daylight saving): the one place a stored UTC instant
//! becomes the time and date people here read, and a Beijing date or wall-clock time becomes an
//! instant. Everything is stored in UTC; every page, file name, deadline and "today" is in Beijing.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};

const BEIJING: FixedOffset = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");

/// The offset of Beijing time.
pub fn beijing() -> FixedOffset {
    BEIJING
}

/// A UTC instant in Beijing time.
pub fn local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&BEIJING)
}

/// Now, in Beijing time.
pub fn now_beijing() -> DateTime<FixedOffset> {
    local(Utc::now())
}

/// Today's date in Beijing.
pub fn today() -> NaiveDate {
    now_beijing().date_naive()
}

/// The instant a Beijing clock shows `time` on `day` (None only beyond the representable range).
pub fn at(day: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    day.and_time(time)
        .and_local_timezone(BEIJING)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// The instant a Beijing day begins (midnight there is 16:00 UTC the day before).
pub fn day_start(day: NaiveDate) -> Option<DateTime<Utc>> {
    at(day, NaiveTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("test time")
            .with_timezone(&Utc)
    }

    #[test]
    fn beijing_is_eight_hours_ahead_all_year() {
        assert_eq!(beijing().local_minus_utc(), 8 * 3600);
        for t in ["2026-01-15T12:00:00Z", "2026-07-15T12:00:00Z"] {
            assert_eq!(local(utc(t)).format("%H:%M").to_string(), "20:00");
        }
    }

    #[test]
    fn the_beijing_date_turns_at_sixteen_utc() {
        assert_eq!(
            local(utc("2026-09-30T15:59:59Z")).date_naive().to_string(),
            "2026-09-30"
        );
        assert_eq!(
            local(utc("2026-09-30T16:00:00Z")).date_naive().to_string(),
            "2026-10-01"
        );
        let oct1 = NaiveDate::from_ymd_opt(2026, 10, 1).expect("date");
        assert_eq!(day_start(oct1), Some(utc("2026-09-30T16:00:00Z")));
        let evening = NaiveTime::from_hms_opt(23, 59, 59).expect("time");
        assert_eq!(at(oct1, evening), Some(utc("2026-10-01T15:59:59Z")));
        assert_eq!(
            day_start(NaiveDate::MIN),
            None,
            "out of range is None, not a panic"
        );
    }

    #[test]
    fn today_is_the_local_date_of_now() {
        let before = local(Utc::now()).date_naive();
        let t = today();
        let after = local(Utc::now()).date_naive();
        assert!(t == before || t == after);
    }
}
