//! Sign-in throttling: after a few failures an account or a client address is slowed down,
//! then refused for a while. Pure: the caller supplies the recent failures and the time.

use chrono::{DateTime, Duration, Utc};

/// How far back failures count, and how long a lock lasts after the last failure.
pub const WINDOW_MINUTES: i64 = 15;
/// Failures on one account before it is locked.
pub const ACCOUNT_LIMIT: usize = 5;
/// Failures from one address, over any accounts, before it is locked.
pub const ADDRESS_LIMIT: usize = 20;
/// Failures after which each further attempt waits before it is answered.
const SLOW_AFTER: usize = 2;
const MAX_DELAY_SECONDS: u64 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Check the password, answering a failure after `delay_seconds`.
    Allow { delay_seconds: u64 },
    /// Refuse without checking the password, until `until`.
    Locked { until: DateTime<Utc> },
}

/// Decides from the failures of the last window (any order) for the account and the address.
pub fn verdict(
    account_failures: &[DateTime<Utc>],
    address_failures: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> Verdict {
    let window_start = now - Duration::minutes(WINDOW_MINUTES);
    let recent = |failures: &[DateTime<Utc>]| -> Vec<DateTime<Utc>> {
        failures
            .iter()
            .copied()
            .filter(|at| *at > window_start && *at <= now)
            .collect()
    };
    let account = recent(account_failures);
    let address = recent(address_failures);
    let lock_until = |failures: &[DateTime<Utc>], limit: usize| {
        (failures.len() >= limit)
            .then(|| failures.iter().max().copied())
            .flatten()
            .map(|last| last + Duration::minutes(WINDOW_MINUTES))
    };
    let locks = [
        lock_until(&account, ACCOUNT_LIMIT),
        lock_until(&address, ADDRESS_LIMIT),
    ];
    if let Some(until) = locks.into_iter().flatten().max() {
        return Verdict::Locked { until };
    }
    let failures = account.len().max(address.len() / 4);
    let delay_seconds = (failures.saturating_sub(SLOW_AFTER) as u64).min(MAX_DELAY_SECONDS);
    Verdict::Allow { delay_seconds }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn minutes_ago(now: DateTime<Utc>, minutes: &[i64]) -> Vec<DateTime<Utc>> {
        minutes
            .iter()
            .map(|m| now - Duration::minutes(*m))
            .collect()
    }

    #[test]
    fn a_few_failures_are_free_then_slowed() {
        let now = Utc::now();
        assert_eq!(verdict(&[], &[], now), Verdict::Allow { delay_seconds: 0 });
        let two = minutes_ago(now, &[1, 2]);
        assert_eq!(
            verdict(&two, &two, now),
            Verdict::Allow { delay_seconds: 0 }
        );
        let four = minutes_ago(now, &[1, 2, 3, 4]);
        assert_eq!(
            verdict(&four, &four, now),
            Verdict::Allow { delay_seconds: 2 }
        );
    }

    #[test]
    fn the_limit_locks_until_a_window_after_the_last_failure() {
        let now = Utc::now();
        let five = minutes_ago(now, &[1, 2, 3, 4, 5]);
        assert_eq!(
            verdict(&five, &[], now),
            Verdict::Locked {
                until: now - Duration::minutes(1) + Duration::minutes(WINDOW_MINUTES)
            }
        );
    }

    #[test]
    fn failures_outside_the_window_are_forgotten() {
        let now = Utc::now();
        let old = minutes_ago(now, &[16, 17, 18, 19, 20, 21]);
        assert_eq!(
            verdict(&old, &old, now),
            Verdict::Allow { delay_seconds: 0 }
        );
    }

    #[test]
    fn one_address_trying_many_accounts_is_locked() {
        let now = Utc::now();
        let many: Vec<i64> = (0..20).map(|i| i % 10).collect();
        let from_address = minutes_ago(now, &many);
        assert!(matches!(
            verdict(&[], &from_address, now),
            Verdict::Locked { .. }
        ));
    }

    proptest! {
        #[test]
        fn delay_is_bounded_and_grows_with_failures(n in 0usize..5, m in 0usize..5) {
            let now = Utc::now();
            let failures = |k: usize| -> Vec<DateTime<Utc>> {
                (0..k).map(|i| now - Duration::seconds(i as i64 + 1)).collect()
            };
            let delay = |k| match verdict(&failures(k), &[], now) {
                Verdict::Allow { delay_seconds } => delay_seconds,
                Verdict::Locked { .. } => u64::MAX,
            };
            prop_assert!(delay(n) <= MAX_DELAY_SECONDS);
            if n <= m { prop_assert!(delay(n) <= delay(m)); }
        }
    }
}
