//! What every request handler on the server shares.

pub mod export_limits;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: PgPool,
    pub leptos_options: LeptosOptions,
    /// Cookies get `Secure` when the public URL is https.
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Where uploaded files live (a local directory by default).
    pub files: std::sync::Arc<dyn object_store::ObjectStore>,
    /// A mail server is configured, so the outbox is delivered (otherwise it is only kept).
    pub mail_delivery: bool,
    /// How many exports may run at once, and for how long.
    pub exports: export_limits::ExportLimits,
    /// How fast one session may send requests.
    pub pace: crate::auth::pace::RequestPace,
    /// Sessions looked up lately (in use once its listener runs).
    pub sessions: crate::auth::session_cache::SessionCache,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The shared state inside a server function or a server render.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the request context");
        crate::error::AppError::Internal
    })
}

/// A transaction on `pool` that a cancelled request cannot leave open.
///
/// When a request's future is dropped (its client went away) while sqlx 0.8 waits for the
/// answer to `BEGIN`, sqlx queues no `ROLLBACK` (it counts the transaction only once the
/// answer is in) and the connection goes back to the pool inside an open transaction: the
/// next request's writes on it are never committed and its locks are never released. So the
/// `BEGIN` runs in a task of its own, which finishes whatever happens to the request; a
/// transaction it hands to a request that is gone is dropped and rolled back as usual.
pub async fn begin(
    pool: &PgPool,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
    let pool = pool.clone();
    tokio::spawn(async move { pool.begin().await })
        .await
        .map_err(|error| sqlx::Error::Io(std::io::Error::other(error)))?
}

/// Forgets `user`'s cached sessions in this process now, for a change being made to that
/// user: their next request reads the database even if it comes before the commit's
/// notification (which then tells every process, this one again).
pub fn forget_cached_sessions(user: uuid::Uuid) {
    if let Ok(state) = app_state() {
        state.sessions.forget_user(user);
    }
}

/// Today's date as the server counts days (UTC).
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
