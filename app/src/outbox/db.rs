//! Writing, listing and delivering outbox messages, and downloading their attachments.

use super::{backoff_minutes, OutboxMessage, OutboxStatus, MAX_ATTEMPTS};
use crate::activities::{db::log, TimelineEvent};
use crate::auth::session::Authenticated;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::shared::http::FileResponse;
use crate::shared::DeliveryFailure;
use crate::shared::RecordKind;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use object_store::path::Path as StorePath;
use object_store::ObjectStore;
use sqlx::{PgConnection, PgPool};
use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;

/// A message to write into the outbox.
pub struct NewMessage<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub reply_to: Option<&'a str>,
    /// Store key, file name and media type of the attachment (already stored).
    pub attachment: Option<(&'a str, &'a str, &'a str)>,
    pub quote: Option<Uuid>,
    pub invoice: Option<Uuid>,
    pub by: Uuid,
}

pub async fn enqueue(conn: &mut PgConnection, message: &NewMessage<'_>) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let (key, name, kind) = match message.attachment {
        Some((key, name, kind)) => (Some(key), Some(name), Some(kind)),
        None => (None, None, None),
    };
    sqlx::query!(
        "INSERT INTO outbox_messages (id, to_address, subject, body, reply_to, attachment_key,
                                      attachment_name, attachment_type, quote_id, invoice_id,
                                      created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        id,
        message.to,
        message.subject,
        message.body,
        message.reply_to,
        key,
        name,
        kind,
        message.quote,
        message.invoice,
        message.by
    )
    .execute(conn)
    .await?;
    Ok(id)
}

/// Who sees all messages: admins and managers; everyone else sees their own.
fn sees_all(user: &CurrentUser) -> bool {
    crate::domain::opportunity::crm_rights(user.role).configure
}

/// The latest messages, newest first.
pub async fn recent(
    conn: &mut PgConnection,
    user: &CurrentUser,
) -> Result<Vec<OutboxMessage>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT m.id, m.to_address, m.subject, m.body, m.attachment_name, m.quote_id,
                  q.number AS "quote_number?", u.display_name AS "created_by?", m.created_at,
                  m.status, m.attempts, m.next_attempt_at, m.sent_at, m.last_error
           FROM outbox_messages m
           LEFT JOIN quotes q ON q.id = m.quote_id
           LEFT JOIN users u ON u.id = m.created_by
           WHERE $1 OR m.created_by = $2
           ORDER BY m.created_at DESC, m.id DESC LIMIT 200"#,
        sees_all(user),
        user.id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OutboxMessage {
            id: r.id,
            to: r.to_address,
            subject: r.subject,
            body: r.body,
            attachment_name: r.attachment_name,
            quote: r.quote_id.zip(r.quote_number),
            created_by: r.created_by,
            created_at: r.created_at,
            status: OutboxStatus::parse(&r.status),
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at,
            sent_at: r.sent_at,
            last_error: r.last_error,
        })
        .collect())
}

/// A message as the mail server gets it.
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub reply_to: Option<String>,
    /// File name, media type and bytes.
    pub attachment: Option<(String, String, Vec<u8>)>,
}

/// Delivers one message (SMTP in the server; a recording double in tests).
pub trait Mailer: Send + Sync {
    fn send<'a>(
        &'a self,
        message: Outgoing,
    ) -> Pin<Box<dyn Future<Output = Result<(), DeliveryFailure>> + Send + 'a>>;
}

/// What one round of the sender did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Delivers up to `limit` due messages, each in its own transaction: the row is claimed with
/// `FOR UPDATE SKIP LOCKED`, so several server processes share the work without sending a
/// message twice, and a message delivered stays delivered whatever happens to the next one.
/// A failure waits `backoff_minutes` before the next attempt; after `MAX_ATTEMPTS` the
/// message is failed and its quote's timeline says so.
pub async fn deliver_due(
    pool: &PgPool,
    files: &dyn ObjectStore,
    mailer: &dyn Mailer,
    limit: i64,
) -> Result<Delivery, AppError> {
    let mut delivery = Delivery::default();
    for _ in 0..limit {
        match deliver_next(pool, files, mailer).await? {
            Some(Attempt::Sent) => delivery.sent += 1,
            Some(Attempt::Retrying) => delivery.retrying += 1,
            Some(Attempt::Failed) => delivery.failed += 1,
            None => break,
        }
    }
    Ok(delivery)
}

/// What became of one message.
enum Attempt {
    Sent,
    Retrying,
    Failed,
}

