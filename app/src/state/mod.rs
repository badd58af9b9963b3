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

/// Today's date as the server counts days (UTC).
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
