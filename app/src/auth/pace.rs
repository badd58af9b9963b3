//! How fast one session may send requests. Every session has a bucket of requests that
//! refills at a steady rate; a request that finds it empty waits for its turn (the wait
//! costs the server a timer, not a thread or a connection), and one that would wait too long
//! is refused with 429. A script that hammers the server from a signed-in session is thus
//! slowed to the rate, however fast it sends, while a person clicking never notices.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest a request waits for its turn before it is refused.
const MAX_WAIT: Duration = Duration::from_secs(2);

/// Sessions tracked at once; beyond it, full buckets are forgotten first.
const TRACKED: usize = 50_000;

#[derive(Clone, Debug)]
pub struct RequestPace {
    buckets: Arc<Mutex<HashMap<Vec<u8>, Bucket>>>,
    /// Requests per second a session keeps; 0 turns pacing off.
    rate: f64,
    /// Requests a session may send at once after a quiet while.
    burst: f64,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    /// Below zero: that many requests already wait for their turn.
    tokens: f64,
    at: Instant,
}

/// What a request is told.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Turn {
    Now,
    /// Its turn comes after this wait.
    After(Duration),
    /// Too many wait already; try again after this.
    Refused {
        retry_after: Duration,
    },
}

impl RequestPace {
    /// `per_second` requests a second, sustained, after a burst of two seconds' worth.
    pub fn new(per_second: u32) -> RequestPace {
        RequestPace {
            buckets: Arc::default(),
            rate: f64::from(per_second),
            burst: f64::from(per_second) * 2.0,
        }
    }

    pub fn off() -> RequestPace {
        RequestPace::new(0)
    }

    /// The turn of one request of the session `key` (its token's hash) arriving at `now`.
    pub fn turn(&self, key: &[u8], now: Instant) -> Turn {
        if self.rate <= 0.0 {
            return Turn::Now;
        }
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= TRACKED && !buckets.contains_key(key) {
            buckets.retain(|_, bucket| self.refilled(*bucket, now) < self.burst);
            if buckets.len() >= TRACKED {
                // Only sessions that sent within the last seconds are left: this one is new.
                return Turn::Now;
            }
        }
        let bucket = buckets.entry(key.to_vec()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        bucket.tokens = self.refilled(*bucket, now);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Turn::Now;
        }
        let wait = Duration::from_secs_f64((1.0 - bucket.tokens) / self.rate);
        if wait > MAX_WAIT {
            return Turn::Refused { retry_after: wait };
        }
        bucket.tokens -= 1.0;
        Turn::After(wait)
    }

    /// Takes `requests` more from the session's bucket: an answer that only abuse earns (a
    /// body over its limit) costs its sender more than one turn. The debt is bounded by
    /// what the longest wait can repay.
    pub fn charge(&self, key: &[u8], requests: f64, now: Instant) {
        if self.rate <= 0.0 {
            return;
        }
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bucket) = buckets.get_mut(key) {
            let floor = -(MAX_WAIT.as_secs_f64() * self.rate);
            bucket.tokens = (self.refilled(*bucket, now) - requests).max(floor);
            bucket.at = now;
        }
    }

    fn refilled(&self, bucket: Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        (bucket.tokens + elapsed * self.rate).min(self.burst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_requests_wait_for_their_turn() {
        let pace = RequestPace::new(10);
        let start = Instant::now();
        for _ in 0..20 {
            assert_eq!(pace.turn(b"a", start), Turn::Now);
        }
        let waits: Vec<u128> = (0..2)
            .map(|_| match pace.turn(b"a", start) {
                Turn::After(wait) => wait.as_millis(),
                other => panic!("expected a wait, got {other:?}"),
            })
            .collect();
        assert_eq!(waits, [100, 200]);
        // Another session is not affected.
        assert_eq!(pace.turn(b"b", start), Turn::Now);
    }

    #[test]
    fn a_queue_longer_than_the_longest_wait_is_refused() {
        let pace = RequestPace::new(10);
        let start = Instant::now();
        let turns: Vec<Turn> = (0..50).map(|_| pace.turn(b"a", start)).collect();
        let waiting = turns.iter().filter(|t| matches!(t, Turn::After(_))).count();
        let refused = turns
            .iter()
            .filter(|t| matches!(t, Turn::Refused { .. }))
            .count();
        assert_eq!(waiting, 20);
        assert_eq!(refused, 10);
    }

    #[test]
    fn the_bucket_refills_at_the_rate() {
        let pace = RequestPace::new(10);
        let start = Instant::now();
        for _ in 0..20 {
            pace.turn(b"a", start);
        }
        let later = start + Duration::from_millis(500);
        let now: usize = (0..10)
            .filter(|_| pace.turn(b"a", later) == Turn::Now)
            .count();
        assert_eq!(now, 5);
    }

    #[test]
    fn a_charge_costs_turns_but_never_more_than_the_longest_wait() {
        let pace = RequestPace::new(10);
        let start = Instant::now();
        assert_eq!(pace.turn(b"a", start), Turn::Now);
        pace.charge(b"a", 10.0, start);
        let now: usize = (0..20)
            .filter(|_| pace.turn(b"a", start) == Turn::Now)
            .count();
        assert_eq!(now, 9);
        pace.charge(b"a", 1_000.0, start);
        let later = start + MAX_WAIT;
        assert_eq!(
            pace.turn(b"a", later),
            Turn::After(Duration::from_millis(100))
        );
    }

    #[test]
    fn off_never_waits() {
        let pace = RequestPace::off();
        let start = Instant::now();
        assert!((0..10_000).all(|_| pace.turn(b"a", start) == Turn::Now));
    }
}
