//! How many exports run at once. An export holds a database connection for as long as its
//! client reads, so exports get a bounded share of the pool (the rest stays for sessions and
//! ordinary requests), each user a few of those, and an export whose client stops reading is
//! ended after a while, releasing its connection.

use crate::error::AppError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

#[derive(Clone, Debug)]
pub struct ExportLimits {
    slots: Arc<Semaphore>,
    running: Arc<Mutex<HashMap<Uuid, usize>>>,
    per_user: usize,
    /// An export whose client takes no data for this long is ended.
    pub write_timeout: Duration,
    /// The longest an export's query may run, whatever the client does.
    pub statement_timeout: Duration,
}

/// A running export's place; dropping it frees the place.
#[derive(Debug)]
pub struct ExportSlot {
    _permit: OwnedSemaphorePermit,
    running: Arc<Mutex<HashMap<Uuid, usize>>>,
    user: Uuid,
}

impl ExportLimits {
    pub fn new(total: usize, per_user: usize) -> ExportLimits {
        ExportLimits {
            slots: Arc::new(Semaphore::new(total.max(1))),
            running: Arc::default(),
            per_user: per_user.max(1),
            write_timeout: Duration::from_secs(30),
            statement_timeout: Duration::from_secs(600),
        }
    }

    /// A quarter of the pool for exports, two per user.
    pub fn for_pool(connections: u32) -> ExportLimits {
        ExportLimits::new((connections as usize / 4).max(1), 2)
    }

    /// A place for one more export of `user`, refused at once when there is none: a user
    /// who waits is better told than kept hanging.
    pub fn try_start(&self, user: Uuid) -> Result<ExportSlot, AppError> {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        let mine = running.entry(user).or_insert(0);
        if *mine >= self.per_user {
            return Err(AppError::TooManyExports);
        }
        let Ok(permit) = Arc::clone(&self.slots).try_acquire_owned() else {
            if *mine == 0 {
                running.remove(&user);
            }
            return Err(AppError::TooManyExports);
        };
        *mine += 1;
        Ok(ExportSlot {
            _permit: permit,
            running: Arc::clone(&self.running),
            user,
        })
    }
}

impl Drop for ExportSlot {
    fn drop(&mut self) {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = running.get_mut(&self.user) {
            *count -= 1;
            if *count == 0 {
                running.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_bounded_per_user_and_in_all_and_come_back() {
        let limits = ExportLimits::new(3, 2);
        let (anna, marc) = (Uuid::now_v7(), Uuid::now_v7());
        let first = limits.try_start(anna).unwrap();
        let _second = limits.try_start(anna).unwrap();
        assert_eq!(
            limits.try_start(anna).unwrap_err(),
            AppError::TooManyExports
        );
        let _third = limits.try_start(marc).unwrap();
        assert_eq!(
            limits.try_start(marc).unwrap_err(),
            AppError::TooManyExports,
            "three places in all"
        );
        drop(first);
        assert!(limits.try_start(marc).is_ok());
    }
}