/// Claims the next due message and tries it once; `None` when nothing is due.
async fn deliver_next(
    pool: &PgPool,
    files: &dyn ObjectStore,
    mailer: &dyn Mailer,
) -> Result<Option<Attempt>, AppError> {
    let mut tx = pool.begin().await?;
    let Some(message) = sqlx::query!(
        "SELECT id, to_address, subject, body, reply_to, attachment_key, attachment_name,
                attachment_type, quote_id, created_by, attempts
         FROM outbox_messages
         WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at, id LIMIT 1
         FOR UPDATE SKIP LOCKED"
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let attachment = match (&message.attachment_key, &message.attachment_name) {
        (Some(key), Some(name)) => read(files, key).await.map(|bytes| {
            Some((
                name.clone(),
                message
                    .attachment_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".into()),
                bytes,
            ))
        }),
        _ => Ok(None),
    };
    let result = match attachment {
        Ok(attachment) => {
            mailer
                .send(Outgoing {
                    to: message.to_address.clone(),
                    subject: message.subject.clone(),
                    body: message.body.clone(),
                    reply_to: message.reply_to.clone(),
                    attachment,
                })
                .await
        }
        Err(error) => Err(error),
    };
    let attempts = message.attempts + 1;
    let attempt = match result {
        Ok(()) => {
            sqlx::query!(
                "UPDATE outbox_messages SET status = 'sent', sent_at = now(), attempts = $2,
                        last_error = NULL
                 WHERE id = $1",
                message.id,
                attempts
            )
            .execute(&mut *tx)
            .await?;
            Attempt::Sent
        }
        Err(error) => {
            let give_up = attempts >= MAX_ATTEMPTS;
            tracing::warn!(id = %message.id, attempts, error = error.as_str(), "e-mail not delivered");
            sqlx::query!(
                "UPDATE outbox_messages
                 SET attempts = $2, last_error = $3,
                     status = CASE WHEN $4 THEN 'failed' ELSE 'pending' END,
                     next_attempt_at = now() + make_interval(mins => $5::integer)
                 WHERE id = $1",
                message.id,
                attempts,
                error.as_str(),
                give_up,
                backoff_minutes(attempts) as i32
            )
            .execute(&mut *tx)
            .await?;
            if !give_up {
                Attempt::Retrying
            } else {
                if let Some(quote) = message.quote_id {
                    let event = TimelineEvent::SendFailed {
                        to: message.to_address.clone(),
                        error: error.as_str().to_string(),
                    };
                    log(
                        &mut tx,
                        RecordKind::Quote,
                        quote,
                        message.created_by,
                        &event,
                    )
                    .await?;
                }
                Attempt::Failed
            }
        }
    };
    tx.commit().await?;
    Ok(Some(attempt))
}

async fn read(files: &dyn ObjectStore, key: &str) -> Result<Vec<u8>, DeliveryFailure> {
    let unreadable = |error: object_store::Error| {
        tracing::error!(%error, key, "outbox attachment unreadable");
        DeliveryFailure::Attachment
    };
    let stored = files.get(&StorePath::from(key)).await.map_err(unreadable)?;
    let bytes = stored.bytes().await.map_err(unreadable)?;
    Ok(bytes.to_vec())
}

/// Tries a message again now (its sender, admins and managers).
pub async fn retry(conn: &mut PgConnection, user: &CurrentUser, id: Uuid) -> Result<(), AppError> {
    let updated = sqlx::query!(
        "UPDATE outbox_messages SET status = 'pending', next_attempt_at = now(),
                attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END
         WHERE id = $1 AND status <> 'sent' AND ($2 OR created_by = $3)",
        id,
        sees_all(user),
        user.id
    )
    .execute(conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// `GET /files/outbox/{id}`: a message's attachment, for whoever may see the message.
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
        let row = sqlx::query!(
            "SELECT attachment_key, attachment_name, attachment_type FROM outbox_messages
             WHERE id = $1 AND ($2 OR created_by = $3)",
            id,
            sees_all(&user),
            user.id
        )
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
        let (Some(key), Some(name)) = (row.attachment_key, row.attachment_name) else {
            return Err(AppError::NotFound);
        };
        // `read` has logged why.
        let bytes = read(state.files.as_ref(), &key)
            .await
            .map_err(|_| AppError::NotFound)?;
        Ok::<_, AppError>((name, row.attachment_type.unwrap_or_default(), bytes))
    }
    .await;
    match found {
        Ok((name, kind, bytes)) => FileResponse::attachment(&name, &kind, bytes).into_response(),
        Err(error) => error.into_response(),
    }
}
