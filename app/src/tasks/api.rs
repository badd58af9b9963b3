//! Server functions of tasks. Each reads the caller's rights on the task (or its project)
//! first; status moves go through `domain::task_state::apply`.

use super::{MyTasks, TaskCounts, TaskPage, TaskPeople};
use crate::codec::JsonAnswer;
use crate::domain::{TaskAction, TaskInput};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::{db, hours},
    crate::domain::project::{dates_in_order, parse_date, parse_hours, parse_text},
    crate::domain::task_state::{self, Parts},
    crate::domain::{ProjectOp, TaskDraft},
    crate::error::FieldProblem,
    crate::registry::access::{admit_to_project, require_project},
    crate::state::today,
};

pub type CreateTaskAction = ServerAction<CreateTask>;
pub type UpdateTaskAction = ServerAction<UpdateTask>;

#[cfg(feature = "ssr")]
fn parse_draft(input: &TaskInput) -> Result<TaskDraft, AppError> {
    TaskDraft::parse(input).map_err(|(error, field)| AppError::invalid(field, error.into()))
}

/// Creates a task, in a project (for its members) or on its own. An assignee outside the
/// project is refused unless the caller may add members and says so with `add_member`.
#[server(endpoint = "tasks/create", output = JsonAnswer)]
pub async fn create_task(
    #[server(default)] project: Option<Uuid>,
    #[server(flatten)] people: TaskPeople,
    #[server(default)] add_member: bool,
    task: TaskInput,
) -> Result<Uuid, AppError> {
    crate::api::write(async |user, tx| {
        let draft = parse_draft(&task)?;
        if let Some(project) = project {
            require_project(tx, &user, project, ProjectOp::WorkOnTasks).await?;
        }
        let assignee = crate::shared::db::resolve_user(tx, people.assignee, "assignee").await?;
        if let (Some(project), Some(assignee)) = (project, assignee) {
            admit_to_project(tx, &user, project, assignee, add_member).await?;
        }
        db::insert(tx, project, &draft, assignee, user.id).await
    })
    .await
}

/// The task page. Opening it as the assignee clears "not yet viewed" and "updated".
#[server(endpoint = "tasks/get", output = JsonAnswer)]
pub async fn get_task(id: Uuid) -> Result<TaskPage, AppError> {
    crate::api::read(async |user, conn| {
        let access = db::access(conn, &user, id, false).await?;
        let task = db::get(conn, id, today()).await?;
        if access.parts.assignee {
            db::mark_seen(conn, id, user.id).await?;
        }
        let parts = Parts {
            assignee: access.parts.assignee,
            creator: access.parts.creator,
        };
        let actions = if access.rights.work {
            task_state::available(access.status, parts, access.review)
        } else {
            Vec::new()
        };
        Ok(TaskPage {
            history: db::history(conn, id).await?,
            checklist: db::checklist(conn, id).await?,
            time_entries: hours::time_entries(conn, id).await?,
            timer_started: hours::timer_started(conn, user.id, id).await?,
            task,
            actions,
            may_edit: access.rights.edit,
            may_change_due: access.rights.change_due,
            may_work: access.rights.work,
            project_refusal: access
                .project
                .and_then(crate::domain::project_access::Standing::refusal),
        })
    })
    .await
}

/// Saves the task as edited on `version`. The deadline changes only for those allowed to
/// change it.
#[server(endpoint = "tasks/update", output = JsonAnswer)]
pub async fn update_task(
    id: Uuid,
    version: i32,
    #[server(flatten)] people: TaskPeople,
    #[server(default)] add_member: bool,
    task: TaskInput,
) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let draft = parse_draft(&task)?;
        let access = db::access(tx, &user, id, true).await?;
        db::require(&access, access.rights.edit)?;
        let current = db::get(tx, id, today()).await?;
        if current.due_date != draft.due_date && !access.rights.change_due {
            return Err(AppError::invalid(
                "due_date",
                FieldProblem::DeadlineNotYours,
            ));
        }
        let assignee = crate::shared::db::resolve_user(tx, people.assignee, "assignee").await?;
        let reassigned = assignee != current.assignee.as_ref().map(|a| a.id);
        if let (Some(project), Some(assignee), true) = (access.project_id, assignee, reassigned) {
            admit_to_project(tx, &user, project, assignee, add_member).await?;
        }
        db::update(tx, id, version, &draft, assignee, user.id).await?;
        db::set_participants(tx, id, &people.participants).await
    })
    .await
}

