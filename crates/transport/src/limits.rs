//! Per-principal rate limiting: one token bucket per caller name.
//!
//! Hand-rolled (about 50 lines) rather than `governor`: we need one keyed bucket map with a
//! size cap and a `Retry-After` figure, and `governor`'s keyed limiter brings `dashmap`,
//! `quanta` and friends for a lock we take once per request anyway.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config_error::ConfigError;

/// A refill rate and a burst size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Tokens added per second.
    pub per_second: f64,
    /// Bucket capacity (requests allowed back to back).
    pub burst: f64,
}

impl RateLimit {
    /// Parses `N`, `N/s` or `N/m`; `0` means no limit. The burst is one unit's worth (N).
    pub fn parse(text: &str) -> Result<Option<RateLimit>, ConfigError> {
        let bad = || ConfigError::Value {
            flag: "--rate-limit",
            reason: format!("{text:?} is not N, N/s or N/m"),
        };
        let text = text.trim();
        let (count, seconds) = match text.split_once('/') {
            None => (text, 1.0),
            Some((count, "s")) => (count, 1.0),
            Some((count, "m")) => (count, 60.0),
            Some(_) => return Err(bad()),
        };
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        if count == 0 {
            return Ok(None);
        }
        Ok(Some(RateLimit {
            per_second: f64::from(count) / seconds,
            burst: f64::from(count),
        }))
    }
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Buckets kept before idle (already full) ones are dropped.
const MAX_TRACKED: usize = 10_000;

/// Least time between two sweeps for idle buckets. When more than [`MAX_TRACKED`] keys were
/// all seen within a refill period (a client with many addresses), a sweep frees nothing, and
/// sweeping again for every new key would cost each request a pass over the whole map.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

struct Buckets {
    map: HashMap<String, Bucket>,
    swept: Option<Instant>,
    #[cfg(test)]
    sweeps: usize,
}

/// Keyed token buckets.
pub struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<Buckets>,
}

impl RateLimiter {
    /// A limiter with every bucket starting full.
    pub fn new(limit: RateLimit) -> RateLimiter {
        RateLimiter {
            limit,
            buckets: Mutex::new(Buckets {
                map: HashMap::new(),
                swept: None,
                #[cfg(test)]
                sweeps: 0,
            }),
        }
    }

    /// Takes a token for `key`, or says how long until one is available.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut buckets = match self.buckets.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let limit = self.limit;
        let due = buckets
            .swept
            .is_none_or(|at| now.saturating_duration_since(at) >= SWEEP_EVERY);
        if buckets.map.len() >= MAX_TRACKED && due && !buckets.map.contains_key(key) {
            // A bucket idle for a full refill period is full again: forgetting it changes nothing.
            let refill = Duration::from_secs_f64(limit.burst / limit.per_second);
            buckets
                .map
                .retain(|_, b| now.duration_since(b.updated) < refill);
            buckets.swept = Some(now);
            #[cfg(test)]
            {
                buckets.sweeps += 1;
            }
        }
        let bucket = buckets.map.entry(key.to_string()).or_insert(Bucket {
            tokens: limit.burst,
            updated: now,
        });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * limit.per_second).min(limit.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / limit.per_second,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rates() {
        assert_eq!(RateLimit::parse("0").unwrap(), None);
        assert_eq!(RateLimit::parse("5/s").unwrap().unwrap().per_second, 5.0);
        let per_minute = RateLimit::parse("120/m").unwrap().unwrap();
        assert_eq!((per_minute.per_second, per_minute.burst), (2.0, 120.0));
        assert!(RateLimit::parse("5/h").is_err());
        assert!(RateLimit::parse("-1").is_err());
    }

    #[test]
    fn many_recent_keys_are_swept_once_a_second_not_once_a_key() {
        let limiter = RateLimiter::new(RateLimit {
            per_second: 1.0 / 6.0,
            burst: 10.0,
        });
        let t0 = Instant::now();
        for i in 0..MAX_TRACKED + 1000 {
            assert!(limiter.check_at(&format!("k{i}"), t0).is_ok());
        }
        let sweeps = |l: &RateLimiter| l.buckets.lock().unwrap().sweeps;
        assert_eq!(
            sweeps(&limiter),
            1,
            "every new key past the cap swept the map"
        );
        let later = t0 + Duration::from_secs(61);
        assert!(limiter.check_at("new", later).is_ok());
        assert_eq!(sweeps(&limiter), 2);
        assert_eq!(
            limiter.buckets.lock().unwrap().map.len(),
            1,
            "buckets idle for a refill period are dropped"
        );
    }

    #[test]
    fn bucket_empties_then_refills() {
        let limiter = RateLimiter::new(RateLimit {
            per_second: 2.0,
            burst: 2.0,
        });
        let t0 = Instant::now();
        assert!(limiter.check_at("a", t0).is_ok());
        assert!(limiter.check_at("a", t0).is_ok());
        let wait = limiter.check_at("a", t0).unwrap_err();
        assert!(
            wait > Duration::from_millis(400) && wait <= Duration::from_millis(500),
            "{wait:?}"
        );
        assert!(
            limiter.check_at("b", t0).is_ok(),
            "buckets are per principal"
        );
        assert!(limiter
            .check_at("a", t0 + Duration::from_millis(600))
            .is_ok());
    }
}
