//! Users in Postgres, for the admin pages.

use super::UserRow;
use crate::auth::db::{language_of, role_of};
use crate::domain::{DisplayName, Email, Language, Role};
use crate::error::{AppError, FieldProblem, OnConstraint};
use sqlx::PgConnection;
use uuid::Uuid;

/// A `users` row as stored; `into_row` parses its role and language.
struct UserRecord {
    id: Uuid,
    email: String,
    display_name: String,
    role: String,
    language: String,
    active: bool,
    version: i32,
}

impl UserRecord {
    fn into_row(self) -> Result<UserRow, AppError> {
        Ok(UserRow {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            role: role_of(&self.role)?,
            language: language_of(&self.language),
            active: self.active,
            version: self.version,
        })
    }
}

pub async fn list(conn: &mut PgConnection) -> Result<Vec<UserRow>, AppError> {
    sqlx::query_as!(
        UserRecord,
        "SELECT id, email, display_name, role, language, active, version
         FROM users ORDER BY active DESC, lower(display_name), id"
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(UserRecord::into_row)
    .collect()
}

pub async fn count_active(conn: &mut PgConnection) -> Result<i64, AppError> {
    Ok(
        sqlx::query_scalar!(r#"SELECT count(*) AS "count!" FROM users WHERE active"#)
            .fetch_one(conn)
            .await?,
    )
}

pub struct ValidNewUser {
    pub email: Email,
    pub display_name: DisplayName,
    pub role: Role,
    pub language: Language,
    pub password_hash: String,
}

pub async fn insert(conn: &mut PgConnection, user: &ValidNewUser) -> Result<UserRow, AppError> {
    sqlx::query_as!(
        UserRecord,
        "INSERT INTO users (id, email, display_name, password_hash, role, language)
         VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id, email, display_name, role, language, active, version",
        Uuid::now_v7(),
        user.email.as_str(),
        user.display_name.as_str(),
        user.password_hash,
        user.role.as_str(),
        user.language.code()
    )
    .fetch_one(conn)
    .await
    .on_constraint("users_email_key", || {
        AppError::invalid("email", FieldProblem::EmailTaken)
    })?
    .into_row()
}

/// Changes role and active flag if the row is still at `version`; otherwise `Conflict`.
pub async fn update_role_and_status(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    role: Role,
    active: bool,
) -> Result<UserRow, AppError> {
    let updated = sqlx::query_as!(
        UserRecord,
        "UPDATE users SET role = $3, active = $4, version = version + 1, updated_at = now()
         WHERE id = $1 AND version = $2
         RETURNING id, email, display_name, role, language, active, version",
        id,
        version,
        role.as_str(),
        active
    )
    .fetch_optional(&mut *conn)
    .await?;
    match updated {
        Some(record) => record.into_row(),
        None => {
            let exists = sqlx::query_scalar!("SELECT 1 FROM users WHERE id = $1", id)
                .fetch_optional(&mut *conn)
                .await?;
            Err(if exists.is_some() {
                AppError::Conflict
            } else {
                AppError::NotFound
            })
        }
    }
}
