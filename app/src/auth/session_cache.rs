//! The sessions this server process has looked up lately, so that a signed-in request does
//! not cost a database round trip before its own work.
//!
//! The cache is only trusted while it hears Postgres: triggers on `users` and `sessions`
//! (see the migration `session_changes`) send the user's id on the channel [`CHANNEL`] when
//! a user changes (deactivated, new role, language, password, time zone) or a session is
//! deleted, and `*` when either table is emptied; every server process forgets those
//! entries as the notification arrives, milliseconds after the commit. A change a request
//! makes to its own user is also forgotten in its process at once
//! (`state::forget_cached_sessions`), so that user's next request never sees the old values.
//! Without a listening connection (not started, lost, silent for a heartbeat, reconnecting)
//! the cache answers nothing and stores nothing, so every request asks the database as
//! before. An entry is also re-read after [`FRESH_FOR`], which keeps the session's expiry
//! and the user's UTC offset current.

use super::CurrentUser;
use sqlx::postgres::{PgListener, PgPoolOptions};
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The notification channel of user and session changes.
pub const CHANNEL: &str = "atrium_sessions";

/// How long an entry is answered from memory.
pub const FRESH_FOR: Duration = Duration::from_secs(30);

/// How often every process sends the heartbeat, and how long a listening connection may
/// hear nothing before it is given up.
const HEARTBEAT: Duration = Duration::from_secs(10);
const SILENCE: Duration = Duration::from_secs(35);
const PING: &str = "ping";

/// Entries kept at once; a full cache drops its stale entries, then everything.
const KEPT: usize = 20_000;

#[derive(Clone, Debug, Default)]
pub struct SessionCache {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    listening: AtomicBool,
    /// Grows with every forgetting: a lookup that started before one may not store its
    /// answer, which could be older than the change that was forgotten.
    generation: AtomicU64,
    entries: Mutex<HashMap<Vec<u8>, Entry>>,
}

#[derive(Clone, Debug)]
struct Entry {
    user: CurrentUser,
    at: Instant,
}

/// Taken before a database lookup; storing its answer needs it.
#[derive(Clone, Copy, Debug)]
pub struct Ticket(u64);

impl SessionCache {
    /// The user of the session whose token hashes to `key`, when known and fresh.
    pub fn get(&self, key: &[u8], now: Instant) -> Option<CurrentUser> {
        if !self.inner.listening.load(Ordering::Acquire) {
            return None;
        }
        let entries = self.inner.entries.lock().ok()?;
        let entry = entries.get(key)?;
        (now.saturating_duration_since(entry.at) < FRESH_FOR).then(|| entry.user.clone())
    }

    pub fn ticket(&self) -> Ticket {
        Ticket(self.inner.generation.load(Ordering::Acquire))
    }

    /// Remembers what a lookup that took `ticket` found, unless something was forgotten since.
    pub fn put(&self, key: Vec<u8>, user: CurrentUser, ticket: Ticket, now: Instant) {
        if !self.inner.listening.load(Ordering::Acquire) {
            return;
        }
        let Ok(mut entries) = self.inner.entries.lock() else {
            return;
        };
        // Checked under the lock: `forget_user` also bumps the generation under it.
        if self.inner.generation.load(Ordering::Acquire) != ticket.0 {
            return;
        }
        if entries.len() >= KEPT {
            entries.retain(|_, entry| now.saturating_duration_since(entry.at) < FRESH_FOR);
            if entries.len() >= KEPT {
                entries.clear();
            }
        }
        entries.insert(key, Entry { user, at: now });
    }

    /// Forgets every session of `user`.
    pub fn forget_user(&self, user: Uuid) {
        if let Ok(mut entries) = self.inner.entries.lock() {
            self.inner.generation.fetch_add(1, Ordering::AcqRel);
            entries.retain(|_, entry| entry.user.id != user);
        }
    }

    /// Forgets everything.
    pub fn forget_all(&self) {
        if let Ok(mut entries) = self.inner.entries.lock() {
            self.inner.generation.fetch_add(1, Ordering::AcqRel);
            entries.clear();
        }
    }

    /// Starts or stops trusting the cache; either way it starts empty, since changes may
    /// have been missed while nobody listened.
    fn set_listening(&self, on: bool) {
        self.forget_all();
        self.inner.listening.store(on, Ordering::Release);
    }

    /// Whether the cache is in use.
    pub fn is_listening(&self) -> bool {
        self.inner.listening.load(Ordering::Acquire)
    }

