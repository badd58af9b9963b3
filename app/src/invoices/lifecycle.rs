//! The end of a project's life (seed 000): completing it asks whether to invoice what
//! remains (the final invoice, which deducts the order's down payments), and locks it
//! either way; unlocking (managers and admins, with a reason) makes it editable again and
//! deletes the draft made at completion in the same transaction. Issued invoices stay.

use super::db::may_invoice;
use super::draft::{insert_draft, lock_project};
use super::order::final_lines;
use crate::activities::db::log;
use crate::activities::TimelineEvent;
use crate::auth::CurrentUser;
use crate::domain::policy::{role_allows, CompanyOp};
use crate::domain::{ProjectOp, ProjectState};
use crate::error::{AppError, FieldProblem};
use crate::shared::RecordKind;
use sqlx::PgConnection;
use uuid::Uuid;

/// The longest reason for unlocking.
pub const REASON_MAX: usize = 1000;

/// Completes the project read at `version`, which locks it; with `invoice_rest`, makes the
/// final draft invoice of every task not yet invoiced that has something to invoice, and
/// returns it (none when nothing remains).
pub async fn complete(
    conn: &mut PgConnection,
    user: &CurrentUser,
    project: Uuid,
    version: i32,
    invoice_rest: bool,
) -> Result<Option<Uuid>, AppError> {
    if invoice_rest && !may_invoice(user) {
        return Err(AppError::Forbidden);
    }
    crate::projects::db::require(conn, user, project, ProjectOp::ChangeState).await?;
    crate::projects::db::set_state(conn, project, Some(version), ProjectState::Completed, user)
        .await?;
    if !invoice_rest {
        return Ok(None);
    }
    let billed = lock_project(conn, project).await?;
    // A project with nothing left to bill (and nothing to deduct) is completed without one.
    let lines = match final_lines(conn, user, &billed).await {
        Err(AppError::Invalid {
            problem: FieldProblem::NothingToInvoice,
            ..
        }) => return Ok(None),
        other => other?,
    };
    insert_draft(conn, user, &billed, "final", lines)
        .await
        .map(Some)
}

/// Unlocks the project: editable again, and the draft invoice made at completion is
/// deleted (its tasks are free to invoice again). Returns how many drafts were deleted.
pub async fn unlock(
    conn: &mut PgConnection,
    user: &CurrentUser,
    project: Uuid,
    reason: &str,
) -> Result<u64, AppError> {
    if !role_allows(user.role, CompanyOp::UnlockProjects) {
        return Err(AppError::Forbidden);
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", FieldProblem::TextRequired));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(AppError::invalid("reason", FieldProblem::TextTooLong));
    }
    crate::projects::db::require(conn, user, project, ProjectOp::View).await?;
    let billed = lock_project(conn, project).await?;
    if !billed.locked {
        return Err(AppError::invalid("state", FieldProblem::NotLocked));
    }
    let deleted = sqlx::query!(
        "DELETE FROM invoices WHERE project_id = $1 AND origin = 'final' AND state = 'draft'",
        project
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    sqlx::query!(
        "UPDATE projects SET locked = false, version = version + 1, updated_at = now()
         WHERE id = $1",
        project
    )
    .execute(&mut *conn)
    .await?;
    let event = TimelineEvent::ProjectUnlocked {
        reason: reason.to_string(),
    };
    log(conn, RecordKind::Project, project, Some(user.id), &event).await?;
    Ok(deleted)
}
