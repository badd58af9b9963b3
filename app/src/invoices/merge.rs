//! Merging a project into another ("Samenvoegen project"): its tasks with their time, its
//! documents, contacts, members, activities, timeline, invoices and e-mails move to the
//! target, and the source is closed pointing at it. Both projects are read under a row lock, so the
//! counts the merge returns are what it moved.

use super::draft::lock_project;
use crate::activities::db::log;
use crate::activities::TimelineEvent;
use crate::auth::CurrentUser;
use crate::domain::project_access::{effective, Permission};
use crate::domain::ProjectState;
use crate::error::{AppError, FieldProblem};
use crate::invoices::ui::MergePreview;
use crate::shared::RecordKind;
use sqlx::PgConnection;
use uuid::Uuid;

/// The gap left between the target's last task and the first task that joins it, as when a
/// task is added at the end of a project.
const POSITION_STEP: f64 = 1024.0;

fn refused(problem: FieldProblem) -> AppError {
    AppError::invalid("target", problem)
}

/// One project of a merge, as the checks read it.
struct Side {
    id: Uuid,
    number: String,
    label: String,
    currency: String,
    state: ProjectState,
    locked: bool,
}

async fn side(conn: &mut PgConnection, id: Uuid) -> Result<Side, AppError> {
    let row = sqlx::query!(
        "SELECT id, number, title, currency, state, locked FROM projects WHERE id = $1",
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Side {
        id: row.id,
        label: format!("{} {}", row.number, row.title),
        number: row.number,
        currency: row.currency,
        state: ProjectState::parse(&row.state).ok_or(AppError::Internal)?,
        locked: row.locked,
    })
}

/// Refuses what may not be merged: a project into itself, a project the user does not
/// administer (checked before anything else is said about it), a closed or locked project,
/// and projects in different currencies (their invoices and rates would mix).
async fn checked(
    conn: &mut PgConnection,
    user: &CurrentUser,
    source: Uuid,
    target: Uuid,
) -> Result<(Side, Side), AppError> {
    if source == target {
        return Err(refused(FieldProblem::MergeSameProject));
    }
    for id in [source, target] {
        let (_, permission) = crate::projects::db::access(conn, user, id).await?;
        if permission != Some(Permission::Admin) {
            return Err(refused(FieldProblem::MergeNotAdmin));
        }
    }
    let from = side(conn, source).await?;
    let into = side(conn, target).await?;
    if from.state == ProjectState::Closed || into.state == ProjectState::Closed {
        return Err(refused(FieldProblem::MergeClosed));
    }
    if from.locked || into.locked {
        return Err(refused(FieldProblem::MergeLocked));
    }
    if from.currency != into.currency {
        return Err(refused(FieldProblem::MergeCurrency));
    }
    Ok((from, into))
}

/// What would move from `from` to `into`, counted with the WHERE clauses the merge uses.
async fn counts(
    conn: &mut PgConnection,
    from: &Side,
    into: &Side,
) -> Result<MergePreview, AppError> {
    let row = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM tasks WHERE project_id = $1) AS "tasks!",
                  (SELECT count(*) FROM time_entries WHERE project_id = $1) AS "time_entries!",
                  (SELECT count(*) FROM project_documents WHERE project_id = $1) AS "documents!",
                  (SELECT count(*) FROM project_contacts WHERE project_id = $1) AS "contacts!",
                  (SELECT count(*) FROM project_members WHERE project_id = $1) AS "members!",
                  (SELECT count(*) FROM activities
                   WHERE record_kind = 'project' AND record_id = $1) AS "activities!",
                  (SELECT count(*) FROM timeline_entries
                   WHERE record_kind = 'project' AND record_id = $1) AS "timeline!",
                  (SELECT count(*) FROM invoices WHERE project_id = $1) AS "invoices!""#,
        from.id
    )
    .fetch_one(conn)
    .await?;
    Ok(MergePreview {
        source: from.label.clone(),
        target: into.label.clone(),
        tasks: row.tasks,
        time_entries: row.time_entries,
        documents: row.documents,
        contacts: row.contacts,
        members: row.members,
        activities: row.activities,
        timeline: row.timeline,
        invoices: row.invoices,
    })
}

/// The projects `project` may be merged into, for the picker: open, unlocked projects in
/// its currency that the user administers, as "P-2026-0003 Title", by number; at most 200.
pub async fn targets(
    conn: &mut PgConnection,
    user: &CurrentUser,
    project: Uuid,
) -> Result<Vec<(Uuid, String)>, AppError> {
    let (standing, permission) = crate::projects::db::access(conn, user, project).await?;
    if permission != Some(Permission::Admin) {
        return Err(refused(FieldProblem::MergeNotAdmin));
    }
    if standing.state == ProjectState::Closed {
        return Err(refused(FieldProblem::MergeClosed));
    }
    if standing.locked {
        return Err(refused(FieldProblem::MergeLocked));
    }
    // Company admins and managers administer every project; others their admin memberships.
    let administers_all = effective(user.role, None) == Some(Permission::Admin);
    Ok(sqlx::query!(
        "SELECT p.id, p.number, p.title
         FROM projects p
         WHERE p.id <> $1
           AND p.currency = (SELECT currency FROM projects WHERE id = $1)
           AND p.state <> 'closed' AND NOT p.locked
           AND ($2 OR EXISTS (SELECT 1 FROM project_members m
                              WHERE m.project_id = p.id AND m.user_id = $3
                                AND m.permission = 'admin'))
         ORDER BY p.number, p.id
         LIMIT 200",
        project,
        administers_all,
        user.id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.id, format!("{} {}", r.number, r.title)))
    .collect())
}

