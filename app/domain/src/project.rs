//! Projects and tasks as typed into forms, parsed into drafts that can only exist valid, and
//! the small rules around them: project numbers, dates in order, hours, task indicators.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Why a project, task or time-entry field was refused; each names its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WorkError {
    #[error("title is empty")]
    TitleEmpty,
    #[error("title is too long")]
    TitleTooLong,
    #[error("not a date")]
    DateMalformed,
    #[error("the end is before the start")]
    EndBeforeStart,
    #[error("not an amount")]
    AmountMalformed,
    #[error("below zero")]
    Negative,
    #[error("too large")]
    TooLarge,
    #[error("hours must be above zero")]
    HoursNotPositive,
    #[error("text too long")]
    TextTooLong,
    #[error("unknown priority")]
    PriorityUnknown,
}

/// The human number of the `sequence`-th project of `year`: P-2026-0001.
pub fn project_number(year: i32, sequence: i32) -> String {
    format!("P-{year}-{sequence:04}")
}

const TITLE_MAX: usize = 200;
const DESCRIPTION_MAX: usize = 10_000;

pub fn parse_title(text: &str) -> Result<String, WorkError> {
    let title = text.trim();
    match title.chars().count() {
        0 => Err(WorkError::TitleEmpty),
        n if n > TITLE_MAX => Err(WorkError::TitleTooLong),
        _ => Ok(title.to_string()),
    }
}

pub fn parse_text(text: &str, max: usize) -> Result<String, WorkError> {
    let text = text.trim();
    if text.chars().count() > max {
        Err(WorkError::TextTooLong)
    } else {
        Ok(text.to_string())
    }
}

/// An optional date from a form, as `day::parse_day` reads it (`23-11-2026`, `23/11/2026`,
/// `23.11.2026` or `2026-11-23`); empty means none.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, WorkError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    super::day::parse_day(text)
        .map(Some)
        .ok_or(WorkError::DateMalformed)
}

/// Start and end in order (either may be missing).
pub fn dates_in_order(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Result<(), WorkError> {
    match (start, end) {
        (Some(start), Some(end)) if end < start => Err(WorkError::EndBeforeStart),
        _ => Ok(()),
    }
}

/// A non-negative amount with at most two decimals, in either decimal notation (`1.250,50`
/// is not accepted: thousands separators are ambiguous between locales).
pub fn parse_amount(text: &str, max: Decimal) -> Result<Option<Decimal>, WorkError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let amount =
        Decimal::from_str(&text.replace(',', ".")).map_err(|_| WorkError::AmountMalformed)?;
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(WorkError::Negative);
    }
    if amount > max {
        return Err(WorkError::TooLarge);
    }
    Ok(Some(amount.round_dp(2)))
}

/// The raw text of the project form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectInput {
    pub title: String,
    pub description: String,
    pub start_date: String,
    pub end_date: String,
    pub tender_end_date: String,
    pub budget: String,
    /// What an hour of a task without a quoted amount is invoiced at.
    pub hourly_rate: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectDraft {
    pub title: String,
    pub description: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub tender_end_date: Option<NaiveDate>,
    pub budget: Option<Decimal>,
    pub hourly_rate: Option<Decimal>,
}

