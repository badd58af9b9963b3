//! Server functions of the Outbox page.

use super::OutboxPage;
use crate::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {super::db, crate::auth::session, crate::error::respond, crate::state::app_state};

#[server(endpoint = "outbox/page")]
pub async fn load_outbox() -> Result<OutboxPage, AppError> {
    respond(
        async {
            let user = session::require_user()?;
            let state = app_state()?;
            let mut conn = state.pool.acquire().await?;
            Ok(OutboxPage {
                messages: db::recent(&mut conn, &user).await?,
                delivering: state.mail_delivery,
            })
        }
        .await,
    )
}

/// Tries a pending or failed message again now.
#[server(endpoint = "outbox/retry")]
pub async fn retry_message(id: Uuid) -> Result<(), AppError> {
    respond(
        async {
            let user = session::require_user()?;
            let mut conn = app_state()?.pool.acquire().await?;
            db::retry(&mut conn, &user, id).await
        }
        .await,
    )
}
