//! The calendar buckets a date field groups by, and the period before a date range, which a
//! pivot compares with. A bucket's key is text that sorts as the calendar does (`2026-W09`,
//! `2026-Q1`), so the SQL side can write it with `to_char` and every side can sort it.

use crate::day;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// How a date field is grouped: by day, ISO week, month, quarter or year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateBucket {
    Day,
    /// The ISO week, Monday to Sunday, numbered in its ISO year: 31 December 2026 is in
    /// `2026-W53`, 30 December 2024 in `2025-W01`.
    Week,
    Month,
    Quarter,
    Year,
}

impl DateBucket {
    pub const ALL: [DateBucket; 5] = [
        DateBucket::Day,
        DateBucket::Week,
        DateBucket::Month,
        DateBucket::Quarter,
        DateBucket::Year,
    ];

    /// Reads the word the URL uses: `day`, `week`, `month`, `quarter` or `year`.
    pub fn parse(text: &str) -> Option<DateBucket> {
        DateBucket::ALL
            .into_iter()
            .find(|bucket| bucket.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DateBucket::Day => "day",
            DateBucket::Week => "week",
            DateBucket::Month => "month",
            DateBucket::Quarter => "quarter",
            DateBucket::Year => "year",
        }
    }

    /// The key of the bucket holding `day`: `2026-03-05`, `2026-W10`, `2026-03`, `2026-Q1`
    /// or `2026`. Keys of one bucket sort as their days do.
    pub fn key(self, day: NaiveDate) -> String {
        let (year, month) = (day.year(), day.month());
        match self {
            DateBucket::Day => format!("{year:04}-{month:02}-{:02}", day.day()),
            DateBucket::Week => {
                let week = day.iso_week();
                format!("{:04}-W{:02}", week.year(), week.week())
            }
            DateBucket::Month => format!("{year:04}-{month:02}"),
            DateBucket::Quarter => format!("{year:04}-Q{}", quarter_of(month)),
            DateBucket::Year => format!("{year:04}"),
        }
    }

    /// The `to_char` pattern with which PostgreSQL writes the same key as [`DateBucket::key`].
    pub fn sql_pattern(self) -> &'static str {
        match self {
            DateBucket::Day => "YYYY-MM-DD",
            DateBucket::Week => "IYYY-\"W\"IW",
            DateBucket::Month => "YYYY-MM",
            DateBucket::Quarter => "YYYY-\"Q\"Q",
            DateBucket::Year => "YYYY",
        }
    }

    /// The first day of the bucket holding `day`.
    pub fn start(self, day: NaiveDate) -> NaiveDate {
        let start = match self {
            DateBucket::Day => Some(day),
            DateBucket::Week => {
                day.checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))
            }
            DateBucket::Month => day.with_day(1),
            DateBucket::Quarter => {
                NaiveDate::from_ymd_opt(day.year(), (quarter_of(day.month()) - 1) * 3 + 1, 1)
            }
            DateBucket::Year => NaiveDate::from_ymd_opt(day.year(), 1, 1),
        };
        // Only the week of chrono's very first day starts before what chrono can hold.
        start.unwrap_or(NaiveDate::MIN)
    }

    /// The first day of the bucket a key names; `None` for text that is not a key of this
    /// bucket exactly as [`DateBucket::key`] writes it, or that lies outside the supported days.
    pub fn parse_key(self, key: &str) -> Option<NaiveDate> {
        if key.len() > 10 {
            return None;
        }
        let start = match self {
            DateBucket::Day => {
                let (year, rest) = key.split_once('-')?;
                let (month, day) = rest.split_once('-')?;
                NaiveDate::from_ymd_opt(year_of(year)?, digits(month, 2)?, digits(day, 2)?)?
            }
            DateBucket::Week => {
                let (year, week) = key.split_once("-W")?;
                NaiveDate::from_isoywd_opt(year_of(year)?, digits(week, 2)?, Weekday::Mon)?
            }
            DateBucket::Month => {
                let (year, month) = key.split_once('-')?;
                NaiveDate::from_ymd_opt(year_of(year)?, digits(month, 2)?, 1)?
            }
            DateBucket::Quarter => {
                let (year, quarter) = key.split_once("-Q")?;
                let quarter = digits(quarter, 1).filter(|q| (1..=4).contains(q))?;
                NaiveDate::from_ymd_opt(year_of(year)?, (quarter - 1) * 3 + 1, 1)?
            }
            DateBucket::Year => NaiveDate::from_ymd_opt(year_of(key)?, 1, 1)?,
        };
        day::in_range(start).then_some(start)
    }

    /// The days of the bucket a key names, both ends included.
    pub fn period_of_key(self, key: &str) -> Option<Period> {
        let first = self.parse_key(key)?;
        let next = match self {
            DateBucket::Day => first.succ_opt(),
            DateBucket::Week => first.checked_add_days(Days::new(7)),
            DateBucket::Month => first.checked_add_months(Months::new(1)),
            DateBucket::Quarter => first.checked_add_months(Months::new(3)),
            DateBucket::Year => first.checked_add_months(Months::new(12)),
        }?;
        // The last week of 2199 ends in 2200: the period stops at the last supported day.
        Period::new(first, next.pred_opt()?.min(day::LAST))
    }
}

