//! Tasks: work with an assignee, a creator, dates, a status moved by the domain state machine,
//! a history, a checklist, participants and booked hours. Most belong to a project.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod hours;
pub mod list;
pub mod time_list;
pub mod ui;

use crate::domain::project::Indicators;
use crate::domain::{Money, Priority, TaskAction, TaskInput, TaskStatus};
use crate::shared::UserRef;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A task as lists show it (project page, my tasks, kanban, timeline).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskLine {
    pub id: Uuid,
    pub title: String,
    pub project: Option<ProjectLabel>,
    /// The deal the task was created from (CRM), shown where a task without a project
    /// would show its project.
    #[serde(default)]
    pub opportunity: Option<crate::shared::OpportunityRef>,
    pub status: TaskStatus,
    pub priority: Priority,
    pub assignee: Option<UserRef>,
    #[serde(with = "crate::shared::dates::optional_date")]
    pub start_date: Option<NaiveDate>,
    #[serde(with = "crate::shared::dates::optional_date")]
    pub due_date: Option<NaiveDate>,
    pub planned_hours: Option<Decimal>,
    pub hours_spent: Decimal,
    pub indicators: Indicators,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectLabel {
    pub id: Uuid,
    pub number: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub project: Option<ProjectLabel>,
    /// The deal the task was created from (CRM).
    pub opportunity: Option<crate::shared::OpportunityRef>,
    pub status: TaskStatus,
    pub priority: Priority,
    pub tags: Vec<String>,
    pub assignee: Option<UserRef>,
    pub creator: Option<UserRef>,
    pub participants: Vec<UserRef>,
    pub start_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub planned_hours: Option<Decimal>,
    pub hours_spent: Decimal,
    pub review_on_completion: bool,
    pub assignee_may_change_due: bool,
    pub indicators: Indicators,
    pub version: i32,
    /// The task's share of the quote line it was sold on, with the project's currency.
    #[serde(default)]
    pub quoted_amount: Option<Money>,
}

impl Task {
    pub fn input(&self) -> TaskInput {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        TaskInput {
            title: self.title.clone(),
            description: self.description.clone(),
            start_date: date(self.start_date),
            due_date: date(self.due_date),
            planned_hours: self
                .planned_hours
                .map(|h| h.to_string())
                .unwrap_or_default(),
            priority: self.priority.as_str().to_string(),
            tags: self.tags.join(", "),
            review_on_completion: self.review_on_completion,
            assignee_may_change_due: self.assignee_may_change_due,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    pub user: Option<String>,
    /// created, status, edited, deadline, assigned, checklist
    pub kind: String,
    pub action: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub comment: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub id: Uuid,
    pub text: String,
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeEntry {
    pub id: Uuid,
    pub user: Option<UserRef>,
    pub work_date: NaiveDate,
    pub hours: Decimal,
    pub note: String,
    pub billable: bool,
}

/// The task page: the task, what happened to it, and what the signed-in user may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskPage {
    pub task: Task,
    pub history: Vec<HistoryEntry>,
    pub checklist: Vec<ChecklistItem>,
    pub time_entries: Vec<TimeEntry>,
    /// Status moves the signed-in user can make now.
    pub actions: Vec<TaskAction>,
    pub may_edit: bool,
    pub may_change_due: bool,
    /// Adding time, checklist changes: the project is not closed and the user works on it.
    pub may_work: bool,
    /// Why the task's project takes no work now (closed, or completed and locked), if so.
    #[serde(default)]
    pub project_refusal: Option<crate::domain::project_access::Denied>,
    /// When the signed-in user's timer on this task started, if it runs.
    pub timer_started: Option<DateTime<Utc>>,
}

/// My tasks, by when they need work.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTasks {
    pub overdue: Vec<TaskLine>,
    pub today: Vec<TaskLine>,
    pub this_week: Vec<TaskLine>,
    pub later: Vec<TaskLine>,
    /// Completed by their assignee, waiting for my acceptance.
    pub review: Vec<TaskLine>,
    /// Document reminders and other notifications not yet read.
    pub reminders: Vec<Reminder>,
    pub running_timer: Option<RunningTimer>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub id: Uuid,
    pub project: ProjectLabel,
    pub document: String,
    #[serde(with = "crate::shared::dates::optional_date")]
    pub remind_on: Option<NaiveDate>,
    #[serde(with = "crate::shared::dates::optional_date")]
    pub expires_on: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningTimer {
    pub task_id: Uuid,
    pub task_title: String,
    #[serde(with = "crate::shared::dates::utc")]
    pub started_at: DateTime<Utc>,
}

/// The counters beside "My tasks" in the navigation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskCounts {
    /// Open tasks assigned to me.
    pub open: i64,
    pub overdue: i64,
    pub review: i64,
    pub reminders: i64,
}

pub fn task_href(id: Uuid) -> String {
    crate::shared::RecordKind::Task.href(id)
}

/// Who works on a task, as its forms send them: the assignee (blank: nobody) and the
/// participants (ids separated by commas).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskPeople {
    #[serde(default, deserialize_with = "crate::domain::form::blank_as_none")]
    pub assignee: Option<Uuid>,
    #[serde(
        default,
        deserialize_with = "crate::domain::form::comma_list",
        serialize_with = "crate::domain::form::to_comma_list"
    )]
    pub participants: Vec<Uuid>,
}
