//! Admin documents on the server: their bytes in the object store, their rows in Postgres, the
//! download with safe headers, and the reminder job.
//!
//! `GET /files/documents/{id}` downloads a document for anyone who may view its project.

use crate::auth::session::Authenticated;
use crate::domain::ProjectOp;
use crate::error::AppError;
use crate::shared::http::FileResponse;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::NaiveDate;
use object_store::path::Path as StorePath;
use object_store::ObjectStore;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// What an upload carries besides its bytes.
pub struct NewDocument {
    pub project: Uuid,
    pub kind: String,
    pub file_name: String,
    pub content_type: &'static str,
    pub expires_on: Option<NaiveDate>,
    pub remind_on: Option<NaiveDate>,
}

fn storage_key(project: Uuid, id: Uuid) -> StorePath {
    StorePath::from(format!("projects/{project}/documents/{id}"))
}

/// Stores the bytes, then the row. Should the row fail, the stored object is removed again,
/// so nothing is left half-saved.
pub async fn save(
    conn: &mut PgConnection,
    files: &dyn ObjectStore,
    document: NewDocument,
    bytes: Vec<u8>,
    by: Uuid,
) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let key = storage_key(document.project, id);
    let size = bytes.len() as i64;
    files
        .put(&key, bytes.into())
        .await
        .map_err(storage_failed)?;
    let inserted = sqlx::query!(
        "INSERT INTO project_documents (id, project_id, kind, file_name, content_type, size_bytes,
                                        storage_key, expires_on, remind_on, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        id,
        document.project,
        document.kind,
        document.file_name,
        document.content_type,
        size,
        key.as_ref(),
        document.expires_on,
        document.remind_on,
        by
    )
    .execute(conn)
    .await;
    if let Err(error) = inserted {
        let _ = files.delete(&key).await;
        return Err(error.into());
    }
    Ok(id)
}

fn storage_failed(error: object_store::Error) -> AppError {
    tracing::error!(%error, "object store failed");
    AppError::Internal
}

/// The project of a document, for the access check.
pub async fn project_of(conn: &mut PgConnection, id: Uuid) -> Result<Uuid, AppError> {
    sqlx::query_scalar!("SELECT project_id FROM project_documents WHERE id = $1", id)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// Deletes the row; the bytes go after the transaction commits (see `forget`).
pub async fn delete(conn: &mut PgConnection, id: Uuid) -> Result<String, AppError> {
    sqlx::query_scalar!(
        "DELETE FROM project_documents WHERE id = $1 RETURNING storage_key",
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn forget(files: &dyn ObjectStore, key: &str) {
    if let Err(error) = files.delete(&StorePath::from(key)).await {
        tracing::warn!(%error, key, "stored document not removed");
    }
}

/// Changes expiry and reminder dates; a new reminder date reminds again.
/// Changes the dates of the document as read at `version`; `Conflict` when someone changed
/// them since.
pub async fn set_dates(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    expires_on: Option<NaiveDate>,
    remind_on: Option<NaiveDate>,
) -> Result<(), AppError> {
    let changed = sqlx::query!(
        "UPDATE project_documents SET expires_on = $2, remind_on = $3, version = version + 1,
                reminded_at = CASE WHEN remind_on IS DISTINCT FROM $3 THEN NULL ELSE reminded_at END
         WHERE id = $1 AND version = $4",
        id,
        expires_on,
        remind_on,
        version
    )
    .execute(conn)
    .await?
    .rows_affected();
    AppError::one_row_or_conflict(changed)
}

pub async fn download(
    State(state): State<AppState>,
    Extension(Authenticated(user)): Extension<Authenticated>,
    Path(id): Path<Uuid>,
) -> Response {
    let Some(user) = user else {
        return AppError::Unauthorized.into_response();
    };
    let found = async {
        let mut conn = state.pool.acquire().await?;
        let project = project_of(&mut conn, id).await?;
        super::db::require(&mut conn, &user, project, ProjectOp::View).await?;
        let row = sqlx::query!(
            "SELECT file_name, content_type, storage_key FROM project_documents WHERE id = $1",
            id
        )
        .fetch_one(&mut *conn)
        .await?;
        let bytes = state
            .files
            .get(&StorePath::from(row.storage_key.as_str()))
            .await
            .map_err(storage_failed)?
            .bytes()
            .await
            .map_err(storage_failed)?;
        Ok::<_, AppError>((row.file_name, row.content_type, bytes))
    }
    .await;
    let (file_name, content_type, bytes) = match found {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    FileResponse::attachment(&file_name, &content_type, bytes).into_response()
}

/// Sends the reminders due on `today`: each document whose reminder date has come gets its
/// reminder to the project's admins, its manager and its uploader, once. Documents are
/// claimed with `FOR UPDATE SKIP LOCKED` and marked in the same transaction, so several
/// server processes share the work and none repeats another's. Returns how many documents
/// reminded.
pub async fn send_due_reminders(pool: &PgPool, today: NaiveDate) -> Result<i64, AppError> {
    let mut total = 0;
    loop {
        let mut tx = pool.begin().await?;
        let sent = sqlx::query!(
            r#"WITH due AS (
                   SELECT id FROM project_documents
                   WHERE remind_on <= $1 AND reminded_at IS NULL
                   ORDER BY remind_on, id LIMIT 100
                   FOR UPDATE SKIP LOCKED),
               marked AS (
                   UPDATE project_documents d SET reminded_at = now()
                   FROM due WHERE d.id = due.id
                   RETURNING d.id, d.project_id, d.uploaded_by),
               recipients AS (
                   SELECT m.id, m.project_id, pm.user_id FROM marked m
                   JOIN project_members pm ON pm.project_id = m.project_id
                                          AND pm.permission = 'admin'
                   UNION
                   SELECT m.id, m.project_id, p.manager_id FROM marked m
                   JOIN projects p ON p.id = m.project_id WHERE p.manager_id IS NOT NULL
                   UNION
                   SELECT m.id, m.project_id, m.uploaded_by FROM marked m
                   WHERE m.uploaded_by IS NOT NULL),
               notified AS (
                   INSERT INTO notifications (id, user_id, kind, project_id, document_id)
                   SELECT gen_random_uuid(), r.user_id, 'document_reminder', r.project_id, r.id
                   FROM recipients r JOIN users u ON u.id = r.user_id AND u.active
                   ON CONFLICT (user_id, kind, document_id)
                   DO UPDATE SET created_at = now(), read_at = NULL
                   RETURNING 1)
               SELECT (SELECT count(*) FROM marked) AS "documents!",
                      (SELECT count(*) FROM notified) AS "notifications!""#,
            today
        )
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        if sent.documents == 0 {
            return Ok(total);
        }
        tracing::info!(
            documents = sent.documents,
            notifications = sent.notifications,
            "document reminders sent"
        );
        total += sent.documents;
    }
}