fn quarter_of(month: u32) -> u32 {
    (month - 1) / 3 + 1
}

/// Exactly `count` ASCII digits, as a number.
fn digits(text: &str, count: usize) -> Option<u32> {
    if text.len() == count && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

fn year_of(text: &str) -> Option<i32> {
    digits(text, 4).and_then(|year| i32::try_from(year).ok())
}

/// Days from `first` to `last`, both included, within the days Atrium supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    first: NaiveDate,
    last: NaiveDate,
}

impl Period {
    /// `None` when `last` comes before `first` or either lies outside the supported days.
    pub fn new(first: NaiveDate, last: NaiveDate) -> Option<Period> {
        (first <= last && day::in_range(first) && day::in_range(last))
            .then_some(Period { first, last })
    }

    pub fn first(self) -> NaiveDate {
        self.first
    }

    pub fn last(self) -> NaiveDate {
        self.last
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        (self.first..=self.last).contains(&day)
    }

    /// The days both periods hold, if any.
    pub fn intersection(self, other: Period) -> Option<Period> {
        Period::new(self.first.max(other.first), self.last.min(other.last))
    }

    /// The period just before this one, and how far back it lies. Whole calendar months (a
    /// month, a quarter, a year, any run of months) step back by as many months, so March
    /// compares with February and a quarter with the one before, whatever their lengths; any
    /// other range steps back by its own number of days, so a week compares with the week
    /// before. `None` when that period would start before the supported days.
    pub fn previous(self) -> Option<(Period, PeriodShift)> {
        let shift = if self.is_whole_months() {
            let months = month_number(self.last) - month_number(self.first) + 1;
            PeriodShift::Months(u32::try_from(months).ok()?)
        } else {
            let days = (self.last - self.first).num_days() + 1;
            PeriodShift::Days(u64::try_from(days).ok()?)
        };
        let previous = Period::new(shift.back(self.first)?, self.first.pred_opt()?)?;
        Some((previous, shift))
    }

    fn is_whole_months(self) -> bool {
        self.first.day() == 1 && self.last.succ_opt().is_some_and(|next| next.day() == 1)
    }
}

/// Months since year 0, to count the months a period spans.
fn month_number(day: NaiveDate) -> i64 {
    i64::from(day.year()) * 12 + i64::from(day.month0())
}

/// How far a previous period lies before the period it is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PeriodShift {
    Months(u32),
    Days(u64),
}

impl PeriodShift {
    /// The day as far later: a day of the previous period moved onto the period compared.
    pub fn forward(self, day: NaiveDate) -> Option<NaiveDate> {
        match self {
            PeriodShift::Months(months) => day.checked_add_months(Months::new(months)),
            PeriodShift::Days(days) => day.checked_add_days(Days::new(days)),
        }
    }

    /// The day as far earlier.
    pub fn back(self, day: NaiveDate) -> Option<NaiveDate> {
        match self {
            PeriodShift::Months(months) => day.checked_sub_months(Months::new(months)),
            PeriodShift::Days(days) => day.checked_sub_days(Days::new(days)),
        }
    }

