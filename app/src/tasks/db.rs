//! Tasks in Postgres: lines for lists, the task page, writes that record their history in the
//! same transaction, and the checklist. Hours and timers are in `hours.rs`.

use super::{
    ChecklistItem, HistoryEntry, MyTasks, ProjectLabel, Reminder, Task, TaskCounts, TaskLine,
};
use crate::auth::CurrentUser;
use crate::domain::project::{indicators, TaskTimes};
use crate::domain::project_access::{self, Permission, Standing, TaskParts, TaskRights};
use crate::domain::{Priority, ProjectState, TaskDraft, TaskStatus};
use crate::error::AppError;
use crate::shared::db::stored_money;
use crate::shared::UserRef;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

fn status_of(text: &str) -> Result<TaskStatus, AppError> {
    TaskStatus::parse(text).ok_or_else(|| {
        tracing::error!(status = text, "unknown task status in the database");
        AppError::Internal
    })
}

pub(super) fn user(id: Option<Uuid>, name: Option<String>) -> Option<UserRef> {
    id.zip(name).map(|(id, name)| UserRef { id, name })
}

fn project(
    id: Option<Uuid>,
    number: Option<String>,
    title: Option<String>,
) -> Option<ProjectLabel> {
    match (id, number, title) {
        (Some(id), Some(number), Some(title)) => Some(ProjectLabel { id, number, title }),
        _ => None,
    }
}

/// The columns every task line is read with (see `LINE_SELECT`).
struct LineRow {
    id: Uuid,
    title: String,
    project_id: Option<Uuid>,
    project_number: Option<String>,
    project_title: Option<String>,
    opportunity_id: Option<Uuid>,
    opportunity_title: Option<String>,
    status: String,
    priority: String,
    assignee_id: Option<Uuid>,
    assignee_name: Option<String>,
    start_date: Option<NaiveDate>,
    due_date: Option<NaiveDate>,
    planned_hours: Option<Decimal>,
    hours_spent: Decimal,
    assignee_seen_at: Option<DateTime<Utc>>,
    changed_by_other_at: Option<DateTime<Utc>>,
    due_changed_at: Option<DateTime<Utc>>,
    version: i32,
}

impl LineRow {
    fn line(self, today: NaiveDate) -> Result<TaskLine, AppError> {
        let status = status_of(&self.status)?;
        Ok(TaskLine {
            id: self.id,
            title: self.title,
            project: project(self.project_id, self.project_number, self.project_title),
            opportunity: self
                .opportunity_id
                .zip(self.opportunity_title)
                .map(|(id, title)| crate::shared::OpportunityRef { id, title }),
            status,
            priority: Priority::parse(&self.priority).unwrap_or(Priority::Normal),
            assignee: user(self.assignee_id, self.assignee_name),
            start_date: self.start_date,
            due_date: self.due_date,
            planned_hours: self.planned_hours,
            hours_spent: self.hours_spent,
            indicators: indicators(
                TaskTimes {
                    assignee_seen: self.assignee_seen_at,
                    changed_by_other: self.changed_by_other_at,
                    due_changed: self.due_changed_at,
                },
                status,
                self.due_date,
                today,
            ),
            version: self.version,
        })
    }
}

fn lines(rows: Vec<LineRow>, today: NaiveDate) -> Result<Vec<TaskLine>, AppError> {
    rows.into_iter().map(|r| r.line(today)).collect()
}

