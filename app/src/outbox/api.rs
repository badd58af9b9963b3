//! Server functions of the Outbox page.

use super::OutboxPage;
use crate::codec::JsonAnswer;
use crate::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {super::db, crate::state::app_state};

#[server(endpoint = "outbox/page", output = JsonAnswer)]
pub async fn load_outbox() -> Result<OutboxPage, AppError> {
    crate::api::read(async |user, conn| {
        let delivering = app_state()?.mail_delivery;
        Ok(OutboxPage {
            messages: db::recent(conn, &user).await?,
            delivering,
        })
    })
    .await
}

/// Tries a pending or failed message again now.
#[server(endpoint = "outbox/retry", output = JsonAnswer)]
pub async fn retry_message(id: Uuid) -> Result<(), AppError> {
    crate::api::write(async |user, conn| db::retry(conn, &user, id).await).await
}
