use super::span::END_OF_DAY;
use super::*;
use chrono::{DateTime, FixedOffset};
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).expect("test datetime")
}

fn cal() -> WorkCalendar {
    WorkCalendar::built_in()
}

#[test]
fn built_in_file_parses_and_covers_2024_to_2026() {
    let years = parse_toml(BUILT_IN).expect("built-in calendar is valid");
    assert_eq!(
        years.iter().map(|y| y.year).collect::<Vec<_>>(),
        [2024, 2025, 2026]
    );
    assert_eq!(cal().years(), [2024, 2025, 2026]);
    let y2026 = &years[2];
    assert_eq!(
        y2026.source,
        "国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04"
    );
    assert_eq!(y2026.off.len(), 7);
    assert_eq!(y2026.off[1], (d("2026-02-15"), d("2026-02-23")));
    assert_eq!(y2026.work.len(), 6);
    assert!(cal().covers(2026) && !cal().covers(2027) && !cal().covers(2023));
    for y in &years {
        assert_eq!(
            YearArrangement::parse_text(y.year, &y.source, &y.to_off_text(), &y.to_work_text()).as_ref(),
            Ok(y)
        );
    }
}

#[test]
fn working_days_of_2026() {
    let c = cal();
    assert!(!c.is_working_day(d("2026-01-02")), "Friday inside 元旦");
    assert!(c.is_working_day(d("2026-01-04")), "Sunday 调休上班");
    assert!(c.is_working_day(d("2026-02-14")), "Saturday 调休上班");
    assert!(!c.is_working_day(d("2026-02-23")), "Monday inside 春节");
    assert!(c.is_working_day(d("2026-10-08")), "Thursday after 国庆");
    assert!(c.is_working_day(d("2026-10-10")), "Saturday 调休上班");
    assert!(!c.is_working_day(d("2026-10-11")), "ordinary Sunday");
    assert!(c.is_working_day(d("2026-03-10")), "ordinary Tuesday");
}

#[test]
fn adding_working_days_around_holidays() {
    let c = cal();
    // 国庆节 is Oct 1–7 (Thu–Wed); Oct 8 (Thu) is the first working day after it.
    assert_eq!(c.add_working_days(d("2026-09-30"), 1), d("2026-10-08"));
    assert_eq!(c.add_working_days(d("2026-09-30"), 2), d("2026-10-09"));
    assert_eq!(c.add_working_days(d("2026-09-30"), 3), d("2026-10-10"));
    assert_eq!(c.add_working_days(d("2026-09-30"), 4), d("2026-10-12"));
    // Friday before 春节: Saturday the 14th is worked, then Feb 15–23 are off.
    assert_eq!(c.add_working_days(d("2026-02-13"), 1), d("2026-02-14"));
    assert_eq!(c.add_working_days(d("2026-02-13"), 2), d("2026-02-24"));
    assert_eq!(c.working_days_between(d("2026-02-13"), d("2026-02-24")), 2);
    assert_eq!(c.working_days_between(d("2026-02-24"), d("2026-02-13")), -2);
    assert_eq!(c.working_days_between(d("2026-02-14"), d("2026-02-14")), 0);
    // n = 0: the day itself if worked, else the next working day.
    assert_eq!(c.add_working_days(d("2026-09-30"), 0), d("2026-09-30"));
    assert_eq!(c.add_working_days(d("2026-10-01"), 0), d("2026-10-08"));
    assert_eq!(c.next_working_day(d("2026-09-30")), d("2026-10-08"));
    assert_eq!(c.next_working_day(d("2026-10-09")), d("2026-10-10"));
    // Across into a year without an arrangement: Mon–Fri only (2027-01-01 is a Friday).
    assert_eq!(c.add_working_days(d("2026-12-31"), 1), d("2027-01-01"));
    assert_eq!(c.add_working_days(d("2026-12-31"), 2), d("2027-01-04"));
    assert_eq!(c.add_working_days(d("2029-01-01"), 5 * 52), d("2029-12-31"));
}

