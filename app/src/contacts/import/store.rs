//! Uploaded import files between their upload, their check and their import. Each user keeps
//! a few at most, each for a day at most; an import claims its file, so it runs once.

use crate::error::{AppError, FieldProblem};
use sqlx::PgConnection;
use uuid::Uuid;

/// Uploads a user keeps at once; an older one goes when a newer one arrives.
const KEPT_PER_USER: i64 = 5;

/// Stores an upload, and forgets expired ones and this user's oldest beyond the cap.
pub async fn keep(
    conn: &mut PgConnection,
    id: Uuid,
    user: Uuid,
    file_name: &str,
    content: &str,
) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM contact_imports WHERE created_at < now() - interval '1 day'")
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "INSERT INTO contact_imports (id, user_id, file_name, content) VALUES ($1, $2, $3, $4)",
        id,
        user,
        file_name,
        content
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM contact_imports
         WHERE user_id = $1
           AND id NOT IN (SELECT id FROM contact_imports WHERE user_id = $1
                          ORDER BY created_at DESC, id DESC LIMIT $2)",
        user,
        KEPT_PER_USER
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The content of an upload not yet imported; only its uploader may read it.
pub async fn content(conn: &mut PgConnection, id: Uuid, user: Uuid) -> Result<String, AppError> {
    let row = sqlx::query!(
        "SELECT content, imported_at FROM contact_imports WHERE id = $1 AND user_id = $2",
        id,
        user
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    match row.imported_at {
        Some(_) => Err(already_done()),
        None => Ok(row.content),
    }
}

/// Marks the upload imported and returns its content, in the import's transaction: a
/// concurrent import of the same file waits for the row, then finds it claimed. A failed
/// import rolls the claim back with everything else.
pub async fn claim(conn: &mut PgConnection, id: Uuid, user: Uuid) -> Result<String, AppError> {
    let claimed = sqlx::query_scalar!(
        "UPDATE contact_imports SET imported_at = now()
         WHERE id = $1 AND user_id = $2 AND imported_at IS NULL
         RETURNING content",
        id,
        user
    )
    .fetch_optional(&mut *conn)
    .await?;
    match claimed {
        Some(content) => Ok(content),
        // Taken by an earlier import, or never this user's.
        None => content(conn, id, user).await,
    }
}

fn already_done() -> AppError {
    AppError::invalid("file", FieldProblem::ImportAlreadyDone)
}
