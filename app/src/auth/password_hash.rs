//! argon2id password hashing on a few threads of its own (a hash takes a core for tens of
//! milliseconds and about 19 MB).

use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads: one per two cores, so a burst of sign-ins queues instead of taking
/// every core from ordinary requests. Not the async runtime's blocking pool: it grows to
/// hundreds of threads, and each thread that once hashed keeps its 19 MB in its allocator's
/// arena, so a burst would leave the server hundreds of MB larger. Here the memory is that
/// of the few hashing threads, reused hash after hash.
fn hashers() -> &'static Sender<Job> {
    static HASHERS: OnceLock<Sender<Job>> = OnceLock::new();
    HASHERS.get_or_init(|| {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        for n in 0..(cores / 2).max(1) {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || work(&queue));
            if let Err(error) = spawned {
                tracing::error!(%error, "no password hashing thread");
            }
        }
        jobs
    })
}

fn work(queue: &Mutex<Receiver<Job>>) {
    loop {
        let next = queue.lock().map(|queue| queue.recv());
        match next {
            Ok(Ok(job)) => job(),
            _ => return,
        }
    }
}

/// Runs `hashing` on a hashing thread and waits for it without blocking the runtime.
async fn on_hasher<T: Send + 'static>(
    hashing: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let (answer, answered) = tokio::sync::oneshot::channel();
    hashers()
        .send(Box::new(move || {
            let _ = answer.send(hashing());
        }))
        .map_err(|_| AppError::Internal)?;
    answered.await.map_err(|_| AppError::Internal)
}

/// Verifying against this when the account does not exist keeps the answer time the same,
/// so timing does not tell which e-mail addresses have accounts.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2hXQ5ZmVqv3cJ0dFkQ8h3CjFq3yQq2pG8n0b2m8T0i0";

pub async fn hash(password: String) -> Result<String, AppError> {
    on_hasher(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|error| {
                tracing::error!(%error, "password hashing failed");
                AppError::Internal
            })
    })
    .await?
}

/// True when `password` matches `stored`; with no stored hash, spends the same time and
/// answers false.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    on_hasher(move || {
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
