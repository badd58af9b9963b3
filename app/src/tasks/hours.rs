//! Hours on tasks in Postgres: time entries (booked by hand or by a timer) and each
//! person's one running timer, which books its time on the user's own day when it stops.

use super::db::user;
use super::{RunningTimer, TimeEntry};
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// The timer I have running, if any.
pub async fn running_timer(
    conn: &mut PgConnection,
    me: Uuid,
) -> Result<Option<RunningTimer>, AppError> {
    Ok(sqlx::query!(
        "SELECT tt.task_id, t.title, tt.started_at FROM task_timers tt
         JOIN tasks t ON t.id = tt.task_id WHERE tt.user_id = $1",
        me
    )
    .fetch_optional(conn)
    .await?
    .map(|r| RunningTimer {
        task_id: r.task_id,
        task_title: r.title,
        started_at: r.started_at,
    }))
}

/// The task a time entry is booked on.
pub async fn task_of_entry(conn: &mut PgConnection, entry: Uuid) -> Result<Uuid, AppError> {
    sqlx::query_scalar!("SELECT task_id FROM time_entries WHERE id = $1", entry)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// A task's time entries, newest first.
pub async fn time_entries(conn: &mut PgConnection, id: Uuid) -> Result<Vec<TimeEntry>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT e.id, e.user_id, u.display_name AS "user_name?", e.work_date, e.hours, e.note,
                  e.billable
           FROM time_entries e LEFT JOIN users u ON u.id = e.user_id
           WHERE e.task_id = $1 ORDER BY e.work_date DESC, e.created_at DESC"#,
        id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| TimeEntry {
        id: r.id,
        user: user(r.user_id, r.user_name),
        work_date: r.work_date,
        hours: r.hours,
        note: r.note,
        billable: r.billable,
    })
    .collect())
}

/// When my timer on `task` started, if it runs.
pub async fn timer_started(
    conn: &mut PgConnection,
    me: Uuid,
    task: Uuid,
) -> Result<Option<DateTime<Utc>>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT started_at FROM task_timers WHERE user_id = $1 AND task_id = $2",
        me,
        task
    )
    .fetch_optional(conn)
    .await?)
}

/// Hours booked on a task, as the form gives them.
pub struct NewTimeEntry<'a> {
    pub task: Uuid,
    pub project: Option<Uuid>,
    pub user: Uuid,
    pub work_date: NaiveDate,
    pub hours: Decimal,
    pub note: &'a str,
    pub billable: bool,
}

pub async fn add_time_entry(
    conn: &mut PgConnection,
    entry: NewTimeEntry<'_>,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO time_entries (id, task_id, project_id, user_id, work_date, hours, note, billable)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        Uuid::now_v7(),
        entry.task,
        entry.project,
        entry.user,
        entry.work_date,
        entry.hours,
        entry.note,
        entry.billable
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes a time entry of `task`; only its author or a project admin may (checked by the
/// caller through `by_admin`).
pub async fn delete_time_entry(
    conn: &mut PgConnection,
    task: Uuid,
    entry: Uuid,
    me: Uuid,
    by_admin: bool,
) -> Result<(), AppError> {
    let deleted = sqlx::query!(
        "DELETE FROM time_entries WHERE id = $1 AND task_id = $2 AND (user_id = $3 OR $4)",
        entry,
        task,
        me,
        by_admin
    )
    .execute(conn)
    .await?;
    if deleted.rows_affected() == 0 {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Starts my timer on `task`, stopping (and booking, on my `today`) one running on another
/// task first.
pub async fn start_timer(
    conn: &mut PgConnection,
    me: Uuid,
    task: Uuid,
    today: NaiveDate,
) -> Result<(), AppError> {
    // Two starts at once (two tabs, a double tap) take turns: the second stops and books
    // the first one's timer instead of colliding with it.
    sqlx::query!(
        r#"SELECT true AS "locked!" FROM pg_advisory_xact_lock(3, hashtext($1::text))"#,
        me.to_string()
    )
    .fetch_one(&mut *conn)
    .await?;
    stop_timer(conn, me, today).await?;
    sqlx::query!(
        "INSERT INTO task_timers (user_id, task_id) VALUES ($1, $2)",
        me,
        task
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Stops my timer, if one runs, and books its time on its task on my `today`; returns the
/// hours booked.
pub async fn stop_timer(
    conn: &mut PgConnection,
    me: Uuid,
    today: NaiveDate,
) -> Result<Option<Decimal>, AppError> {
    let Some(timer) = sqlx::query!(
        r#"DELETE FROM task_timers tt USING tasks t
           WHERE tt.user_id = $1 AND t.id = tt.task_id
           RETURNING tt.task_id, t.project_id,
                     extract(epoch FROM now() - tt.started_at)::bigint AS "seconds!""#,
        me
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let hours = crate::domain::project::timer_hours(timer.seconds);
    let entry = NewTimeEntry {
        task: timer.task_id,
        project: timer.project_id,
        user: me,
        work_date: today,
        hours,
        note: "",
        billable: true,
    };
    add_time_entry(conn, entry).await?;
    Ok(Some(hours))
}