    /// A bucket key of the previous period moved onto the period compared, so that its
    /// figures meet the bucket they are compared with: a month back, `2026-02` becomes
    /// `2026-03`. A week moved by months lands on the week holding its Monday's new day.
    /// `None` for text that is not a key of the bucket.
    pub fn forward_key(self, bucket: DateBucket, key: &str) -> Option<String> {
        let start = bucket.parse_key(key)?;
        Some(bucket.key(self.forward(start)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn period(first: &str, last: &str) -> Period {
        Period::new(day(first), day(last)).unwrap()
    }

    #[test]
    fn buckets_are_read_and_written_as_words() {
        for bucket in DateBucket::ALL {
            assert_eq!(DateBucket::parse(bucket.as_str()), Some(bucket));
        }
        for refused in ["", "Month", "months", "hour", "day "] {
            assert_eq!(DateBucket::parse(refused), None, "{refused}");
        }
    }

    #[test]
    fn each_bucket_has_a_sortable_key_and_a_first_day() {
        let thursday = day("2026-03-05");
        let cases = [
            (DateBucket::Day, "2026-03-05", "2026-03-05"),
            (DateBucket::Week, "2026-W10", "2026-03-02"),
            (DateBucket::Month, "2026-03", "2026-03-01"),
            (DateBucket::Quarter, "2026-Q1", "2026-01-01"),
            (DateBucket::Year, "2026", "2026-01-01"),
        ];
        for (bucket, key, start) in cases {
            assert_eq!(bucket.key(thursday), key);
            assert_eq!(bucket.start(thursday), day(start));
            assert_eq!(bucket.parse_key(key), Some(day(start)));
        }
    }

    #[test]
    fn iso_weeks_belong_to_their_iso_year_at_year_boundaries() {
        let cases = [
            ("2026-01-01", "2026-W01", "2025-12-29"),
            ("2026-12-31", "2026-W53", "2026-12-28"),
            ("2027-01-01", "2026-W53", "2026-12-28"),
            ("2024-12-30", "2025-W01", "2024-12-30"),
            ("2021-01-03", "2020-W53", "2020-12-28"),
            ("2199-12-31", "2200-W01", "2199-12-30"),
        ];
        for (date, key, monday) in cases {
            assert_eq!(DateBucket::Week.key(day(date)), key, "{date}");
            assert_eq!(DateBucket::Week.start(day(date)), day(monday), "{date}");
            assert_eq!(DateBucket::Week.parse_key(key), Some(day(monday)), "{key}");
        }
        // 2025 has 52 ISO weeks.
        assert_eq!(DateBucket::Week.parse_key("2025-W53"), None);
        assert_eq!(
            DateBucket::Week.period_of_key("2026-W53"),
            Some(period("2026-12-28", "2027-01-03"))
        );
    }

    #[test]
    fn quarters_hold_three_months() {
        assert_eq!(DateBucket::Quarter.key(day("2026-03-31")), "2026-Q1");
        assert_eq!(DateBucket::Quarter.key(day("2026-04-01")), "2026-Q2");
        assert_eq!(
            DateBucket::Quarter.start(day("2026-11-15")),
            day("2026-10-01")
        );
        assert_eq!(
            DateBucket::Quarter.period_of_key("2026-Q4"),
            Some(period("2026-10-01", "2026-12-31"))
        );
        assert_eq!(
            DateBucket::Month.period_of_key("2028-02"),
            Some(period("2028-02-01", "2028-02-29"))
        );
    }

    #[test]
    fn text_that_is_not_a_key_of_the_bucket_is_refused() {
        let cases = [
            (DateBucket::Day, "2026-3-05"),
            (DateBucket::Day, "2026-02-30"),
            (DateBucket::Day, "05-03-2026"),
            (DateBucket::Week, "2026-W9"),
            (DateBucket::Week, "2026-W00"),
            (DateBucket::Month, "2026-13"),
            (DateBucket::Month, "2026-03-01"),
            (DateBucket::Quarter, "2026-Q5"),
            (DateBucket::Quarter, "2026-Q0"),
            (DateBucket::Year, "26"),
            (DateBucket::Year, "1899"),
            (DateBucket::Year, "2200"),
            (DateBucket::Year, "+2026"),
            (DateBucket::Month, ""),
        ];
        for (bucket, key) in cases {
            assert_eq!(bucket.parse_key(key), None, "{key}");
        }
    }

    #[test]
    fn whole_months_compare_with_as_many_months_before() {
        let march = period("2026-03-01", "2026-03-31");
        assert_eq!(
            march.previous(),
            Some((period("2026-02-01", "2026-02-28"), PeriodShift::Months(1)))
        );
        let leap_march = period("2028-03-01", "2028-03-31");
        assert_eq!(
            leap_march.previous().unwrap().0,
            period("2028-02-01", "2028-02-29")
        );
        let first_quarter = period("2026-01-01", "2026-03-31");
        assert_eq!(
            first_quarter.previous(),
            Some((period("2025-10-01", "2025-12-31"), PeriodShift::Months(3)))
        );
        let year = period("2026-01-01", "2026-12-31");
        assert_eq!(
            year.previous().unwrap().0,
            period("2025-01-01", "2025-12-31")
        );
    }

    #[test]
    fn other_ranges_compare_with_as_many_days_before() {
        let week = period("2026-03-02", "2026-03-08");
        assert_eq!(
            week.previous(),
            Some((period("2026-02-23", "2026-03-01"), PeriodShift::Days(7)))
        );
        let mid_month = period("2026-01-15", "2026-02-14");
        assert_eq!(
            mid_month.previous().unwrap().0,
            period("2025-12-15", "2026-01-14")
        );
        assert_eq!(period("1900-01-01", "1900-01-31").previous(), None);
    }

    #[test]
    fn previous_keys_move_onto_the_period_compared() {
        let (_, shift) = period("2026-03-01", "2026-03-31").previous().unwrap();
        assert_eq!(
            shift.forward_key(DateBucket::Month, "2026-02").as_deref(),
            Some("2026-03")
        );
        let (_, shift) = period("2026-01-01", "2026-03-31").previous().unwrap();
        assert_eq!(
            shift.forward_key(DateBucket::Quarter, "2025-Q4").as_deref(),
            Some("2026-Q1")
        );
        assert_eq!(
            PeriodShift::Days(7)
                .forward_key(DateBucket::Week, "2026-W53")
                .as_deref(),
            Some("2027-W01")
        );
        assert_eq!(
            PeriodShift::Days(7).forward_key(DateBucket::Week, "soon"),
            None
        );
    }

    #[test]
    fn periods_are_ordered_and_in_range() {
        assert_eq!(Period::new(day("2026-03-02"), day("2026-03-01")), None);
        assert_eq!(Period::new(day("1899-12-31"), day("1900-01-01")), None);
        let march = period("2026-03-01", "2026-03-31");
        assert!(march.contains(day("2026-03-31")));
        assert!(!march.contains(day("2026-04-01")));
        assert_eq!(
            march.intersection(period("2026-03-20", "2026-04-10")),
            Some(period("2026-03-20", "2026-03-31"))
        );
        assert_eq!(march.intersection(period("2026-04-01", "2026-04-10")), None);
    }

    proptest! {
        /// Every supported day lies in the bucket its key names, which starts on the bucket's
        /// first day, and keys sort as the days do.
        #[test]
        fn a_day_lies_in_the_bucket_its_key_names(
            offset in 0..(day::LAST - day::FIRST).num_days(),
            bucket in proptest::sample::select(DateBucket::ALL.to_vec()),
        ) {
            let today = day::FIRST + chrono::Duration::days(offset);
            let tomorrow = today.succ_opt().unwrap();
            let key = bucket.key(today);
            prop_assert_eq!(bucket.parse_key(&key), Some(bucket.start(today)));
            prop_assert_eq!(bucket.key(bucket.start(today)), key.clone());
            let days = bucket.period_of_key(&key).unwrap();
            prop_assert!(days.contains(today));
            prop_assert!(bucket.key(tomorrow) >= key);
        }

        #[test]
        fn the_previous_period_ends_the_day_before(
            offset in 0..(day::LAST - day::FIRST).num_days(),
            length in 0i64..800,
        ) {
            let first = day::FIRST + chrono::Duration::days(offset);
            let Some(this) = Period::new(first, first + chrono::Duration::days(length)) else {
                return Ok(());
            };
            if let Some((previous, shift)) = this.previous() {
                prop_assert_eq!(previous.last().succ_opt(), Some(this.first()));
                prop_assert_eq!(shift.forward(previous.first()), Some(this.first()));
            }
        }
    }
}