/// Moves a task's dates (timeline drag), as read at `version`.
#[server(endpoint = "tasks/set_dates", output = JsonAnswer)]
pub async fn set_task_dates(
    id: Uuid,
    version: i32,
    #[server(default)] start_date: String,
    #[server(default)] due_date: String,
) -> Result<i32, AppError> {
    crate::api::write(async |user, tx| {
        let start =
            parse_date(&start_date).map_err(|e| AppError::invalid("start_date", e.into()))?;
        let due = parse_date(&due_date).map_err(|e| AppError::invalid("due_date", e.into()))?;
        dates_in_order(start, due).map_err(|e| AppError::invalid("due_date", e.into()))?;
        let access = db::access(tx, &user, id, true).await?;
        db::require(&access, access.rights.edit)?;
        let current = db::get(tx, id, today()).await?;
        if current.due_date != due && !access.rights.change_due {
            return Err(AppError::invalid(
                "due_date",
                FieldProblem::DeadlineNotYours,
            ));
        }
        db::set_dates(tx, id, version, start, due, user.id).await?;
        Ok(version + 1)
    })
    .await
}

/// Applies a status action (start, pause, complete, accept, send back, defer, renew) to the
/// task as read at `version`: an action on a task someone changed since gets 409.
#[server(endpoint = "tasks/act", output = JsonAnswer)]
pub async fn act_on_task(
    id: Uuid,
    version: i32,
    action: TaskAction,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let comment =
            parse_text(&comment, 2000).map_err(|e| AppError::invalid("comment", e.into()))?;
        let access = db::access(tx, &user, id, true).await?;
        db::require(&access, access.rights.work)?;
        db::require_version(tx, id, version).await?;
        let parts = Parts {
            assignee: access.parts.assignee,
            creator: access.parts.creator,
        };
        let to = task_state::apply(access.status, action, parts, access.review, &comment)
            .map_err(|e| AppError::invalid("action", e.into()))?;
        db::set_status(tx, id, access.status, to, action, &comment, user.id).await
    })
    .await
}

/// Moves a task to another status by dragging it on the kanban: the move is the action
/// that leads there for this user, if there is exactly one.
#[server(endpoint = "tasks/move_to_status", output = JsonAnswer)]
pub async fn move_task_to_status(id: Uuid, status: String) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let to = crate::domain::TaskStatus::parse(&status)
            .ok_or_else(|| AppError::invalid("status", FieldProblem::ActionNotAllowed))?;
        let access = db::access(tx, &user, id, true).await?;
        db::require(&access, access.rights.work)?;
        let parts = Parts {
            assignee: access.parts.assignee,
            creator: access.parts.creator,
        };
        let action = task_state::action_to(access.status, to, parts, access.review)
            .ok_or_else(|| AppError::invalid("status", FieldProblem::ActionNotAllowed))?;
        db::set_status(tx, id, access.status, to, action, "", user.id).await
    })
    .await
}

/// Puts a task before another in its project's order (or last).
#[server(endpoint = "tasks/reorder", output = JsonAnswer)]
pub async fn reorder_task(id: Uuid, before: Option<Uuid>) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let access = db::access(tx, &user, id, true).await?;
        let project = access.project_id.ok_or(AppError::NotFound)?;
        require_project(tx, &user, project, ProjectOp::WorkOnTasks).await?;
        db::reorder(tx, id, before).await
    })
    .await
}

/// Adds a checklist item, ticks or unticks one (`done`), or removes one (`done` absent).
#[server(endpoint = "tasks/checklist", output = JsonAnswer)]
pub async fn change_checklist(
    id: Uuid,
    #[server(default)] item: Option<Uuid>,
    #[server(default)] text: String,
    #[server(default)] done: Option<bool>,
) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let access = db::access(tx, &user, id, true).await?;
        db::require(&access, access.rights.work)?;
        match item {
            None => {
                let text = crate::domain::project::parse_title(&text)
                    .map_err(|e| AppError::invalid("text", e.into()))?;
                db::add_checklist_item(tx, id, &text).await?;
            }
            Some(item) => db::set_checklist_item(tx, id, item, done).await?,
        }
        let change = db::Change {
            kind: "checklist",
            ..db::Change::default()
        };
        db::record(tx, id, user.id, change).await?;
        db::touch(tx, id, user.id).await
    })
    .await
}