#[test]
fn uncovered_years_and_warning() {
    let c = cal();
    assert_eq!(c.uncovered_years(d("2026-12-01"), d("2027-01-10")), [2027]);
    assert_eq!(c.uncovered_years(d("2028-03-01"), d("2025-01-10")), [2027, 2028]);
    assert!(c.uncovered_years(d("2024-01-01"), d("2026-12-31")).is_empty());
    assert_eq!(
        missing_year_warning(2027),
        "2027年的放假安排尚未录入，期限按周一至周五计算"
    );
}

#[test]
fn an_entered_year_overrides_the_built_in_one() {
    let plain = YearArrangement {
        year: 2026,
        source: "测试".into(),
        off: vec![],
        work: vec![],
    };
    let extra = YearArrangement {
        year: 2027,
        source: "测试".into(),
        off: vec![],
        work: vec![],
    };
    let years = parse_toml(BUILT_IN).expect("valid");
    let c = WorkCalendar::new(years.into_iter().chain([plain.clone(), extra]));
    assert!(c.is_working_day(d("2026-10-01")));
    assert!(!c.is_working_day(d("2026-10-10")));
    assert_eq!(c.arrangement(2026), Some(&plain));
    assert_eq!(c.years(), [2024, 2025, 2026, 2027]);
}

#[test]
fn due_dates() {
    let c = cal();
    // Assigned Friday evening with one working day: due Monday night.
    let friday = at("2026-03-06T18:30:00+08:00");
    assert_eq!(
        due_at(&c, friday, Span::WorkingDays(1)),
        at("2026-03-09T23:59:59+08:00")
    );
    assert_eq!(
        due_at(&c, friday, Span::Hours(24)),
        at("2026-03-07T18:30:00+08:00")
    );
    assert_eq!(
        due_at(&c, friday, Span::WorkingDays(0)),
        at("2026-03-06T23:59:59+08:00")
    );
    let before_holiday = at("2026-09-30T09:00:00+08:00");
    assert_eq!(
        due_at(&c, before_holiday, Span::WorkingDays(1)),
        at("2026-10-08T23:59:59+08:00")
    );
    assert_eq!(
        due_at(&c, before_holiday, Span::WorkingDays(7)),
        at("2026-10-15T23:59:59+08:00")
    );
    // The local date counts, not the UTC one: 2026-09-30 01:00 +08:00 is still Sep 29 in UTC.
    let early = at("2026-09-30T01:00:00+08:00");
    assert_eq!(
        due_at(&c, early, Span::WorkingDays(1)),
        at("2026-10-08T23:59:59+08:00")
    );
    // Absurd spans saturate instead of panicking or hanging.
    assert_eq!(c.add_working_days(d("2026-01-01"), u32::MAX), NaiveDate::MAX);
    let _ = due_at(&c, friday, Span::Hours(u32::MAX));
    let _ = due_at(&c, friday, Span::WorkingDays(u32::MAX));
    let _ = due_at(&c, friday, Span::Months(u32::MAX));
}

#[test]
fn months_are_calendar_months_ending_on_a_working_day() {
    let c = cal();
    // Three months from 10 June 2026 is Thursday 10 September.
    assert_eq!(
        due_at(&c, at("2026-06-10T15:00:00+08:00"), Span::Months(3)),
        at("2026-09-10T23:59:59+08:00")
    );
    // A shorter month ends on its last day: 31 May + 1 month = 30 June.
    assert_eq!(
        due_at(&c, at("2026-05-31T10:00:00+08:00"), Span::Months(1)),
        at("2026-06-30T23:59:59+08:00")
    );
    // A weekend moves to Monday: 7 February + 1 month = Saturday 7 March → Monday 9 March ...
    assert_eq!(
        due_at(&c, at("2026-02-07T10:00:00+08:00"), Span::Months(1)),
        at("2026-03-09T23:59:59+08:00")
    );
    // ... but a Saturday worked after the Spring Festival (调休) stays: 28 November 2025 + 3 months.
    assert_eq!(
        due_at(&c, at("2025-11-28T10:00:00+08:00"), Span::Months(3)),
        at("2026-02-28T23:59:59+08:00")
    );
    // One month from 1 September 2026 lands on National Day: the period ends on 8 October, the
    // first working day after the holiday.
    assert_eq!(
        due_at(&c, at("2026-09-01T09:00:00+08:00"), Span::Months(1)),
        at("2026-10-08T23:59:59+08:00")
    );
    assert_eq!(Span::parse("3mo"), Ok(Span::Months(3)));
    assert_eq!(Span::parse("6个月"), Ok(Span::Months(6)));
    assert_eq!(Span::Months(3).to_string(), "3mo");
    assert_eq!(Span::Months(3).label(), "3个月");
}

