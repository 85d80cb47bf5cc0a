//! How many things each key has in progress (a principal's requests, an address's
//! connections), each key capped, so that one caller cannot take a whole shared pool.
//!
//! The map holds only keys with something in progress: a key is removed when its count drops
//! to zero, so the map is bounded by the pool it shares out.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};

/// Counts per key, each at most `max` (0: no cap, and nothing is counted).
pub(crate) struct Tally<K> {
    max: usize,
    counts: Mutex<HashMap<K, usize>>,
}

/// One thing counted against its key until dropped.
pub(crate) struct TallyGuard<K: Eq + Hash> {
    tally: Arc<Tally<K>>,
    key: K,
}

impl<K: Eq + Hash + Clone> Tally<K> {
    pub(crate) fn new(max: usize) -> Tally<K> {
        Tally {
            max,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// The cap per key (0: none).
    pub(crate) fn max(&self) -> usize {
        self.max
    }

    fn counts(&self) -> MutexGuard<'_, HashMap<K, usize>> {
        // Every update is one statement: the map is consistent even if a holder panicked.
        self.counts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Counts one more for `key`; `None` when `key` already has `max` in progress.
    pub(crate) fn enter(self: &Arc<Self>, key: K) -> Option<TallyGuard<K>> {
        if self.max > 0 {
            let mut counts = self.counts();
            let count = counts.entry(key.clone()).or_insert(0);
            if *count >= self.max {
                return None;
            }
            *count += 1;
        }
        Some(TallyGuard {
            tally: Arc::clone(self),
            key,
        })
    }

    /// Keys with something in progress (tests).
    #[cfg(test)]
    pub(crate) fn tracked(&self) -> usize {
        self.counts().len()
    }
}

impl<K: Eq + Hash> Drop for TallyGuard<K> {
    fn drop(&mut self) {
        if self.tally.max == 0 {
            return;
        }
        let mut counts = self.tally.counts.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = counts.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_is_capped_on_its_own() {
        let tally = Arc::new(Tally::new(2));
        let a1 = tally.enter("a").unwrap();
        let _a2 = tally.enter("a").unwrap();
        assert!(tally.enter("a").is_none(), "a third for a");
        let _b1 = tally.enter("b").expect("b has its own cap");
        drop(a1);
        let _a3 = tally.enter("a").expect("a got a place back");
    }

    #[test]
    fn keys_with_nothing_in_progress_are_forgotten() {
        let tally = Arc::new(Tally::new(1));
        for i in 0..100 {
            drop(tally.enter(i).unwrap());
        }
        assert_eq!(tally.tracked(), 0);
    }

    #[test]
    fn zero_means_no_cap_and_nothing_is_kept() {
        let tally = Arc::new(Tally::new(0));
        let guards: Vec<_> = (0..100).map(|_| tally.enter("a").unwrap()).collect();
        assert_eq!(tally.tracked(), 0);
        drop(guards);
    }
}