impl ProjectDraft {
    /// Parses every field; the first refused one comes back with its field name.
    pub fn parse(input: &ProjectInput) -> Result<ProjectDraft, (WorkError, &'static str)> {
        let start_date = parse_date(&input.start_date).map_err(|e| (e, "start_date"))?;
        let end_date = parse_date(&input.end_date).map_err(|e| (e, "end_date"))?;
        dates_in_order(start_date, end_date).map_err(|e| (e, "end_date"))?;
        Ok(ProjectDraft {
            title: parse_title(&input.title).map_err(|e| (e, "title"))?,
            description: parse_text(&input.description, DESCRIPTION_MAX)
                .map_err(|e| (e, "description"))?,
            start_date,
            end_date,
            tender_end_date: parse_date(&input.tender_end_date)
                .map_err(|e| (e, "tender_end_date"))?,
            budget: parse_amount(&input.budget, Decimal::new(999_999_999_999, 0))
                .map_err(|e| (e, "budget"))?,
            hourly_rate: parse_amount(&input.hourly_rate, Decimal::new(999_999, 0))
                .map_err(|e| (e, "hourly_rate"))?,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::Low, Priority::Normal, Priority::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
        }
    }

    pub fn parse(text: &str) -> Option<Priority> {
        Priority::ALL
            .into_iter()
            .find(|p| p.as_str() == text.trim())
    }
}

/// The raw text of the task form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaskInput {
    pub title: String,
    pub description: String,
    pub start_date: String,
    pub due_date: String,
    pub planned_hours: String,
    pub priority: String,
    /// Comma-separated.
    pub tags: String,
    pub review_on_completion: bool,
    pub assignee_may_change_due: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskDraft {
    pub title: String,
    pub description: String,
    pub start_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub planned_hours: Option<Decimal>,
    pub priority: Priority,
    pub tags: Vec<String>,
    pub review_on_completion: bool,
    pub assignee_may_change_due: bool,
}

impl TaskDraft {
    pub fn parse(input: &TaskInput) -> Result<TaskDraft, (WorkError, &'static str)> {
        let start_date = parse_date(&input.start_date).map_err(|e| (e, "start_date"))?;
        let due_date = parse_date(&input.due_date).map_err(|e| (e, "due_date"))?;
        dates_in_order(start_date, due_date).map_err(|e| (e, "due_date"))?;
        let priority = if input.priority.trim().is_empty() {
            Priority::Normal
        } else {
            Priority::parse(&input.priority).ok_or((WorkError::PriorityUnknown, "priority"))?
        };
        let mut tags = Vec::new();
        for tag in input.tags.split(',').filter(|t| !t.trim().is_empty()) {
            let tag =
                super::contact::parse_tag(tag).map_err(|_| (WorkError::TextTooLong, "tags"))?;
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        Ok(TaskDraft {
            title: parse_title(&input.title).map_err(|e| (e, "title"))?,
            description: parse_text(&input.description, 20_000).map_err(|e| (e, "description"))?,
            start_date,
            due_date,
            planned_hours: parse_amount(&input.planned_hours, Decimal::new(99_999, 0))
                .map_err(|e| (e, "planned_hours"))?,
            priority,
            tags,
            review_on_completion: input.review_on_completion,
            assignee_may_change_due: input.assignee_may_change_due,
        })
    }
}

/// Hours booked in one time entry: above zero, at most a day.
pub fn parse_hours(text: &str) -> Result<Decimal, WorkError> {
    match parse_amount(text, Decimal::new(24, 0)) {
        Ok(Some(hours)) if hours > Decimal::ZERO => Ok(hours),
        Ok(_) => Err(WorkError::HoursNotPositive),
        Err(WorkError::Negative) => Err(WorkError::HoursNotPositive),
        Err(error) => Err(error),
    }
}

/// The hours a running timer booked: whole minutes rounded up to the next hundredth of an
/// hour, at least 0.01 and at most 24.
pub fn timer_hours(seconds: i64) -> Decimal {
    let minutes = (seconds.max(0) + 59) / 60;
    let hours = Decimal::new(minutes.max(1), 0) / Decimal::new(60, 0);
    hours
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::AwayFromZero)
        .clamp(Decimal::new(1, 2), Decimal::new(24, 0))
}

/// The markers a task shows beside its status, computed from the times its history wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicators {
    /// The assignee has not opened the task yet.
    pub not_viewed: bool,
    /// Someone other than the assignee changed it since the assignee last looked.
    pub updated: bool,
    /// The deadline changed since the assignee last looked.
    pub deadline_changed: bool,
    pub overdue: bool,
}

/// When things happened to a task, as its history recorded them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaskTimes {
    pub assignee_seen: Option<chrono::DateTime<chrono::Utc>>,
    pub changed_by_other: Option<chrono::DateTime<chrono::Utc>>,
    pub due_changed: Option<chrono::DateTime<chrono::Utc>>,
}