#[test]
fn spans_parse_and_display() {
    assert_eq!(Span::parse("24h"), Ok(Span::Hours(24)));
    assert_eq!(Span::parse(" 7 WD "), Ok(Span::WorkingDays(7)));
    assert_eq!("15wd".parse::<Span>(), Ok(Span::WorkingDays(15)));
    assert_eq!(Span::parse("7个工作日"), Ok(Span::WorkingDays(7)));
    assert_eq!(Span::parse("48小时"), Ok(Span::Hours(48)));
    assert_eq!(Span::Hours(24).to_string(), "24h");
    assert_eq!(Span::WorkingDays(7).to_string(), "7wd");
    assert_eq!(Span::Hours(24).label(), "24小时");
    assert_eq!(Span::WorkingDays(7).label(), "7个工作日");
    assert_eq!(Span::parse("7d"), Ok(Span::Days(7)));
    assert_eq!(Span::parse("10天"), Ok(Span::Days(10)));
    assert_eq!(Span::Days(10).label(), "10个自然日");
    for bad in ["", "h", "7w", "-1h", "7 wd x", "99999999999h", "1.5h"] {
        assert!(Span::parse(bad).is_err(), "{bad}");
    }
    let err = Span::parse("7w").expect_err("bad").to_string();
    assert!(err.contains("“7w”") && err.contains("24h"), "{err}");
}

#[test]
fn form_text_accepts_the_usual_separators() {
    let off = "2026-01-01 至 2026-01-03  # 元旦\n\n2026-02-15~2026-02-23 ＃春节\n2026-04-04 到 2026-04-06\n\
               2026-05-01，2026-05-05\n 2026-06-19   2026-06-21 \n2026-09-25～2026-09-27\n2026/10/1—2026-10-7";
    let work = "2026-01-04, 2026-02-14\n2026-02-28 2026-05-09 # 劳动节\n2026-09-20、2026-10-10\n";
    let parsed = YearArrangement::parse_text(
        2026,
        " 国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04 ",
        off,
        work,
    )
    .expect("valid form");
    let built_in = cal().arrangement(2026).cloned().expect("2026 built in");
    assert_eq!(parsed, built_in);
    let one_day = YearArrangement::parse_text(2027, "", "2027-01-01 # 元旦", "").expect("valid");
    assert_eq!(one_day.off, [(d("2027-01-01"), d("2027-01-01"))]);
    assert_eq!(one_day.to_off_text(), "2027-01-01");
    assert_eq!(
        built_in.to_off_text().lines().next(),
        Some("2026-01-01 至 2026-01-03")
    );
    assert_eq!(built_in.to_work_text().lines().count(), 6);
}

#[test]
fn form_errors_name_the_bad_value() {
    let err = |off: &str, work: &str| {
        YearArrangement::parse_text(2027, "", off, work)
            .expect_err("invalid")
            .to_string()
    };
    assert_eq!(
        err("2027-01-01\n2027-02-30", ""),
        "放假日期第2行：2027-02-30 不是有效日期"
    );
    assert_eq!(err("", "2027-02-08"), "调休上班日 2027-02-08 不是周末");
    assert_eq!(err("", "2027-02-06\nfoo"), "调休上班日期第2行：foo 不是有效日期");
    assert_eq!(
        err("2027-02-10 至 2027-02-06", ""),
        "放假区间 2027-02-10 至 2027-02-06 的开始日期晚于结束日期"
    );
    assert_eq!(err("2026-12-31 至 2027-01-02", ""), "2026-12-31 不在2027年内");
    assert_eq!(err("", "2028-01-01"), "2028-01-01 不在2027年内");
    assert_eq!(
        err("2027-02-05 至 2027-02-08", "2027-02-06"),
        "调休上班日 2027-02-06 在放假区间内"
    );
    assert_eq!(err("", "2027-02-06 2027-02-06"), "调休上班日 2027-02-06 重复");
    assert_eq!(
        err("2027-02-05 至 2027-02-08\n2027-02-01 至 2027-02-05", ""),
        "放假区间 2027-02-01 至 2027-02-05 与 2027-02-05 至 2027-02-08 重叠"
    );
    assert!(err("2027-01-01 至 2027-01-02 至 2027-01-03", "").starts_with("放假日期第1行：“2027-01-01 至"));
    assert!(err("2027-1-1x", "").contains("2027-1-1x 不是有效日期"));
    assert!(YearArrangement::parse_text(99, "", "", "").is_err());
}

