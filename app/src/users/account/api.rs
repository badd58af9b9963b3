//! Server functions for signing in and out and for the user's own account.

use crate::auth::CurrentUser;
use crate::codec::JsonAnswer;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::auth::{db, password_hash, session},
    crate::domain::{throttle, Language, Password},
    crate::error::{respond, FieldProblem},
    crate::state::app_state,
};

pub type SignInAction = ServerAction<SignIn>;
pub type SignOutAction = ServerAction<SignOut>;
pub type ChangePasswordAction = ServerAction<ChangePassword>;
pub type ChangeLanguageAction = ServerAction<ChangeLanguage>;

/// The signed-in user, or `None` on the sign-in page.
#[server(endpoint = "auth/current_user", output = JsonAnswer)]
pub async fn signed_in_user() -> Result<Option<CurrentUser>, AppError> {
    respond(session::optional_user())
}

/// Checks the password (throttled), rotates the session and goes to `next`.
#[server(endpoint = "auth/sign_in", output = JsonAnswer)]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let parts = session::request_parts()?;
    let next = crate::auth::safe_next(next.as_deref());
    match sign_in_checked(&parts, &email, password).await {
        Ok(()) => {
            // With JavaScript the page loads `next` itself, in full, so that everything is
            // rendered afresh for this user and in their language.
            if session::is_plain_form_post(&parts) {
                leptos_axum::redirect(&next);
            }
            Ok(())
        }
        // Without JavaScript the browser wants a page: back to the form, with the reason.
        Err(error) if session::is_plain_form_post(&parts) => {
            let code = match &error {
                AppError::Throttled { minutes } => format!("throttled&minutes={minutes}"),
                AppError::BadCredentials => "bad_credentials".to_string(),
                _ => "internal".to_string(),
            };
            leptos_axum::redirect(&format!(
                "/sign-in?error={code}&email={}&next={}",
                crate::auth::encode_query_value(email.trim()),
                crate::auth::encode_query_value(&next)
            ));
            Ok(())
        }
        Err(error) => respond(Err(error)),
    }
}

#[cfg(feature = "ssr")]
async fn sign_in_checked(
    parts: &http::request::Parts,
    email: &str,
    password: String,
) -> Result<(), AppError> {
    let state = app_state()?;
    let email = email.trim().to_lowercase();
    // Nothing longer than an address or a password can be reaches a query or the hasher.
    if email.len() > crate::domain::email::MAX_LENGTH
        || password.chars().count() > Password::MAX_CHARS
    {
        return Err(AppError::BadCredentials);
    }
    let address = client_address(parts, state.trust_forwarded_for);
    let delay_seconds = begin_password_attempt(&state.pool, &email, &address).await?;
    let mut conn = state.pool.acquire().await?;
    let credentials = db::find_credentials(&mut conn, &email).await?;
    // No connection is held while the password is hashed.
    drop(conn);
    let stored = credentials.as_ref().map(|c| c.password_hash.clone());
    let matches = password_hash::verify(password, stored).await;
    let user = match credentials {
        Some(c) if matches && c.active => c.user,
        _ => {
            tracing::info!(address, "sign-in failed");
            tokio::time::sleep(std::time::Duration::from_secs(delay_seconds)).await;
            return Err(AppError::BadCredentials);
        }
    };
    let mut conn = state.pool.acquire().await?;
    db::clear_failures(&mut conn, &email).await?;
    // A new token at every sign-in: a session id planted before sign-in is worthless after.
    if let Some(old) = session::token_from(&parts.headers) {
        db::delete_session(&mut conn, &session::token_hash(&old)).await?;
    }
    let token = session::new_token();
    let user_agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    db::create_session(&mut conn, user.id, &session::token_hash(&token), user_agent).await?;
    session::append_set_cookie(&session::set_cookie(&token, state.secure_cookies));
    session::append_set_cookie(&crate::locale::language_cookie(user.language));
    tracing::info!(user = %user.id, "signed in");
    Ok(())
}

/// Decides whether a password may be checked for `account` from `address`, and counts the
/// attempt as a failure until the password proves right (the caller then clears the
/// account's failures). Counting, deciding and recording are one locked step, so parallel
/// attempts cannot all slip under the limit. Answers how long to wait before answering a
/// wrong password.
#[cfg(feature = "ssr")]
async fn begin_password_attempt(
    pool: &sqlx::PgPool,
    account: &str,
    address: &str,
) -> Result<u64, AppError> {
    // Attempts of this process queue here, holding no database connection, so that a burst
    // on one account cannot take the pool from everyone else while it waits for the lock.
    let _turn = attempt_turn(account, address).await;
    let mut tx = crate::state::begin(pool).await?;
    db::lock_attempts(&mut tx, account, address).await?;
    let (by_account, by_address) = db::recent_failures(&mut tx, account, address).await?;
    let now = chrono::Utc::now();
    match throttle::verdict(&by_account, &by_address, now) {
        throttle::Verdict::Locked { until } => {
            let minutes = ((until - now).num_seconds() + 59) / 60;
            tracing::warn!(address, "password attempt refused: throttled");
            Err(AppError::Throttled {
                minutes: minutes.max(1),
            })
        }
        throttle::Verdict::Allow { delay_seconds } => {
            db::record_failure(&mut tx, account, address).await?;
            tx.commit().await?;
            Ok(delay_seconds)
        }
    }
}