pub fn indicators(
    times: TaskTimes,
    status: super::TaskStatus,
    due: Option<NaiveDate>,
    today: NaiveDate,
) -> Indicators {
    let after_seen = |at: Option<chrono::DateTime<chrono::Utc>>| match (at, times.assignee_seen) {
        (Some(at), Some(seen)) => at > seen,
        (Some(_), None) => true,
        (None, _) => false,
    };
    Indicators {
        not_viewed: times.assignee_seen.is_none(),
        updated: after_seen(times.changed_by_other),
        deadline_changed: after_seen(times.due_changed),
        overdue: super::task_state::is_overdue(status, due, today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn numbers_are_padded_per_year() {
        assert_eq!(project_number(2026, 1), "P-2026-0001");
        assert_eq!(project_number(2027, 12345), "P-2027-12345");
    }

    #[test]
    fn a_project_ends_after_it_starts() {
        let input = ProjectInput {
            title: "Roof".into(),
            start_date: "2026-05-10".into(),
            end_date: "2026-05-01".into(),
            ..ProjectInput::default()
        };
        assert_eq!(
            ProjectDraft::parse(&input),
            Err((WorkError::EndBeforeStart, "end_date"))
        );
        let same_day = ProjectInput {
            end_date: "2026-05-10".into(),
            ..input
        };
        assert!(ProjectDraft::parse(&same_day).is_ok());
    }

    #[test]
    fn budgets_are_non_negative_amounts() {
        let max = Decimal::new(1_000_000, 0);
        assert_eq!(parse_amount("", max), Ok(None));
        assert_eq!(
            parse_amount("1250,5", max),
            Ok(Some(Decimal::new(125050, 2)))
        );
        assert_eq!(parse_amount("-1", max), Err(WorkError::Negative));
        assert_eq!(parse_amount("abc", max), Err(WorkError::AmountMalformed));
        assert_eq!(parse_amount("2000000", max), Err(WorkError::TooLarge));
    }

    #[test]
    fn time_entries_book_positive_hours_up_to_a_day() {
        assert_eq!(parse_hours("1,5"), Ok(Decimal::new(15, 1)));
        assert_eq!(parse_hours("0"), Err(WorkError::HoursNotPositive));
        assert_eq!(parse_hours("-2"), Err(WorkError::HoursNotPositive));
        assert_eq!(parse_hours(""), Err(WorkError::HoursNotPositive));
        assert_eq!(parse_hours("25"), Err(WorkError::TooLarge));
    }

    #[test]
    fn timers_round_up_to_the_minute() {
        assert_eq!(timer_hours(0), Decimal::new(2, 2));
        assert_eq!(timer_hours(60), Decimal::new(2, 2));
        assert_eq!(timer_hours(90 * 60), Decimal::new(15, 1));
        assert_eq!(timer_hours(100 * 3600), Decimal::new(24, 0));
    }

    #[test]
    fn tasks_parse_their_fields() {
        let draft = TaskDraft::parse(&TaskInput {
            title: "  Measure the roof ".into(),
            due_date: "2026-12-01".into(),
            planned_hours: "4".into(),
            tags: "roof, roof, urgent".into(),
            ..TaskInput::default()
        })
        .unwrap();
        assert_eq!(draft.title, "Measure the roof");
        assert_eq!(draft.priority, Priority::Normal);
        assert_eq!(draft.tags, vec!["roof", "urgent"]);
        assert_eq!(
            TaskDraft::parse(&TaskInput {
                title: "x".into(),
                planned_hours: "-1".into(),
                ..TaskInput::default()
            }),
            Err((WorkError::Negative, "planned_hours"))
        );
        assert_eq!(
            TaskDraft::parse(&TaskInput::default()),
            Err((WorkError::TitleEmpty, "title"))
        );
    }

    #[test]
    fn indicators_follow_what_the_assignee_has_seen() {
        let at = |h| Some(Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap());
        let today = date("2026-11-23");
        let open = crate::TaskStatus::InProgress;
        let fresh = indicators(TaskTimes::default(), open, None, today);
        assert!(fresh.not_viewed && !fresh.updated && !fresh.deadline_changed && !fresh.overdue);

        let seen_then_changed = TaskTimes {
            assignee_seen: at(9),
            changed_by_other: at(10),
            due_changed: at(8),
        };
        let shown = indicators(seen_then_changed, open, Some(date("2026-11-22")), today);
        assert!(!shown.not_viewed && shown.updated && !shown.deadline_changed && shown.overdue);

        let done = indicators(
            seen_then_changed,
            crate::TaskStatus::Completed,
            Some(date("2026-11-22")),
            today,
        );
        assert!(!done.overdue);
    }
}