/// What merging `source` into `target` would move, or why it is refused.
pub async fn preview(
    conn: &mut PgConnection,
    user: &CurrentUser,
    source: Uuid,
    target: Uuid,
) -> Result<MergePreview, AppError> {
    let (from, into) = checked(conn, user, source, target).await?;
    counts(conn, &from, &into).await
}

/// Merges `source` into `target` in the caller's transaction and returns what moved. The
/// merged source is closed, so a second call (a double click) is refused, not repeated.
pub async fn merge(
    conn: &mut PgConnection,
    user: &CurrentUser,
    source: Uuid,
    target: Uuid,
) -> Result<MergePreview, AppError> {
    if source == target {
        return Err(refused(FieldProblem::MergeSameProject));
    }
    // Both rows in id order: two merges of the same pair, either way round, wait for each
    // other instead of deadlocking.
    let (first, second) = if source < target {
        (source, target)
    } else {
        (target, source)
    };
    lock_project(conn, first).await?;
    lock_project(conn, second).await?;
    let (from, into) = checked(conn, user, source, target).await?;
    let moved = counts(conn, &from, &into).await?;

    // The source's tasks follow the target's, in their own order.
    let shift = sqlx::query_scalar!(
        r#"SELECT coalesce((SELECT max(position) FROM tasks WHERE project_id = $2), 0)
                  - coalesce((SELECT min(position) FROM tasks WHERE project_id = $1), 0)
                  AS "shift!""#,
        source,
        target
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE tasks SET project_id = $2, position = position + $3 WHERE project_id = $1",
        source,
        target,
        shift + POSITION_STEP
    )
    .execute(&mut *conn)
    .await?;
    // The `time_entries_sum` trigger moves the hours from the source's `hours_spent` to the
    // target's.
    sqlx::query!(
        "UPDATE time_entries SET project_id = $2 WHERE project_id = $1",
        source,
        target
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE project_documents SET project_id = $2 WHERE project_id = $1",
        source,
        target
    )
    .execute(&mut *conn)
    .await?;
    // A document reminder names the document's project.
    sqlx::query!(
        "UPDATE notifications SET project_id = $2 WHERE project_id = $1",
        source,
        target
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO project_contacts (project_id, contact_id, role)
         SELECT $2, contact_id, role FROM project_contacts WHERE project_id = $1
         ON CONFLICT DO NOTHING",
        source,
        target
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM project_contacts WHERE project_id = $1", source)
        .execute(&mut *conn)
        .await?;
    // A member of both keeps the higher permission; raising it bumps the membership's
    // version, so a page showing the old permission cannot undo it unseen.
    sqlx::query!(
        "INSERT INTO project_members (project_id, user_id, permission)
         SELECT $2, user_id, permission FROM project_members WHERE project_id = $1
         ON CONFLICT (project_id, user_id) DO UPDATE
         SET permission = 'admin', version = project_members.version + 1
         WHERE excluded.permission = 'admin' AND project_members.permission <> 'admin'",
        source,
        target
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM project_members WHERE project_id = $1", source)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "UPDATE activities SET record_id = $2 WHERE record_kind = 'project' AND record_id = $1",
        source,
        target
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE timeline_entries SET record_id = $2
         WHERE record_kind = 'project' AND record_id = $1",
        source,
        target
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE invoices SET project_id = $2 WHERE project_id = $1",
        source,
        target
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE outbox_messages SET project_id = $2 WHERE project_id = $1",
        source,
        target
    )
    .execute(&mut *conn)
    .await?;

    let closed = from
        .state
        .transition(ProjectState::Closed)
        .map_err(|_| refused(FieldProblem::MergeClosed))?;
    sqlx::query!(
        "UPDATE projects SET state = $3, merged_into = $2, version = version + 1,
                updated_at = now()
         WHERE id = $1",
        source,
        target,
        closed.as_str()
    )
    .execute(&mut *conn)
    .await?;
    // Logged after the timelines moved, so each project keeps its own entry.
    let merged_into = TimelineEvent::Field {
        field: "merged_into".into(),
        old: String::new(),
        new: into.number,
    };
    log(
        conn,
        RecordKind::Project,
        source,
        Some(user.id),
        &merged_into,
    )
    .await?;
    let merged_from = TimelineEvent::Field {
        field: "merged_from".into(),
        old: String::new(),
        new: from.number,
    };
    log(
        conn,
        RecordKind::Project,
        target,
        Some(user.id),
        &merged_from,
    )
    .await?;
    Ok(moved)
}