#[test]
fn toml_errors() {
    let err = |text: &str| parse_toml(text).expect_err("invalid").to_string();
    assert!(err("[2027\n").starts_with("日历文件格式错误："));
    assert_eq!(err("[27]\nsource = \"x\""), "“27”不是有效年份（应为四位数字）");
    assert!(err("[2027]\noff = []").contains("缺少 source"));
    assert!(err("[2027]\nsource = \"x\"\nholidays = []").contains("“holidays”"));
    assert!(err("[2027]\nsource = \"x\"\noff = [\"2027-01-01\"]").contains("off 中的"));
    assert_eq!(
        err("[2027]\nsource = \"x\"\nwork = [\"2027-02-08\"]"),
        "调休上班日 2027-02-08 不是周末"
    );
    assert!(err("2027 = 1").contains("年份表"));
    assert_eq!(err("version = 1"), "“version”不是有效年份（应为四位数字）");
    // TOML's own dates are accepted too.
    let years = parse_toml("[2027]\nsource = \"x\"\noff = [[2027-01-01, 2027-01-01]]\nwork = [2027-02-06]")
        .expect("valid");
    assert_eq!(years[0].off, [(d("2027-01-01"), d("2027-01-01"))]);
    assert_eq!(years[0].work, [d("2027-02-06")]);
    assert_eq!(parse_toml(""), Ok(vec![]));
}

// ---- properties ----

/// A valid random arrangement of `year`: non-overlapping ranges, weekend working days outside them.
fn arrangement(year: i32) -> impl Strategy<Value = YearArrangement> {
    let ranges = prop::collection::vec((0u64..365, 0u64..10), 0..10);
    let works = prop::collection::vec(0u64..365, 0..15);
    (ranges, works, "[a-z0-9 〔〕号]{0,12}").prop_map(move |(ranges, works, source)| {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("year");
        let last = last_day_of_year(first);
        let mut a = YearArrangement {
            year,
            source: source.trim().to_owned(),
            off: vec![],
            work: vec![],
        };
        for (start, len) in ranges {
            let from = first + Days::new(start);
            let to = (from + Days::new(len)).min(last);
            if a.off.iter().all(|&(f, t)| to < f || from > t) {
                a.off.push((from, to));
            }
        }
        for w in works {
            let day = first + Days::new(w);
            if is_weekend(day) && !a.is_off(day) && !a.work.contains(&day) {
                a.work.push(day);
            }
        }
        a
    })
}

/// The built-in calendar, or one of random arrangements for 2030 and 2031.
fn calendar() -> impl Strategy<Value = WorkCalendar> {
    prop_oneof![
        Just(WorkCalendar::built_in()),
        (arrangement(2030), arrangement(2031)).prop_map(|(a, b)| WorkCalendar::new([a, b])),
    ]
}

/// A day from 2023-07 to 2032-06: covered years and uncovered ones on both sides.
fn day() -> impl Strategy<Value = NaiveDate> {
    (0u64..3300).prop_map(|n| d("2023-07-01") + Days::new(n))
}

