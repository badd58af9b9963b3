//! Server functions of the user administration; admins only.

use super::{NewUser, UserRow};
use crate::codec::JsonAnswer;
use crate::domain::Role;
use crate::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::db,
    crate::auth::{db as auth_db, password_hash},
    crate::domain::policy::CompanyOp,
    crate::domain::{role::may_change_own_account, DisplayName, Email, Language, Password},
    crate::error::FieldProblem,
    crate::state::app_state,
};

pub type CreateUserAction = ServerAction<CreateUser>;
pub type UpdateUserAction = ServerAction<UpdateUser>;

#[server(endpoint = "users/list", output = JsonAnswer)]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    crate::api::read_as(CompanyOp::ManageUsers, async |_user, conn| {
        db::list(conn).await
    })
    .await
}

/// How many colleagues work in Atrium; any signed-in user may know.
#[server(endpoint = "users/count_active", output = JsonAnswer)]
pub async fn count_active_users() -> Result<i64, AppError> {
    crate::api::read(async |_user, conn| db::count_active(conn).await).await
}

#[server(endpoint = "users/create", output = JsonAnswer)]
pub async fn create_user(user: NewUser) -> Result<UserRow, AppError> {
    crate::api::signed_in_as(CompanyOp::ManageUsers, async |_admin| {
        let email = Email::parse(&user.email)
            .map_err(|e| AppError::invalid("email", FieldProblem::from(e)))?;
        let display_name = DisplayName::parse(&user.display_name)
            .map_err(|e| AppError::invalid("display_name", FieldProblem::from(e)))?;
        let role = Role::parse(&user.role)
            .ok_or_else(|| AppError::invalid("role", FieldProblem::RoleUnknown))?;
        let language = Language::parse(&user.language)
            .ok_or_else(|| AppError::invalid("language", FieldProblem::LanguageUnknown))?;
        let password = Password::parse(&user.password)
            .map_err(|e| AppError::invalid("password", FieldProblem::from(e)))?;
        let password_hash = password_hash::hash(password.expose().to_string()).await?;
        let mut conn = app_state()?.pool.acquire().await?;
        let valid = db::ValidNewUser {
            email,
            display_name,
            role,
            language,
            password_hash,
        };
        db::insert(&mut conn, &valid).await
    })
    .await
}

/// Changes a user's role or active flag. Deactivating ends the user's sessions at once.
/// Admins cannot demote or deactivate themselves, so a company never loses its last admin
/// by accident.
#[server(endpoint = "users/update", output = JsonAnswer)]
pub async fn update_user(
    id: Uuid,
    version: i32,
    role: Role,
    active: bool,
) -> Result<UserRow, AppError> {
    crate::api::write_as(CompanyOp::ManageUsers, async |admin, tx| {
        if admin.id == id && !may_change_own_account(admin.role, role, active) {
            return Err(AppError::invalid("role", FieldProblem::NotYourself));
        }
        let row = db::update_role_and_status(tx, id, version, role, active).await?;
        crate::state::forget_cached_sessions(id);
        if !row.active {
            auth_db::delete_user_sessions(tx, id, None).await?;
        }
        Ok(row)
    })
    .await
}
