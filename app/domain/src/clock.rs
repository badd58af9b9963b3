//! The user's day and hour. "Today" is the user's own calendar day, from the offset of their
//! time zone from UTC, on the server and in the browser alike: just after midnight in
//! Amsterdam, a task due yesterday is overdue at the same moment as an activity due
//! yesterday, and the server's render and the browser's agree on it.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// Offsets beyond these do not exist on Earth.
const MAX_OFFSET_MINUTES: i32 = 14 * 60;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// Minutes east of UTC (Amsterdam: 60 in winter, 120 in summer).
    offset_minutes: i32,
}

impl Clock {
    pub fn new(offset_minutes: i32) -> Clock {
        Clock {
            offset_minutes: offset_minutes.clamp(-MAX_OFFSET_MINUTES, MAX_OFFSET_MINUTES),
        }
    }

    pub fn offset_minutes(self) -> i32 {
        self.offset_minutes
    }

    /// The user's calendar day now.
    pub fn today(self) -> NaiveDate {
        self.today_at(Utc::now())
    }

    /// The user's calendar day at `now`.
    pub fn today_at(self, now: DateTime<Utc>) -> NaiveDate {
        self.local(now).date()
    }

    /// The user's wall-clock time at `at`.
    pub fn local(self, at: DateTime<Utc>) -> NaiveDateTime {
        (at + Duration::minutes(i64::from(self.offset_minutes))).naive_utc()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn today_is_the_users_own_day() {
        let late = "2026-11-22T23:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(Clock::new(60).today_at(late), day("2026-11-23"));
        assert_eq!(Clock::new(-300).today_at(late), day("2026-11-22"));
        assert_eq!(Clock::default().today_at(late), day("2026-11-22"));
    }

    #[test]
    fn offsets_are_bounded_and_hours_follow_them() {
        assert_eq!(Clock::new(100_000).offset_minutes(), 14 * 60);
        assert_eq!(Clock::new(i32::MIN).offset_minutes(), -14 * 60);
        let at = "2026-07-01T10:15:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            Clock::new(120).local(at).format("%H:%M").to_string(),
            "12:15"
        );
    }
}
