//! Calendar days as people type them and as forms and URLs write them, within the range
//! Atrium supports. A day outside it is refused when parsed, so that calendar arithmetic on it
//! (a month's weeks, a step forward) can never overflow.

use chrono::NaiveDate;

/// The first and last day any date field, filter or calendar accepts.
pub const FIRST: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(day) => day,
    None => panic!("a valid day"),
};
pub const LAST: NaiveDate = match NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(day) => day,
    None => panic!("a valid day"),
};

/// A day in the supported range, or `None`: the one reader of every date a person types or
/// a client sends. It takes ISO (`2026-11-23`, what URLs, tests and older clients send) and
/// the day first as every language of the app writes it: `23-11-2026`, `23/11/2026` or
/// `23.11.2026`, the day and the month with one or two digits, the year with four, one
/// separator throughout. Spaces around it are ignored.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    // Longer text is never a day; bounding it keeps the parser's work small.
    if text.len() > 10 {
        return None;
    }
    let separator = text.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(separator, '-' | '/' | '.') {
        return None;
    }
    let mut parts = text.split(separator);
    let (first, second, third) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    // Four digits first is ISO (with dashes only); anything else starts with the day.
    let (year, month, day) = if first.len() == 4 && separator == '-' {
        (first, second, third)
    } else {
        (third, second, first)
    };
    let digits = |part: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(year, 4..=4) && digits(month, 1..=2) && digits(day, 1..=2)) {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
        .filter(|day| in_range(*day))
}

pub fn in_range(day: NaiveDate) -> bool {
    (FIRST..=LAST).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;

    fn day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, month, day)
    }

    #[test]
    fn iso_days_in_range_parse() {
        assert_eq!(parse_day("2026-11-23"), day(2026, 11, 23));
        assert_eq!(parse_day("2026-1-5"), day(2026, 1, 5));
        assert_eq!(parse_day("1900-01-01"), Some(FIRST));
        assert_eq!(parse_day("2199-12-31"), Some(LAST));
    }

    #[test]
    fn days_first_parse_with_each_separator() {
        for text in ["23-11-2026", "23/11/2026", "23.11.2026"] {
            assert_eq!(parse_day(text), day(2026, 11, 23), "{text}");
        }
        // The day comes first even where it could be a month: 5 March, not 3 May.
        assert_eq!(parse_day("05/03/2026"), day(2026, 3, 5));
        assert_eq!(parse_day("01-01-1900"), Some(FIRST));
        assert_eq!(parse_day("31.12.2199"), Some(LAST));
    }

    #[test]
    fn single_digit_days_and_months_parse() {
        assert_eq!(parse_day("5-3-2026"), day(2026, 3, 5));
        assert_eq!(parse_day("5/3/2026"), day(2026, 3, 5));
        assert_eq!(parse_day("5.3.2026"), day(2026, 3, 5));
        assert_eq!(parse_day("05-3-2026"), day(2026, 3, 5));
        assert_eq!(parse_day("5-03-2026"), day(2026, 3, 5));
        assert_eq!(parse_day("9/12/2026"), day(2026, 12, 9));
    }

    #[test]
    fn spaces_around_are_ignored() {
        assert_eq!(parse_day(" 2026-11-23 "), day(2026, 11, 23));
        assert_eq!(parse_day("\t23/11/2026\n"), day(2026, 11, 23));
        assert_eq!(parse_day("  5.3.2026  "), day(2026, 3, 5));
    }

    #[test]
    fn days_that_do_not_exist_are_refused() {
        for refused in [
            "31-02-2026",
            "31/02/2026",
            "29.02.2026",
            "2026-02-30",
            "31-04-2026",
            "0-1-2026",
            "1-0-2026",
            "1-13-2026",
            "32/01/2026",
        ] {
            assert_eq!(parse_day(refused), None, "{refused}");
        }
        // 2028 is a leap year.
        assert_eq!(parse_day("29.02.2028"), day(2028, 2, 29));
    }

    #[test]
    fn years_outside_the_range_are_refused() {
        for refused in [
            "1899-12-31",
            "2200-01-01",
            "31-12-1899",
            "01/01/2200",
            "1.1.0000",
            "+262142-12-20",
            "-262143-01-01",
        ] {
            assert_eq!(parse_day(refused), None, "{refused}");
        }
    }

    #[test]
    fn other_text_is_refused() {
        for refused in [
            "",
            "   ",
            "2026",
            "23-11",
            "23-11-26",
            "23/11-2026",
            "23-11/2026",
            "2026/11/23",
            "2026.11.23",
            "23 11 2026",
            "23-11-2026-1",
            "023-11-2026",
            "23-011-2026",
            "23-11-02026",
            "2026-11-023",
            "a3-11-2026",
            "23-1a-2026",
            "+3-11-2026",
            "23--11-2026",
            "23-11-2026 12:00",
            "2026-11-23T10:00:00Z",
            "２３-11-2026",
        ] {
            assert_eq!(parse_day(refused), None, "{refused}");
        }
    }

    proptest! {
        #[test]
        fn every_supported_day_reads_back_in_every_way_it_is_written(
            offset in 0..=(LAST - FIRST).num_days()
        ) {
            let expected = FIRST + chrono::Duration::days(offset);
            let (d, m, y) = (expected.day(), expected.month(), expected.year());
            for text in [
                expected.to_string(),
                format!("{d:02}-{m:02}-{y}"),
                format!("{d:02}/{m:02}/{y}"),
                format!("{d:02}.{m:02}.{y}"),
                format!("{d}-{m}-{y}"),
                format!("{d}/{m}/{y}"),
                format!("{d}.{m}.{y}"),
            ] {
                prop_assert_eq!(parse_day(&text), Some(expected), "{}", text);
            }
        }

        #[test]
        fn parsing_never_panics_and_only_gives_supported_days(text in "\\PC{0,16}") {
            if let Some(day) = parse_day(&text) {
                prop_assert!(in_range(day));
            }
        }
    }
}