    /// Listens for user and session changes on a connection of its own (outside `pool`, so
    /// requests keep all of it) until `pool` closes. A lost or silent connection stops the
    /// cache until a new one listens.
    pub fn spawn_listener(&self, pool: PgPool) {
        let cache = self.clone();
        let pinged = pool.clone();
        tokio::spawn(async move {
            let own = PgPoolOptions::new()
                .max_connections(1)
                .connect_lazy_with((*pool.connect_options()).clone());
            while !pool.is_closed() {
                let ended = tokio::select! {
                    ended = cache.listen(&own) => ended,
                    _ = pool.close_event() => Ok(()),
                };
                cache.set_listening(false);
                if let Err(error) = ended {
                    if !pool.is_closed() {
                        tracing::warn!(%error, "the session cache stopped listening; retrying");
                    }
                }
                if !pool.is_closed() {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
            own.close().await;
        });
        // The heartbeat every listening process hears: a connection that died without a word
        // (a NAT, a fail-over) is noticed when it stops hearing it.
        tokio::spawn(async move {
            let mut every = tokio::time::interval(HEARTBEAT);
            while !pinged.is_closed() {
                every.tick().await;
                let _ = sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(PING)
                    .execute(&pinged)
                    .await;
            }
        });
    }

    /// Listens until the connection is lost or hears nothing, not even the heartbeat.
    async fn listen(&self, own: &PgPool) -> Result<(), sqlx::Error> {
        let mut listener = PgListener::connect_with(own).await?;
        // A lost connection ends this listening; the caller starts afresh, and the cache
        // answers nothing in between.
        listener.eager_reconnect(false);
        listener.listen(CHANNEL).await?;
        self.set_listening(true);
        loop {
            let Ok(received) = tokio::time::timeout(SILENCE, listener.try_recv()).await else {
                return Err(sqlx::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the listening connection went silent",
                )));
            };
            match received? {
                Some(notification) if notification.payload() == PING => {}
                Some(notification) => match Uuid::parse_str(notification.payload()) {
                    Ok(user) => self.forget_user(user),
                    Err(_) => self.forget_all(),
                },
                None => return Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Language, Role};

    fn user(id: u128) -> CurrentUser {
        CurrentUser {
            id: Uuid::from_u128(id),
            email: format!("{id}@atrium.example"),
            display_name: format!("User {id}"),
            role: Role::Employee,
            language: Language::En,
            utc_offset: 60,
        }
    }

    fn listening() -> SessionCache {
        let cache = SessionCache::default();
        cache.set_listening(true);
        cache
    }

    #[test]
    fn answers_only_while_listening() {
        let cache = SessionCache::default();
        let now = Instant::now();
        cache.put(b"a".to_vec(), user(1), cache.ticket(), now);
        assert_eq!(cache.get(b"a", now), None);

        let cache = listening();
        cache.put(b"a".to_vec(), user(1), cache.ticket(), now);
        assert_eq!(cache.get(b"a", now), Some(user(1)));
        cache.set_listening(false);
        assert_eq!(cache.get(b"a", now), None);
        cache.set_listening(true);
        assert_eq!(
            cache.get(b"a", now),
            None,
            "nothing survives a gap in listening"
        );
    }

    #[test]
    fn entries_go_stale() {
        let cache = listening();
        let then = Instant::now();
        cache.put(b"a".to_vec(), user(1), cache.ticket(), then);
        assert!(cache
            .get(b"a", then + FRESH_FOR - Duration::from_millis(1))
            .is_some());
        assert_eq!(cache.get(b"a", then + FRESH_FOR), None);
    }

    #[test]
    fn forgetting_a_user_drops_all_their_sessions_and_no_one_else() {
        let cache = listening();
        let now = Instant::now();
        cache.put(b"a".to_vec(), user(1), cache.ticket(), now);
        cache.put(b"b".to_vec(), user(1), cache.ticket(), now);
        cache.put(b"c".to_vec(), user(2), cache.ticket(), now);
        cache.forget_user(Uuid::from_u128(1));
        assert_eq!(cache.get(b"a", now), None);
        assert_eq!(cache.get(b"b", now), None);
        assert_eq!(cache.get(b"c", now), Some(user(2)));
    }

    #[test]
    fn a_lookup_older_than_a_change_is_not_stored() {
        let cache = listening();
        let now = Instant::now();
        let ticket = cache.ticket();
        // The user is deactivated while the lookup is on its way back.
        cache.forget_user(Uuid::from_u128(1));
        cache.put(b"a".to_vec(), user(1), ticket, now);
        assert_eq!(cache.get(b"a", now), None);
        cache.put(b"a".to_vec(), user(1), cache.ticket(), now);
        assert_eq!(cache.get(b"a", now), Some(user(1)));
    }

    #[test]
    fn a_full_cache_makes_room() {
        let cache = listening();
        let then = Instant::now();
        for n in 0..KEPT {
            cache.put(n.to_le_bytes().to_vec(), user(1), cache.ticket(), then);
        }
        let later = then + FRESH_FOR;
        cache.put(b"new".to_vec(), user(2), cache.ticket(), later);
        assert_eq!(cache.get(b"new", later), Some(user(2)));
        assert_eq!(cache.inner.entries.lock().unwrap().len(), 1);
    }
}
