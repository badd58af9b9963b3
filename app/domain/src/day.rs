//! Calendar days as forms and URLs write them (`2026-11-23`), within the range Atrium
//! supports. A day outside it is refused when parsed, so that calendar arithmetic on it (a
//! month's weeks, a step forward) can never overflow.

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

/// An ISO day in the supported range, or `None`.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    // Longer text is never a day; bounding it keeps the parser's work small.
    if text.len() > 10 {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|day| in_range(*day))
}

pub fn in_range(day: NaiveDate) -> bool {
    (FIRST..=LAST).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_range_parse_and_others_are_refused() {
        assert_eq!(
            parse_day(" 2026-11-23 "),
            NaiveDate::from_ymd_opt(2026, 11, 23)
        );
        assert_eq!(parse_day("1900-01-01"), Some(FIRST));
        assert_eq!(parse_day("2199-12-31"), Some(LAST));
        for refused in [
            "+262142-12-20",
            "-262143-01-01",
            "1899-12-31",
            "2200-01-01",
            "2026-02-30",
            "",
            "23-11-2026",
        ] {
            assert_eq!(parse_day(refused), None, "{refused}");
        }
    }
}
