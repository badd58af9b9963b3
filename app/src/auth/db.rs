//! Users' credentials, sessions and failed sign-ins in Postgres.

use super::session::LIFETIME_DAYS;
use super::CurrentUser;
use crate::domain::{Language, Role};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

pub struct Credentials {
    pub user: CurrentUser,
    pub password_hash: String,
    pub active: bool,
}

pub(crate) fn role_of(text: &str) -> Result<Role, AppError> {
    Role::parse(text).ok_or_else(|| {
        tracing::error!(text, "unknown role in the database");
        AppError::Internal
    })
}

pub(crate) fn language_of(text: &str) -> Language {
    Language::parse(text).unwrap_or_default()
}

pub async fn find_credentials(
    conn: &mut PgConnection,
    email: &str,
) -> Result<Option<Credentials>, AppError> {
    let row = sqlx::query!(
        r#"SELECT id, email, display_name, role, language, password_hash, active,
                  (extract(epoch FROM (now() AT TIME ZONE time_zone) - (now() AT TIME ZONE 'UTC'))
                   / 60)::int AS "utc_offset!"
           FROM users WHERE lower(email) = lower($1)"#,
        email
    )
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(Credentials {
            user: CurrentUser {
                id: r.id,
                email: r.email,
                display_name: r.display_name,
                role: role_of(&r.role)?,
                language: language_of(&r.language),
                utc_offset: r.utc_offset,
            },
            password_hash: r.password_hash,
            active: r.active,
        })
    })
    .transpose()
}

pub async fn password_hash_of(conn: &mut PgConnection, user_id: Uuid) -> Result<String, AppError> {
    let row = sqlx::query!("SELECT password_hash FROM users WHERE id = $1", user_id)
        .fetch_optional(conn)
        .await?;
    row.map(|r| r.password_hash).ok_or(AppError::NotFound)
}

pub async fn set_password_hash(
    conn: &mut PgConnection,
    user_id: Uuid,
    hash: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE users SET password_hash = $2, version = version + 1, updated_at = now()
         WHERE id = $1",
        user_id,
        hash
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_language(
    conn: &mut PgConnection,
    user_id: Uuid,
    language: Language,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE users SET language = $2, version = version + 1, updated_at = now()
         WHERE id = $1",
        user_id,
        language.code()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The active user owning a live session, sliding the session's expiry forward (at most
/// every few minutes, so that reads stay reads).
pub async fn session_user(
    conn: &mut PgConnection,
    token_hash: &[u8],
) -> Result<Option<CurrentUser>, AppError> {
    let row = sqlx::query!(
        r#"SELECT u.id, u.email, u.display_name, u.role, u.language,
                  (extract(epoch FROM (now() AT TIME ZONE u.time_zone) - (now() AT TIME ZONE 'UTC'))
                   / 60)::int AS "utc_offset!",
                  s.last_seen_at < now() - interval '5 minutes' AS "stale!"
           FROM sessions s JOIN users u ON u.id = s.user_id
           WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active"#,
        token_hash
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    if row.stale {
        sqlx::query!(
            "UPDATE sessions SET last_seen_at = now(),
                    expires_at = now() + make_interval(days => $2)
             WHERE token_hash = $1",
            token_hash,
            LIFETIME_DAYS as i32
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(Some(CurrentUser {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        role: role_of(&row.role)?,
        language: language_of(&row.language),
        utc_offset: row.utc_offset,
    }))
}

pub async fn create_session(
    conn: &mut PgConnection,
    user_id: Uuid,
    token_hash: &[u8],
    user_agent: Option<&str>,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO sessions (token_hash, user_id, expires_at, user_agent)
         VALUES ($1, $2, now() + make_interval(days => $3), $4)",
        token_hash,
        user_id,
        LIFETIME_DAYS as i32,
        user_agent.map(|ua| ua.chars().take(300).collect::<String>())
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_session(conn: &mut PgConnection, token_hash: &[u8]) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM sessions WHERE token_hash = $1", token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user, except optionally the one making the request.
pub async fn delete_user_sessions(
    conn: &mut PgConnection,
    user_id: Uuid,
    keep: Option<&[u8]>,
) -> Result<u64, AppError> {
    let done = sqlx::query!(
        "DELETE FROM sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR token_hash <> $2)",
        user_id,
        keep
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Serialises password attempts per account and per client address until the end of the
/// transaction, so that counting the failures, deciding and recording the attempt happen as
/// one step: of many parallel attempts each sees those before it. Locks are always taken
/// account first, address second, so two attempts never wait on each other in a circle.
pub async fn lock_attempts(
    conn: &mut PgConnection,
    email: &str,
    address: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"SELECT true AS "locked!" FROM pg_advisory_xact_lock(1, hashtext(lower($1)))"#,
        email
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        r#"SELECT true AS "locked!" FROM pg_advisory_xact_lock(2, hashtext($1))"#,
        address
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(())
}

/// Failures within the throttling window: for the account, and for the client address.
pub async fn recent_failures(
    conn: &mut PgConnection,
    email: &str,
    address: &str,
) -> Result<(Vec<DateTime<Utc>>, Vec<DateTime<Utc>>), AppError> {
    let window = crate::domain::throttle::WINDOW_MINUTES as i32;
    let account = sqlx::query_scalar!(
        "SELECT failed_at FROM sign_in_failures
         WHERE lower(email) = lower($1) AND failed_at > now() - make_interval(mins => $2)",
        email,
        window
    )
    .fetch_all(&mut *conn)
    .await?;
    let by_address = sqlx::query_scalar!(
        "SELECT failed_at FROM sign_in_failures
         WHERE address = $1 AND failed_at > now() - make_interval(mins => $2)",
        address,
        window
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok((account, by_address))
}

pub async fn record_failure(
    conn: &mut PgConnection,
    email: &str,
    address: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO sign_in_failures (email, address) VALUES (lower($1), $2)",
        email,
        address
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A correct sign-in wipes the account's slate.
pub async fn clear_failures(conn: &mut PgConnection, email: &str) -> Result<(), AppError> {
    sqlx::query!(
        "DELETE FROM sign_in_failures WHERE lower(email) = lower($1)",
        email
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Housekeeping: expired sessions and failures older than a day.
pub async fn purge_expired(conn: &mut PgConnection) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM sessions WHERE expires_at < now()")
        .execute(&mut *conn)
        .await?;
    sqlx::query!("DELETE FROM sign_in_failures WHERE failed_at < now() - interval '1 day'")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether Postgres knows `zone` as an IANA time zone name.
pub async fn time_zone_exists(conn: &mut PgConnection, zone: &str) -> Result<bool, AppError> {
    let known = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1) AS "known!""#,
        zone
    )
    .fetch_one(conn)
    .await?;
    Ok(known)
}

/// Stores the user's IANA time zone.
pub async fn set_time_zone(
    conn: &mut PgConnection,
    user_id: Uuid,
    zone: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE users SET time_zone = $2 WHERE id = $1",
        user_id,
        zone
    )
    .execute(conn)
    .await?;
    Ok(())
}
