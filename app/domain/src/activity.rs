//! Activities (call, e-mail, meeting, to-do, upload a document, and configured types): the
//! form parsed into a draft, the due date a type proposes, and the state that colours a
//! pipeline card's activity icon — overdue (red), due today (orange), planned (green), or
//! nothing planned (grey clock). "Today" is the user's own day, from their `Clock`, so
//! that a call due today does not turn overdue at midnight UTC.

use super::project::{parse_date, parse_text, WorkError};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The longest feedback note a done activity keeps.
pub const FEEDBACK_MAX: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityState {
    Overdue,
    Today,
    Planned,
}

/// The state of an activity that is not done yet.
pub fn state(due: NaiveDate, today: NaiveDate) -> ActivityState {
    match due.cmp(&today) {
        std::cmp::Ordering::Less => ActivityState::Overdue,
        std::cmp::Ordering::Equal => ActivityState::Today,
        std::cmp::Ordering::Greater => ActivityState::Planned,
    }
}

/// The due date a type proposes: "call in 2 days".
pub fn proposed_due(today: NaiveDate, delay_days: i32) -> NaiveDate {
    today + Duration::days(i64::from(delay_days.clamp(0, 3650)))
}

/// What a card's activity icon shows: the type of the next activity and its state, or
/// nothing planned. `planned` holds (due date, type key) of the record's open activities.
pub fn next_activity<'a>(
    planned: &[(NaiveDate, &'a str)],
    today: NaiveDate,
) -> Option<(&'a str, ActivityState)> {
    planned
        .iter()
        .min_by_key(|(due, _)| *due)
        .map(|(due, kind)| (*kind, state(*due, today)))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ActivityError {
    #[error("choose the type of activity")]
    TypeRequired,
    #[error("choose a due date")]
    DueRequired,
    #[error("{0}")]
    Field(WorkError),
}

/// The raw text of the activity dialog.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityInput {
    /// The type's key (call, email, meeting, todo, document, or a configured one).
    pub kind: String,
    pub due: String,
    pub summary: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityDraft {
    pub kind: String,
    pub due: NaiveDate,
    pub summary: String,
    pub note: String,
}

impl ActivityDraft {
    pub fn parse(input: &ActivityInput) -> Result<ActivityDraft, (ActivityError, &'static str)> {
        let kind = input.kind.trim();
        if kind.is_empty() {
            return Err((ActivityError::TypeRequired, "kind"));
        }
        let due = parse_date(&input.due)
            .map_err(|e| (ActivityError::Field(e), "due"))?
            .ok_or((ActivityError::DueRequired, "due"))?;
        Ok(ActivityDraft {
            kind: kind.to_string(),
            due,
            summary: parse_text(&input.summary, 200)
                .map_err(|e| (ActivityError::Field(e), "summary"))?,
            note: parse_text(&input.note, 10_000).map_err(|e| (ActivityError::Field(e), "note"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Clock;
    use chrono::{TimeZone, Utc};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_state_follows_the_due_date() {
        let today = day("2026-11-23");
        assert_eq!(state(day("2026-11-22"), today), ActivityState::Overdue);
        assert_eq!(state(today, today), ActivityState::Today);
        assert_eq!(state(day("2026-11-24"), today), ActivityState::Planned);
    }

    #[test]
    fn today_is_the_users_own_day() {
        // 23:30 UTC on the 22nd is already the 23rd in Amsterdam (UTC+1), still the 22nd in
        // New York (UTC-5).
        let late = Utc.with_ymd_and_hms(2026, 11, 22, 23, 30, 0).unwrap();
        assert_eq!(Clock::new(60).today_at(late), day("2026-11-23"));
        assert_eq!(Clock::new(-300).today_at(late), day("2026-11-22"));
        assert_eq!(Clock::new(0).today_at(late), day("2026-11-22"));
        // A call due on the 23rd is "today" in Amsterdam and planned in New York.
        assert_eq!(
            state(day("2026-11-23"), Clock::new(60).today_at(late)),
            ActivityState::Today
        );
        assert_eq!(
            state(day("2026-11-23"), Clock::new(-300).today_at(late)),
            ActivityState::Planned
        );
    }

    #[test]
    fn the_icon_shows_the_earliest_open_activity() {
        let today = day("2026-11-23");
        assert_eq!(next_activity(&[], today), None);
        let planned = [
            (day("2026-11-25"), "meeting"),
            (day("2026-11-21"), "call"),
            (day("2026-11-23"), "email"),
        ];
        assert_eq!(
            next_activity(&planned, today),
            Some(("call", ActivityState::Overdue))
        );
        assert_eq!(proposed_due(today, 2), day("2026-11-25"));
    }

    #[test]
    fn an_activity_needs_a_type_and_a_due_date() {
        let input = ActivityInput {
            kind: "call".into(),
            due: "2026-11-25".into(),
            summary: "Discuss the quote".into(),
            ..ActivityInput::default()
        };
        assert_eq!(ActivityDraft::parse(&input).unwrap().due, day("2026-11-25"));
        assert_eq!(
            ActivityDraft::parse(&ActivityInput {
                kind: " ".into(),
                ..input.clone()
            }),
            Err((ActivityError::TypeRequired, "kind"))
        );
        assert_eq!(
            ActivityDraft::parse(&ActivityInput {
                due: String::new(),
                ..input.clone()
            }),
            Err((ActivityError::DueRequired, "due"))
        );
        assert_eq!(
            ActivityDraft::parse(&ActivityInput {
                due: "tomorrow".into(),
                ..input
            }),
            Err((ActivityError::Field(WorkError::DateMalformed), "due"))
        );
    }
}
