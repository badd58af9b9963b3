//! The SQL behind the shared references: resolving a picked or typed user or contact, and
//! the options of the user and deal pickers.

use super::{OpportunityRef, UserRef};
use crate::domain::{Currency, Money};
use crate::error::{AppError, FieldProblem};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// A currency code as the database keeps it. Every currency column checks for three
/// capitals, so a code that does not parse is a fault of the database, not of the user.
pub fn stored_currency(code: &str) -> Result<Currency, AppError> {
    Currency::parse(code).map_err(|_| {
        tracing::error!(code, "a stored currency code does not parse");
        AppError::Internal
    })
}

/// An amount and the currency code stored beside it.
pub fn stored_money(amount: Decimal, code: &str) -> Result<Money, AppError> {
    Ok(Money::new(amount, stored_currency(code)?))
}

/// A contact named by id (a picked option) or by its exact name (typed, or without
/// JavaScript); archived contacts are not offered.
pub async fn resolve_contact(
    conn: &mut PgConnection,
    id: Option<Uuid>,
    name: &str,
    field: &str,
) -> Result<Option<Uuid>, AppError> {
    if let Some(id) = id {
        return sqlx::query_scalar!("SELECT id FROM contacts WHERE id = $1", id)
            .fetch_optional(conn)
            .await?
            .map(Some)
            .ok_or_else(|| AppError::invalid(field, FieldProblem::ContactUnknown));
    }
    if name.trim().is_empty() {
        return Ok(None);
    }
    match contacts_named(conn, name).await?.as_slice() {
        [id] => Ok(Some(*id)),
        [] => Err(AppError::invalid(field, FieldProblem::ContactUnknown)),
        _ => Err(AppError::invalid(field, FieldProblem::ContactAmbiguous)),
    }
}

/// The active contacts called `name` (trimmed, case and accents aside), at most two: enough
/// to tell one from several. The contact pickers ask the same before a form is saved.
pub async fn contacts_named(conn: &mut PgConnection, name: &str) -> Result<Vec<Uuid>, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_scalar!(
        "SELECT id FROM contacts WHERE NOT archived AND sort_name = atrium_fold($1) LIMIT 2",
        name
    )
    .fetch_all(conn)
    .await?)
}

/// An active user by id, or refused on `field`.
pub async fn resolve_user(
    conn: &mut PgConnection,
    id: Option<Uuid>,
    field: &str,
) -> Result<Option<Uuid>, AppError> {
    let Some(id) = id else { return Ok(None) };
    sqlx::query_scalar!("SELECT id FROM users WHERE id = $1 AND active", id)
        .fetch_optional(conn)
        .await?
        .map(Some)
        .ok_or_else(|| AppError::invalid(field, FieldProblem::UserUnknown))
}

/// Active colleagues by name.
pub async fn user_options(conn: &mut PgConnection) -> Result<Vec<UserRef>, AppError> {
    Ok(sqlx::query!(
        "SELECT id, display_name FROM users WHERE active ORDER BY lower(display_name), id"
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| UserRef {
        id: r.id,
        name: r.display_name,
    })
    .collect())
}

/// Open deals to pick from (scheduling from a calendar): the caller's first, at most 300.
pub async fn open_opportunities(
    conn: &mut PgConnection,
    me: Uuid,
) -> Result<Vec<OpportunityRef>, AppError> {
    Ok(sqlx::query!(
        "SELECT id, title FROM opportunities WHERE status = 'open'
         ORDER BY (salesperson_id = $1) DESC NULLS LAST, sort_title, id LIMIT 300",
        me
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| OpportunityRef {
        id: r.id,
        title: r.title,
    })
    .collect())
}
