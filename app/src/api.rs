//! The one way a server function runs on the server: who is asking (and, where the policy
//! table says so, whether their role may), a connection or a transaction, and an answer
//! whose HTTP status matches its error. A server function is then the sentence it
//! implements: `api::write(async |user, tx| db::confirm(tx, &user, id, version).await)`.

use crate::auth::session;
use crate::auth::CurrentUser;
use crate::domain::policy::CompanyOp;
use crate::error::{respond, AppError};
use crate::state::app_state;
use sqlx::PgConnection;

/// Reads for the signed-in user on one pooled connection.
pub async fn read<T>(
    work: impl AsyncFnOnce(CurrentUser, &mut PgConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    respond(on_connection(session::require_user(), work).await)
}

/// Reads for a signed-in user whose role may do `op`.
pub async fn read_as<T>(
    op: CompanyOp,
    work: impl AsyncFnOnce(CurrentUser, &mut PgConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    respond(on_connection(session::require(op), work).await)
}

/// Writes for the signed-in user in one transaction, committed when `work` succeeds and
/// rolled back otherwise.
pub async fn write<T>(
    work: impl AsyncFnOnce(CurrentUser, &mut PgConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    respond(in_transaction(session::require_user(), work).await)
}

/// Writes for a signed-in user whose role may do `op`, in one transaction.
pub async fn write_as<T>(
    op: CompanyOp,
    work: impl AsyncFnOnce(CurrentUser, &mut PgConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    respond(in_transaction(session::require(op), work).await)
}

/// Work that must hold no connection while it waits on the client or the password hasher
/// (uploads, passwords, mail with a stored attachment): the signed-in user only; `work`
/// takes a connection or a transaction when it is ready for one.
pub async fn signed_in<T>(
    work: impl AsyncFnOnce(CurrentUser) -> Result<T, AppError>,
) -> Result<T, AppError> {
    respond(match session::require_user() {
        Ok(user) => work(user).await,
        Err(error) => Err(error),
    })
}

/// The same for a user whose role may do `op`.
pub async fn signed_in_as<T>(
    op: CompanyOp,
    work: impl AsyncFnOnce(CurrentUser) -> Result<T, AppError>,
) -> Result<T, AppError> {
    respond(match session::require(op) {
        Ok(user) => work(user).await,
        Err(error) => Err(error),
    })
}

async fn on_connection<T>(
    user: Result<CurrentUser, AppError>,
    work: impl AsyncFnOnce(CurrentUser, &mut PgConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let user = user?;
    let mut conn = app_state()?.pool.acquire().await?;
    work(user, &mut conn).await
}

async fn in_transaction<T>(
    user: Result<CurrentUser, AppError>,
    work: impl AsyncFnOnce(CurrentUser, &mut PgConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let user = user?;
    let mut tx = crate::state::begin(&app_state()?.pool).await?;
    let value = work(user, &mut tx).await?;
    tx.commit().await?;
    Ok(value)
}