/// A project's tasks in their order: one statement.
pub async fn of_project(
    conn: &mut PgConnection,
    project_id: Uuid,
    today: NaiveDate,
) -> Result<Vec<TaskLine>, AppError> {
    let rows = sqlx::query_as!(
        LineRow,
        r#"SELECT t.id, t.title, t.project_id, p.number AS "project_number?",
                  p.title AS "project_title?", t.opportunity_id,
                  o.title AS "opportunity_title?", t.status, t.priority, t.assignee_id,
                  u.display_name AS "assignee_name?", t.start_date, t.due_date, t.planned_hours,
                  t.hours_spent, t.assignee_seen_at, t.changed_by_other_at, t.due_changed_at,
                  t.version
           FROM tasks t
           LEFT JOIN projects p ON p.id = t.project_id
           LEFT JOIN opportunities o ON o.id = t.opportunity_id
           LEFT JOIN users u ON u.id = t.assignee_id
           WHERE t.project_id = $1
           ORDER BY t.position, t.id"#,
        project_id
    )
    .fetch_all(conn)
    .await?;
    lines(rows, today)
}

/// The tasks created from a deal, most recently updated first: one statement.
pub async fn of_opportunity(
    conn: &mut PgConnection,
    opportunity_id: Uuid,
    today: NaiveDate,
) -> Result<Vec<TaskLine>, AppError> {
    let rows = sqlx::query_as!(
        LineRow,
        r#"SELECT t.id, t.title, t.project_id, p.number AS "project_number?",
                  p.title AS "project_title?", t.opportunity_id,
                  o.title AS "opportunity_title?", t.status, t.priority, t.assignee_id,
                  u.display_name AS "assignee_name?", t.start_date, t.due_date, t.planned_hours,
                  t.hours_spent, t.assignee_seen_at, t.changed_by_other_at, t.due_changed_at,
                  t.version
           FROM tasks t
           LEFT JOIN projects p ON p.id = t.project_id
           LEFT JOIN opportunities o ON o.id = t.opportunity_id
           LEFT JOIN users u ON u.id = t.assignee_id
           WHERE t.opportunity_id = $1
           ORDER BY t.updated_at DESC, t.id"#,
        opportunity_id
    )
    .fetch_all(conn)
    .await?;
    lines(rows, today)
}

/// The signed-in user's open tasks and the tasks waiting for their review, bucketed by
/// deadline; plus their unread reminders and running timer. Four statements.
pub async fn mine(
    conn: &mut PgConnection,
    me: Uuid,
    today: NaiveDate,
) -> Result<MyTasks, AppError> {
    // Two branches, each on its own partial index (open tasks by assignee and deadline;
    // tasks pending review by creator), each limited.
    let rows = sqlx::query_as!(
        LineRow,
        r#"(SELECT t.id AS "id!", t.title AS "title!", t.project_id, p.number AS "project_number?",
                   p.title AS "project_title?", t.opportunity_id AS "opportunity_id?",
                   o.title AS "opportunity_title?", t.status AS "status!", t.priority AS "priority!",
                   t.assignee_id, u.display_name AS "assignee_name?", t.start_date, t.due_date,
                   t.planned_hours, t.hours_spent AS "hours_spent!", t.assignee_seen_at,
                   t.changed_by_other_at, t.due_changed_at, t.version AS "version!"
            FROM tasks t
            LEFT JOIN projects p ON p.id = t.project_id
            LEFT JOIN opportunities o ON o.id = t.opportunity_id
            LEFT JOIN users u ON u.id = t.assignee_id
            WHERE t.assignee_id = $1
              AND t.status NOT IN ('completed', 'deferred', 'pending_review')
            ORDER BY t.due_date NULLS LAST, t.position, t.id
            LIMIT 1000)
           UNION ALL
           (SELECT t.id, t.title, t.project_id, p.number, p.title, t.opportunity_id, o.title,
                   t.status, t.priority,
                   t.assignee_id, u.display_name, t.start_date, t.due_date, t.planned_hours,
                   t.hours_spent, t.assignee_seen_at, t.changed_by_other_at, t.due_changed_at,
                   t.version
            FROM tasks t
            LEFT JOIN projects p ON p.id = t.project_id
            LEFT JOIN opportunities o ON o.id = t.opportunity_id
            LEFT JOIN users u ON u.id = t.assignee_id
            WHERE t.creator_id = $1 AND t.status = 'pending_review'
            ORDER BY t.due_date NULLS LAST, t.id
            LIMIT 200)"#,
        me
    )
    .fetch_all(&mut *conn)
    .await?;
    let weekday = chrono::Datelike::weekday(&today).num_days_from_monday();
    let week_end = today + chrono::Duration::days(i64::from(7 - weekday));
    let mut mine = MyTasks::default();
    for line in lines(rows, today)? {
        let bucket = if line.status == TaskStatus::PendingReview {
            &mut mine.review
        } else {
            match line.due_date {
                Some(due) if due < today => &mut mine.overdue,
                Some(due) if due == today => &mut mine.today,
                Some(due) if due < week_end => &mut mine.this_week,
                _ => &mut mine.later,
            }
        };
        bucket.push(line);
    }
    mine.reminders = reminders(conn, me).await?;
    mine.running_timer = super::hours::running_timer(conn, me).await?;
    Ok(mine)
}

