//! A keyed rate limit (the `governor` crate) as the services use it: a number of
//! requests per period for each key (a user, a username, an address), a burst, and the
//! seconds to wait when a key has used its allowance.
use std::hash::Hash;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Keys remembered before the ones no longer limited are forgotten.
const TRACKED_KEYS: usize = 10_000;

/// A wait as a learner reads it: "1 second", "12 seconds".
pub fn seconds(n: u64) -> String {
    if n == 1 {
        "1 second".to_string()
    } else {
        format!("{n} seconds")
    }
}

/// `count` requests per `period` for each key, `burst` of them at once.
pub struct KeyedLimit<K: Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
}

impl<K: Hash + Eq + Clone> KeyedLimit<K> {
    /// `count` and `burst` below 1 count as 1.
    pub fn new(count: u32, period: Duration, burst: u32) -> KeyedLimit<K> {
        let count = NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(period / count.get()).unwrap_or_else(|| Quota::per_second(count));
        KeyedLimit { limiter: RateLimiter::keyed(quota.allow_burst(burst)) }
    }

    /// Counts one request for `key`; refuses it with the whole seconds to wait (at least
    /// one) once the key has used its allowance.
    pub fn check(&self, key: &K) -> Result<(), u64> {
        if self.limiter.len() > TRACKED_KEYS {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()).as_secs().max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_of_one_second_is_singular() {
        assert_eq!(seconds(1), "1 second");
        assert_eq!(seconds(0), "0 seconds");
        assert_eq!(seconds(30), "30 seconds");
    }

    #[test]
    fn a_key_gets_its_burst_then_waits_and_other_keys_are_apart() {
        let limit = KeyedLimit::new(2, Duration::from_secs(60), 2);
        assert_eq!(limit.check(&"a"), Ok(()));
        assert_eq!(limit.check(&"a"), Ok(()));
        let wait = limit.check(&"a").expect_err("over the burst");
        assert!((1..=30).contains(&wait), "{wait}");
        assert_eq!(limit.check(&"b"), Ok(()), "another key has its own allowance");
    }
}
