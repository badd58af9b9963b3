//! argon2id password hashing, off the async runtime (a hash takes tens of milliseconds).

use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use std::sync::{Arc, OnceLock};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A hash takes about 19 MB and a core for tens of milliseconds: at most one per two cores
/// runs, so a burst of sign-ins queues here instead of filling the memory or taking every
/// core from ordinary requests. The turn moves into the hashing thread, so a request that
/// is abandoned meanwhile still holds it until the hash is done.
async fn hashing_turn() -> Result<OwnedSemaphorePermit, AppError> {
    static HASHING: OnceLock<Arc<Semaphore>> = OnceLock::new();
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let cores = (cores / 2).max(1);
    Arc::clone(HASHING.get_or_init(|| Arc::new(Semaphore::new(cores))))
        .acquire_owned()
        .await
        .map_err(|_| AppError::Internal)
}

/// Verifying against this when the account does not exist keeps the answer time the same,
/// so timing does not tell which e-mail addresses have accounts.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2hXQ5ZmVqv3cJ0dFkQ8h3CjFq3yQq2pG8n0b2m8T0i0";

pub async fn hash(password: String) -> Result<String, AppError> {
    let turn = hashing_turn().await?;
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|error| {
                tracing::error!(%error, "password hashing failed");
                AppError::Internal
            })
    })
    .await
    .map_err(|_| AppError::Internal)?
}

/// True when `password` matches `stored`; with no stored hash, spends the same time and
/// answers false.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    let Ok(turn) = hashing_turn().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        let exists = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        exists && matches
    })
    .await
    .unwrap_or(false)
}
