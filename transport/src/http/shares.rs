//! Each principal's share of the concurrency slots.
//!
//! `--max-concurrent` is one pool for everyone: without a share, one key sending requests as
//! fast as it can (or holding slow uploads open) takes every slot and every other caller gets
//! 503. With a share, a principal at its share gets 429 while the others still find slots.
//! The map holds only principals with a request in flight, so it is bounded by the slots.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Requests in flight per principal, each principal capped at `max`.
pub(crate) struct InFlightShares {
    max: usize,
    counts: Mutex<HashMap<String, usize>>,
}

/// One request counted against its principal's share until dropped.
pub(crate) struct ShareGuard {
    shares: Arc<InFlightShares>,
    principal: String,
}

impl InFlightShares {
    pub(crate) fn new(max: usize) -> InFlightShares {
        InFlightShares {
            max: max.max(1),
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// The share each principal gets.
    pub(crate) fn max(&self) -> usize {
        self.max
    }

    fn counts(&self) -> MutexGuard<'_, HashMap<String, usize>> {
        // Every update is one statement: the map is consistent even if a holder panicked.
        self.counts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts a request of `principal`; `None` when it already has its share in flight.
    pub(crate) fn enter(self: &Arc<Self>, principal: &str) -> Option<ShareGuard> {
        let mut counts = self.counts();
        let count = counts.entry(principal.to_string()).or_insert(0);
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(ShareGuard {
            shares: Arc::clone(self),
            principal: principal.to_string(),
        })
    }

    /// Principals with a request in flight (tests).
    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.counts().len()
    }
}

impl Drop for ShareGuard {
    fn drop(&mut self) {
        let mut counts = self.shares.counts();
        if let Some(count) = counts.get_mut(&self.principal) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(&self.principal);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_principal_is_capped_on_its_own() {
        let shares = Arc::new(InFlightShares::new(2));
        let a1 = shares.enter("a").unwrap();
        let _a2 = shares.enter("a").unwrap();
        assert!(shares.enter("a").is_none(), "a third request of a");
        let _b1 = shares.enter("b").expect("b has its own share");
        drop(a1);
        let _a3 = shares.enter("a").expect("a got a place back");
    }

    #[test]
    fn idle_principals_are_forgotten() {
        let shares = Arc::new(InFlightShares::new(1));
        for i in 0..100 {
            drop(shares.enter(&format!("p{i}")).unwrap());
        }
        assert_eq!(shares.tracked(), 0);
    }
}