pub async fn reminders(conn: &mut PgConnection, me: Uuid) -> Result<Vec<Reminder>, AppError> {
    Ok(sqlx::query!(
        "SELECT n.id, p.id AS project_id, p.number, p.title, d.file_name, d.remind_on, d.expires_on
         FROM notifications n
         JOIN project_documents d ON d.id = n.document_id
         JOIN projects p ON p.id = n.project_id
         WHERE n.user_id = $1 AND n.read_at IS NULL
         ORDER BY n.created_at DESC LIMIT 50",
        me
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| Reminder {
        id: r.id,
        project: ProjectLabel {
            id: r.project_id,
            number: r.number,
            title: r.title,
        },
        document: r.file_name,
        remind_on: r.remind_on,
        expires_on: r.expires_on,
    })
    .collect())
}

pub async fn dismiss_reminder(conn: &mut PgConnection, me: Uuid, id: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE notifications SET read_at = now() WHERE id = $1 AND user_id = $2",
        id,
        me
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The navigation counters: one statement on the partial indexes.
pub async fn counts(
    conn: &mut PgConnection,
    me: Uuid,
    today: NaiveDate,
) -> Result<TaskCounts, AppError> {
    let row = sqlx::query!(
        r#"SELECT
             (SELECT count(*) FROM tasks WHERE assignee_id = $1
                AND status NOT IN ('completed', 'deferred', 'pending_review')) AS "open!",
             (SELECT count(*) FROM tasks WHERE assignee_id = $1
                AND status NOT IN ('completed', 'deferred', 'pending_review')
                AND due_date < $2) AS "overdue!",
             (SELECT count(*) FROM tasks WHERE creator_id = $1
                AND status = 'pending_review') AS "review!",
             (SELECT count(*) FROM notifications WHERE user_id = $1
                AND read_at IS NULL) AS "reminders!""#,
        me,
        today
    )
    .fetch_one(conn)
    .await?;
    Ok(TaskCounts {
        open: row.open,
        overdue: row.overdue,
        review: row.review,
        reminders: row.reminders,
    })
}

/// What the access checks of one task need.
pub struct TaskAccess {
    pub project_id: Option<Uuid>,
    /// Where the task's project stands, for a task that has one.
    pub project: Option<Standing>,
    pub status: TaskStatus,
    pub parts: TaskParts,
    pub review: bool,
    pub rights: TaskRights,
    /// Administers the task's project (or the company, for a task without one).
    pub project_admin: bool,
    pub version: i32,
}

/// Reads a task's status and the user's rights on it; `lock` takes the task row (and shares
/// the project row) until the transaction ends, for writes.
pub async fn access(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
    lock: bool,
) -> Result<TaskAccess, AppError> {
    if lock {
        sqlx::query!("SELECT id FROM tasks WHERE id = $1 FOR UPDATE", id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    let row = sqlx::query!(
        r#"SELECT t.project_id, p.state AS "project_state?", p.locked AS "project_locked?",
                  m.permission AS "permission?",
                  t.status, t.assignee_id, t.creator_id, t.review_on_completion,
                  t.assignee_may_change_due, t.version,
                  EXISTS (SELECT 1 FROM task_participants tp
                          WHERE tp.task_id = t.id AND tp.user_id = $2) AS "participant!"
           FROM tasks t
           LEFT JOIN projects p ON p.id = t.project_id
           LEFT JOIN project_members m ON m.project_id = t.project_id AND m.user_id = $2
           WHERE t.id = $1"#,
        id,
        user.id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    if lock {
        if let Some(project_id) = row.project_id {
            sqlx::query!(
                "SELECT id FROM projects WHERE id = $1 FOR SHARE",
                project_id
            )
            .fetch_one(&mut *conn)
            .await?;
        }
    }
    let project_state = row
        .project_state
        .as_deref()
        .map(|s| ProjectState::parse(s).ok_or(AppError::Internal))
        .transpose()?;
    let membership = row
        .permission
        .as_deref()
        .map(|p| Permission::parse(p).ok_or(AppError::Internal))
        .transpose()?;
    let parts = TaskParts {
        assignee: row.assignee_id == Some(user.id),
        creator: row.creator_id == Some(user.id),
        participant: row.participant,
    };
    let permission = project_access::effective(user.role, membership);
    let standing = project_state.map(|state| Standing {
        state,
        locked: row.project_locked.unwrap_or(false),
    });
    let project = standing.map(|s| (permission, s));
    let project_admin = match project_state {
        Some(_) => permission == Some(Permission::Admin),
        None => matches!(
            user.role,
            crate::domain::Role::Admin | crate::domain::Role::Manager
        ),
    };
    let rights =
        project_access::task_rights(user.role, project, parts, row.assignee_may_change_due);
    if !rights.view {
        return Err(AppError::Forbidden);
    }
    Ok(TaskAccess {
        project_id: row.project_id,
        project: standing,
        status: status_of(&row.status)?,
        parts,
        review: row.review_on_completion,
        rights,
        project_admin,
        version: row.version,
    })
}

/// Refuses work on a task of a closed project with the project's own message, and any
/// other refusal as forbidden.
pub fn require(access: &TaskAccess, allowed: bool) -> Result<(), AppError> {
    if allowed {
        return Ok(());
    }
    if let Some(denied) = access.project.and_then(Standing::refusal) {
        return Err(AppError::Project(denied));
    }
    Err(AppError::Forbidden)
}

pub async fn get(conn: &mut PgConnection, id: Uuid, today: NaiveDate) -> Result<Task, AppError> {
    let r = sqlx::query!(
        r#"SELECT t.id, t.title, t.description, t.project_id, p.number AS "project_number?",
                  p.title AS "project_title?", t.opportunity_id, o.title AS "opportunity_title?",
                  t.status, t.priority, t.tags,
                  t.assignee_id, a.display_name AS "assignee_name?",
                  t.creator_id, c.display_name AS "creator_name?",
                  t.start_date, t.due_date, t.planned_hours, t.hours_spent,
                  t.review_on_completion, t.assignee_may_change_due,
                  t.assignee_seen_at, t.changed_by_other_at, t.due_changed_at, t.version,
                  t.quoted_amount, p.currency AS "currency?",
                  coalesce((SELECT array_agg(u.id ORDER BY u.display_name) FROM task_participants tp
                            JOIN users u ON u.id = tp.user_id WHERE tp.task_id = t.id), '{}')
                    AS "participant_ids!",
                  coalesce((SELECT array_agg(u.display_name ORDER BY u.display_name) FROM task_participants tp
                            JOIN users u ON u.id = tp.user_id WHERE tp.task_id = t.id), '{}')
                    AS "participant_names!"
           FROM tasks t
           LEFT JOIN projects p ON p.id = t.project_id
           LEFT JOIN users a ON a.id = t.assignee_id
           LEFT JOIN users c ON c.id = t.creator_id
           LEFT JOIN opportunities o ON o.id = t.opportunity_id
           WHERE t.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let status = status_of(&r.status)?;
    Ok(Task {
        id: r.id,
        title: r.title,
        description: r.description,
        project: project(r.project_id, r.project_number, r.project_title),
        opportunity: r
            .opportunity_id
            .zip(r.opportunity_title)
            .map(|(id, title)| crate::shared::OpportunityRef { id, title }),
        status,
        priority: Priority::parse(&r.priority).unwrap_or(Priority::Normal),
        tags: r.tags,
        assignee: user(r.assignee_id, r.assignee_name),
        creator: user(r.creator_id, r.creator_name),
        participants: r
            .participant_ids
            .into_iter()
            .zip(r.participant_names)
            .map(|(id, name)| UserRef { id, name })
            .collect(),
        start_date: r.start_date,
        due_date: r.due_date,
        planned_hours: r.planned_hours,
        hours_spent: r.hours_spent,
        review_on_completion: r.review_on_completion,
        assignee_may_change_due: r.assignee_may_change_due,
        indicators: indicators(
            TaskTimes {
                assignee_seen: r.assignee_seen_at,
                changed_by_other: r.changed_by_other_at,
                due_changed: r.due_changed_at,
            },
            status,
            r.due_date,
            today,
        ),
        version: r.version,
        quoted_amount: r
            .quoted_amount
            .map(|a| stored_money(a, r.currency.as_deref().unwrap_or("EUR")))
            .transpose()?,
    })
}

pub async fn history(conn: &mut PgConnection, id: Uuid) -> Result<Vec<HistoryEntry>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT h.at, u.display_name AS "user?", h.kind, h.action, h.old_value, h.new_value,
                  h.comment
           FROM task_history h LEFT JOIN users u ON u.id = h.user_id
           WHERE h.task_id = $1 ORDER BY h.id DESC LIMIT 200"#,
        id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| HistoryEntry {
        at: r.at,
        user: r.user,
        kind: r.kind,
        action: r.action,
        old_value: r.old_value,
        new_value: r.new_value,
        comment: r.comment,
    })
    .collect())
}

pub async fn checklist(conn: &mut PgConnection, id: Uuid) -> Result<Vec<ChecklistItem>, AppError> {
    Ok(sqlx::query!(
        "SELECT id, text, done FROM task_checklist_items WHERE task_id = $1 ORDER BY position, id",
        id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| ChecklistItem {
        id: r.id,
        text: r.text,
        done: r.done,
    })
    .collect())
}

/// One entry of a task's history.
#[derive(Default)]
pub struct Change<'a> {
    pub kind: &'a str,
    pub action: Option<&'a str>,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
    pub comment: &'a str,
}

pub async fn record(
    conn: &mut PgConnection,
    task: Uuid,
    by: Uuid,
    change: Change<'_>,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO task_history (task_id, user_id, kind, action, old_value, new_value, comment)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        task,
        by,
        change.kind,
        change.action,
        change.old_value,
        change.new_value,
        change.comment
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a change made by `by`: when it is not the assignee, the assignee sees "updated".
pub async fn touch(conn: &mut PgConnection, task: Uuid, by: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE tasks SET updated_at = now(), version = version + 1,
                changed_by_other_at = CASE WHEN assignee_id IS DISTINCT FROM $2 THEN now()
                                           ELSE changed_by_other_at END
         WHERE id = $1",
        task,
        by
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The assignee opened the task: "not yet viewed", "updated" and "deadline changed" clear.
pub async fn mark_seen(conn: &mut PgConnection, task: Uuid, me: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE tasks SET assignee_seen_at = now() WHERE id = $1 AND assignee_id = $2",
        task,
        me
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Creates a task, last in its project, with its creation in the history.
pub async fn insert(
    conn: &mut PgConnection,
    project_id: Option<Uuid>,
    draft: &TaskDraft,
    assignee: Option<Uuid>,
    creator: Uuid,
) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO tasks (id, project_id, title, description, assignee_id, creator_id, priority,
                            tags, start_date, due_date, planned_hours, review_on_completion,
                            assignee_may_change_due, position, assignee_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
                 coalesce((SELECT max(position) FROM tasks WHERE project_id = $2), 0) + 1024,
                 CASE WHEN $5::uuid = $6::uuid THEN now() END)",
        id,
        project_id,
        draft.title,
        draft.description,
        assignee,
        creator,
        draft.priority.as_str(),
        &draft.tags,
        draft.start_date,
        draft.due_date,
        draft.planned_hours,
        draft.review_on_completion,
        draft.assignee_may_change_due
    )
    .execute(&mut *conn)
    .await?;
    record(
        conn,
        id,
        creator,
        Change {
            kind: "created",
            ..Change::default()
        },
    )
    .await?;
    Ok(id)
}

/// `Conflict` unless the task is still at `version` (the caller holds its row lock).
pub async fn require_version(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
) -> Result<(), AppError> {
    let current = sqlx::query_scalar!("SELECT version FROM tasks WHERE id = $1", id)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    if current == version {
        Ok(())
    } else {
        Err(AppError::Conflict)
    }
}

/// Saves an edit made on `version`, recording what changed.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    draft: &TaskDraft,
    assignee: Option<Uuid>,
    by: Uuid,
) -> Result<(), AppError> {
    let before = sqlx::query!(
        "SELECT due_date, assignee_id, version FROM tasks WHERE id = $1",
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    if before.version != version {
        return Err(AppError::Conflict);
    }
    let due_changed = before.due_date != draft.due_date;
    let assignee_changed = before.assignee_id != assignee;
    sqlx::query!(
        "UPDATE tasks SET title = $2, description = $3, assignee_id = $4, priority = $5,
                tags = $6, start_date = $7, due_date = $8, planned_hours = $9,
                review_on_completion = $10, assignee_may_change_due = $11,
                due_changed_at = CASE WHEN $12 THEN now() ELSE due_changed_at END,
                assignee_seen_at = CASE WHEN $13 THEN NULL ELSE assignee_seen_at END
         WHERE id = $1",
        id,
        draft.title,
        draft.description,
        assignee,
        draft.priority.as_str(),
        &draft.tags,
        draft.start_date,
        draft.due_date,
        draft.planned_hours,
        draft.review_on_completion,
        draft.assignee_may_change_due,
        due_changed,
        assignee_changed
    )
    .execute(&mut *conn)
    .await?;
    if due_changed {
        let old = before.due_date.map(|d| d.to_string());
        let new = draft.due_date.map(|d| d.to_string());
        let change = Change {
            kind: "deadline",
            old_value: old.as_deref(),
            new_value: new.as_deref(),
            ..Change::default()
        };
        record(conn, id, by, change).await?;
    }
    if assignee_changed {
        let name = |id: Option<Uuid>| id.map(|id| id.to_string());
        let (old, new) = (name(before.assignee_id), name(assignee));
        let change = Change {
            kind: "assigned",
            old_value: old.as_deref(),
            new_value: new.as_deref(),
            ..Change::default()
        };
        record(conn, id, by, change).await?;
    }
    record(
        conn,
        id,
        by,
        Change {
            kind: "edited",
            ..Change::default()
        },
    )
    .await?;
    touch(conn, id, by).await
}

/// Moves a task's dates (timeline drag) as read at `version`.
pub async fn set_dates(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    start: Option<NaiveDate>,
    due: Option<NaiveDate>,
    by: Uuid,
) -> Result<(), AppError> {
    let before = sqlx::query!(
        "SELECT due_date, start_date, version FROM tasks WHERE id = $1",
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    if before.version != version {
        return Err(AppError::Conflict);
    }
    sqlx::query!(
        "UPDATE tasks SET start_date = $2, due_date = $3,
                due_changed_at = CASE WHEN due_date IS DISTINCT FROM $3 THEN now() ELSE due_changed_at END
         WHERE id = $1",
        id,
        start,
        due
    )
    .execute(&mut *conn)
    .await?;
    if before.due_date != due {
        let old = before.due_date.map(|d| d.to_string());
        let new = due.map(|d| d.to_string());
        let change = Change {
            kind: "deadline",
            old_value: old.as_deref(),
            new_value: new.as_deref(),
            ..Change::default()
        };
        record(conn, id, by, change).await?;
    }
    touch(conn, id, by).await
}

/// Moves the task to `status` by `action`, recording the move and its comment.
pub async fn set_status(
    conn: &mut PgConnection,
    id: Uuid,
    from: TaskStatus,
    to: TaskStatus,
    action: crate::domain::TaskAction,
    comment: &str,
    by: Uuid,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE tasks SET status = $2,
                completed_at = CASE WHEN $2 = 'completed' THEN now() END
         WHERE id = $1",
        id,
        to.as_str()
    )
    .execute(&mut *conn)
    .await?;
    let action = serde_json::to_value(action)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string));
    let change = Change {
        kind: "status",
        action: action.as_deref(),
        old_value: Some(from.as_str()),
        new_value: Some(to.as_str()),
        comment: comment.trim(),
    };
    record(conn, id, by, change).await?;
    touch(conn, id, by).await
}