fn naive_count(c: &WorkCalendar, a: NaiveDate, b: NaiveDate) -> i64 {
    let (low, high, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
    sign * low
        .iter_days()
        .skip(1)
        .take_while(|x| *x <= high)
        .filter(|x| c.is_working_day(*x))
        .count() as i64
}

proptest! {
    #[test]
    fn adding_then_counting_back_gives_n(c in calendar(), start in day(), n in 1u32..700) {
        let end = c.add_working_days(start, n);
        prop_assert!(end > start);
        prop_assert!(c.is_working_day(end));
        prop_assert_eq!(c.working_days_between(start, end), i64::from(n));
        prop_assert_eq!(c.working_days_between(start, end - Days::new(1)), i64::from(n) - 1);
    }

    #[test]
    fn adding_is_monotone_in_n(c in calendar(), start in day(), n in 0u32..400) {
        let a = c.add_working_days(start, n);
        let b = c.add_working_days(start, n + 1);
        if n == 0 && !c.is_working_day(start) {
            prop_assert_eq!(a, b);
        } else {
            prop_assert!(a < b);
        }
        prop_assert!(c.is_working_day(a));
    }

    #[test]
    fn next_working_day_skips_only_days_off(c in calendar(), start in day()) {
        let next = c.next_working_day(start);
        prop_assert!(c.is_working_day(next));
        for x in start.iter_days().skip(1).take_while(|x| *x < next) {
            prop_assert!(!c.is_working_day(x));
        }
    }

    #[test]
    fn counting_matches_day_by_day(c in calendar(), a in day(), b in day()) {
        prop_assert_eq!(c.working_days_between(a, b), naive_count(&c, a, b));
        prop_assert_eq!(c.working_days_between(a, b), -c.working_days_between(b, a));
    }

    #[test]
    fn counting_is_additive(c in calendar(), a in day(), b in day(), m in day()) {
        prop_assert_eq!(
            c.working_days_between(a, b),
            c.working_days_between(a, m) + c.working_days_between(m, b)
        );
    }

    #[test]
    fn random_arrangements_are_valid_and_round_trip(a in arrangement(2030)) {
        prop_assert_eq!(a.validate(), Ok(()));
        let back = YearArrangement::parse_text(a.year, &a.source, &a.to_off_text(), &a.to_work_text());
        prop_assert_eq!(back, Ok(a));
    }

    #[test]
    fn working_day_due_dates_end_a_working_day(c in calendar(), start in day(), n in 0u32..60, h in 0u32..24) {
        let begin = start.and_hms_opt(h, 0, 0).expect("time").and_local_timezone(crate::time::beijing()).single().expect("fixed");
        let due = due_at(&c, begin, Span::WorkingDays(n));
        prop_assert!(due > begin);
        prop_assert!(c.is_working_day(due.date_naive()));
        prop_assert_eq!(due.time(), END_OF_DAY);
        let expected = if n == 0 && c.is_working_day(start) { 0 } else { i64::from(n.max(1)) };
        prop_assert_eq!(c.working_days_between(start, due.date_naive()), expected);
    }
}

#[test]
fn calendar_days_end_on_a_working_day() {
    let c = cal();
    // 10 natural days from Wednesday 10 June 2026 is Saturday 20 June → Monday 22 June.
    assert_eq!(
        due_at(&c, at("2026-06-10T15:00:00+08:00"), Span::Days(10)),
        at("2026-06-22T23:59:59+08:00")
    );
    assert_eq!(
        due_at(&c, at("2026-06-10T15:00:00+08:00"), Span::Days(1)),
        at("2026-06-11T23:59:59+08:00")
    );
    let _ = due_at(&c, at("2026-06-10T15:00:00+08:00"), Span::Days(u32::MAX));
}

#[test]
fn spans_from_a_forms_number_and_unit() {
    assert_eq!(Span::from_parts("3", "wd").ok(), Some(Span::WorkingDays(3)));
    assert_eq!(Span::from_parts(" 24 ", "h").ok(), Some(Span::Hours(24)));
    assert_eq!(Span::from_parts("10", "d").ok(), Some(Span::Days(10)));
    assert_eq!(Span::from_parts("3", "mo").ok(), Some(Span::Months(3)));
    assert!(Span::from_parts("", "wd").is_err());
    assert!(Span::from_parts("-1", "wd").is_err());
    assert!(Span::from_parts("3", "weeks").is_err());
    assert!(Span::from_parts("99999999999", "h").is_err());
    for s in [
        Span::Hours(2),
        Span::WorkingDays(7),
        Span::Days(15),
        Span::Months(3),
    ] {
        let (n, u) = s.parts();
        assert_eq!(Span::from_parts(&n.to_string(), u).ok(), Some(s));
        assert_eq!(Span::parse(&s.to_string()).ok(), Some(s));
    }
}
