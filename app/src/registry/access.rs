//! Whose rule decides access to a record that a lower feature holds by kind and id: the
//! activities and timeline of a deal, contact, project, task or quote, and the project a
//! task belongs to.

use crate::auth::CurrentUser;
use crate::domain::opportunity::crm_rights;
use crate::domain::ProjectOp;
use crate::error::AppError;
use crate::shared::RecordKind;
use sqlx::PgConnection;
use uuid::Uuid;

/// Refuses unless `user` may see the record (`write`: and plan activities or log notes on it).
pub async fn require_record(
    conn: &mut PgConnection,
    user: &CurrentUser,
    kind: RecordKind,
    id: Uuid,
    write: bool,
) -> Result<(), AppError> {
    match kind {
        RecordKind::Opportunity => {
            if !crm_rights(user.role).view {
                return Err(AppError::Forbidden);
            }
            sqlx::query!("SELECT id FROM opportunities WHERE id = $1", id)
                .fetch_optional(conn)
                .await?
                .ok_or(AppError::NotFound)?;
        }
        RecordKind::Contact => {
            sqlx::query!("SELECT id FROM contacts WHERE id = $1", id)
                .fetch_optional(conn)
                .await?
                .ok_or(AppError::NotFound)?;
        }
        RecordKind::Project => {
            let op = if write {
                ProjectOp::WorkOnTasks
            } else {
                ProjectOp::View
            };
            crate::projects::db::require(conn, user, id, op).await?;
        }
        RecordKind::Task => {
            let access = crate::tasks::db::access(conn, user, id, false).await?;
            if write {
                crate::tasks::db::require(&access, access.rights.work)?;
            }
        }
        RecordKind::Quote => {
            if !crm_rights(user.role).view {
                return Err(AppError::Forbidden);
            }
            sqlx::query!("SELECT id FROM quotes WHERE id = $1", id)
                .fetch_optional(conn)
                .await?
                .ok_or(AppError::NotFound)?;
        }
        RecordKind::Invoice => {
            if !crate::domain::policy::role_allows(
                user.role,
                crate::domain::policy::CompanyOp::InvoicesView,
            ) {
                return Err(AppError::Forbidden);
            }
            sqlx::query!("SELECT id FROM invoices WHERE id = $1", id)
                .fetch_optional(conn)
                .await?
                .ok_or(AppError::NotFound)?;
        }
    }
    Ok(())
}

/// Refuses unless `user` may do `op` on the project (tasks ask this of their project).
pub async fn require_project(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
    op: ProjectOp,
) -> Result<(), AppError> {
    crate::projects::db::require(conn, user, id, op)
        .await
        .map(|_| ())
}

/// Lets `assignee` work on the project's task: a member already, or made one when the
/// caller may add members and asked to (`add_member`).
pub async fn admit_to_project(
    conn: &mut PgConnection,
    caller: &CurrentUser,
    project: Uuid,
    assignee: Uuid,
    add_member: bool,
) -> Result<(), AppError> {
    crate::projects::db::admit_assignee(conn, caller, project, assignee, add_member).await
}