/// Puts the task right before `before` (or last) in its project's order.
pub async fn reorder(
    conn: &mut PgConnection,
    id: Uuid,
    before: Option<Uuid>,
) -> Result<(), AppError> {
    // The anchor must be another task of the same project.
    if let Some(before) = before {
        sqlx::query_scalar!(
            "SELECT a.id FROM tasks a JOIN tasks t ON t.project_id = a.project_id
             WHERE t.id = $1 AND a.id = $2 AND a.id <> t.id",
            id,
            before
        )
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    }
    sqlx::query!(
        "WITH target AS (SELECT project_id FROM tasks WHERE id = $1),
              anchor AS (SELECT position FROM tasks WHERE id = $2),
              previous AS (
                SELECT max(t.position) AS position FROM tasks t, target, anchor
                WHERE t.project_id = target.project_id AND t.position < anchor.position
                  AND t.id <> $1)
         UPDATE tasks SET position = CASE
             WHEN $2::uuid IS NULL THEN
                 (SELECT coalesce(max(t.position), 0) + 1024 FROM tasks t, target
                  WHERE t.project_id = target.project_id)
             ELSE ((SELECT position FROM anchor)
                   + coalesce((SELECT position FROM previous), (SELECT position FROM anchor) - 2048)) / 2
           END
         WHERE id = $1",
        id,
        before
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_participants(
    conn: &mut PgConnection,
    id: Uuid,
    users: &[Uuid],
) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM task_participants WHERE task_id = $1", id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "INSERT INTO task_participants (task_id, user_id)
         SELECT $1, u.id FROM users u WHERE u.id = ANY($2) AND u.active",
        id,
        users
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn add_checklist_item(
    conn: &mut PgConnection,
    task: Uuid,
    text: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO task_checklist_items (id, task_id, position, text)
         VALUES ($1, $2, coalesce((SELECT max(position) FROM task_checklist_items
                                   WHERE task_id = $2), 0) + 1, $3)",
        Uuid::now_v7(),
        task,
        text
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_checklist_item(
    conn: &mut PgConnection,
    task: Uuid,
    item: Uuid,
    done: Option<bool>,
) -> Result<(), AppError> {
    let changed = match done {
        Some(done) => sqlx::query!(
            "UPDATE task_checklist_items SET done = $3 WHERE id = $2 AND task_id = $1",
            task,
            item,
            done
        )
        .execute(conn)
        .await?
        .rows_affected(),
        None => sqlx::query!(
            "DELETE FROM task_checklist_items WHERE id = $2 AND task_id = $1",
            task,
            item
        )
        .execute(conn)
        .await?
        .rows_affected(),
    };
    if changed == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