/// Books hours on a task.
#[server(endpoint = "tasks/log_time", output = JsonAnswer)]
pub async fn log_time(
    id: Uuid,
    work_date: String,
    hours: String,
    #[server(default)] note: String,
    #[server(default)] billable: Option<String>,
) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let hours = parse_hours(&hours).map_err(|e| AppError::invalid("hours", e.into()))?;
        let work_date = parse_date(&work_date)
            .map_err(|e| AppError::invalid("work_date", e.into()))?
            .ok_or_else(|| AppError::invalid("work_date", FieldProblem::DateMalformed))?;
        let note = parse_text(&note, 1000).map_err(|e| AppError::invalid("note", e.into()))?;
        let access = db::access(tx, &user, id, true).await?;
        db::require(&access, access.rights.work)?;
        let entry = hours::NewTimeEntry {
            task: id,
            project: access.project_id,
            user: user.id,
            work_date,
            hours,
            note: &note,
            billable: billable.is_some_and(|b| b != "false"),
        };
        hours::add_time_entry(tx, entry).await
    })
    .await
}

#[server(endpoint = "tasks/delete_time", output = JsonAnswer)]
pub async fn delete_time(id: Uuid, entry: Uuid) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let access = db::access(tx, &user, id, true).await?;
        db::require(&access, access.rights.work)?;
        hours::delete_time_entry(tx, id, entry, user.id, access.project_admin).await
    })
    .await
}

/// The task a time entry is booked on (a row of the Hours list opens it), for those who may
/// see that task.
#[server(endpoint = "tasks/time_entry_task", output = JsonAnswer)]
pub async fn time_entry_task(id: Uuid) -> Result<Uuid, AppError> {
    crate::api::read(async |user, conn| {
        let task = hours::task_of_entry(conn, id).await?;
        db::access(conn, &user, task, false).await?;
        Ok(task)
    })
    .await
}

/// Starts the caller's timer on a task (stopping and booking a running one first).
#[server(endpoint = "tasks/timer_start", output = JsonAnswer)]
pub async fn start_timer(id: Uuid) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let access = db::access(tx, &user, id, true).await?;
        db::require(&access, access.rights.work)?;
        hours::start_timer(tx, user.id, id, user.today()).await
    })
    .await
}

/// Stops the caller's timer and books its time; returns the hours booked.
#[server(endpoint = "tasks/timer_stop", output = JsonAnswer)]
pub async fn stop_timer() -> Result<String, AppError> {
    crate::api::write(async |user, tx| {
        if let Some(timer) = hours::running_timer(tx, user.id).await? {
            let access = db::access(tx, &user, timer.task_id, true).await?;
            db::require(&access, access.rights.work)?;
        }
        let hours = hours::stop_timer(tx, user.id, user.today())
            .await?
            .ok_or_else(|| AppError::invalid("timer", FieldProblem::TimerNotRunning))?;
        Ok(hours.to_string())
    })
    .await
}

/// My tasks: to work on, by deadline, and waiting for my review; with my reminders.
#[server(endpoint = "tasks/mine", output = JsonAnswer)]
pub async fn fetch_my_tasks() -> Result<MyTasks, AppError> {
    crate::api::read(async |user, conn| db::mine(conn, user.id, today()).await).await
}

/// The counters of the navigation.
#[server(endpoint = "tasks/counts", output = JsonAnswer)]
pub async fn fetch_task_counts() -> Result<TaskCounts, AppError> {
    crate::api::read(async |user, conn| db::counts(conn, user.id, today()).await).await
}

#[server(endpoint = "tasks/dismiss_reminder", input = Json, output = JsonAnswer)]
pub async fn dismiss_reminder(id: Uuid) -> Result<(), AppError> {
    crate::api::write(async |user, conn| db::dismiss_reminder(conn, user.id, id).await).await
}