/// The place in line of an attempt in this process: a striped lock per account and per
/// address (taken in stripe order, so two attempts never wait on each other in a circle).
/// The database's advisory locks then order the attempts of all processes.
#[cfg(feature = "ssr")]
async fn attempt_turn(account: &str, address: &str) -> Vec<tokio::sync::MutexGuard<'static, ()>> {
    use std::hash::{Hash, Hasher};
    const STRIPES: usize = 64;
    static LOCKS: std::sync::OnceLock<Vec<tokio::sync::Mutex<()>>> = std::sync::OnceLock::new();
    let locks = LOCKS.get_or_init(|| (0..STRIPES).map(|_| tokio::sync::Mutex::new(())).collect());
    let stripe = |key: &str| {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut hasher);
        (hasher.finish() % STRIPES as u64) as usize
    };
    let mut stripes = vec![
        stripe(&format!("account:{account}")),
        stripe(&format!("address:{address}")),
    ];
    stripes.sort_unstable();
    stripes.dedup();
    let mut guards = Vec::with_capacity(stripes.len());
    for index in stripes {
        guards.push(locks[index].lock().await);
    }
    guards
}

/// The client's address: the peer, or the first `X-Forwarded-For` hop behind a proxy.
#[cfg(feature = "ssr")]
fn client_address(parts: &http::request::Parts, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for {
        if let Some(forwarded) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return forwarded.trim().chars().take(64).collect();
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Ends this session on the server and clears the cookie.
#[server(endpoint = "auth/sign_out", output = JsonAnswer)]
pub async fn sign_out() -> Result<(), AppError> {
    let state = app_state()?;
    let parts = session::request_parts()?;
    if let Some(token) = session::token_from(&parts.headers) {
        let mut conn = state.pool.acquire().await?;
        db::delete_session(&mut conn, &session::token_hash(&token)).await?;
        if let Ok(Some(user)) = session::optional_user() {
            crate::state::forget_cached_sessions(user.id);
        }
    }
    session::append_set_cookie(&session::clear_cookie(state.secure_cookies));
    leptos_axum::redirect("/sign-in");
    Ok(())
}

/// Changes the signed-in user's password and ends their other sessions.
#[server(endpoint = "account/change_password", output = JsonAnswer)]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    crate::api::signed_in(async |user| {
        let password =
            Password::parse(&new).map_err(|e| AppError::invalid("new", FieldProblem::from(e)))?;
        if new != confirm {
            return Err(AppError::invalid("confirm", FieldProblem::PasswordMismatch));
        }
        if current.chars().count() > Password::MAX_CHARS {
            return Err(AppError::invalid("current", FieldProblem::PasswordWrong));
        }
        let state = app_state()?;
        let parts = session::request_parts()?;
        // Guessing the current password of a session left open is throttled like
        // signing in, on the same account.
        let address = client_address(&parts, state.trust_forwarded_for);
        let delay_seconds = begin_password_attempt(&state.pool, &user.email, &address).await?;
        let mut conn = state.pool.acquire().await?;
        let stored = db::password_hash_of(&mut conn, user.id).await?;
        drop(conn);
        if !password_hash::verify(current, Some(stored)).await {
            tokio::time::sleep(std::time::Duration::from_secs(delay_seconds)).await;
            return Err(AppError::invalid("current", FieldProblem::PasswordWrong));
        }
        let mut conn = state.pool.acquire().await?;
        db::clear_failures(&mut conn, &user.email).await?;
        let hash = password_hash::hash(password.expose().to_string()).await?;
        db::set_password_hash(&mut conn, user.id, &hash).await?;
        let keep = session::token_from(&parts.headers).map(|t| session::token_hash(&t));
        db::delete_user_sessions(&mut conn, user.id, keep.as_deref()).await?;
        crate::state::forget_cached_sessions(user.id);
        Ok(())
    })
    .await
}

/// Stores the user's language; the next render on any device uses it.
#[server(endpoint = "account/change_language", output = JsonAnswer)]
pub async fn change_language(language: String) -> Result<(), AppError> {
    crate::api::write(async |user, conn| {
        let language = Language::parse(&language)
            .ok_or_else(|| AppError::invalid("language", FieldProblem::LanguageUnknown))?;
        db::set_language(conn, user.id, language).await?;
        crate::state::forget_cached_sessions(user.id);
        session::append_set_cookie(&crate::locale::language_cookie(language));
        let parts = session::request_parts()?;
        if session::is_plain_form_post(&parts) {
            leptos_axum::redirect("/settings/account");
        }
        Ok(())
    })
    .await
}

/// Stores the browser's IANA time zone for the signed-in user (sent by the app when it
/// changes), so that activities fall due on the user's own day.
#[server(endpoint = "account/time_zone", output = JsonAnswer)]
pub async fn set_time_zone(zone: String) -> Result<(), AppError> {
    crate::api::write(async |user, conn| {
        if !db::time_zone_exists(conn, &zone).await? {
            return Err(AppError::invalid("zone", FieldProblem::TextTooLong));
        }
        db::set_time_zone(conn, user.id, &zone).await?;
        crate::state::forget_cached_sessions(user.id);
        Ok(())
    })
    .await
}
