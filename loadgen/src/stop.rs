//! When a load run stops sending: after a number of measured requests or after a time; the
//! same for stdio processes and HTTP connections.

use std::time::Duration;

use crate::scenario::Load;

/// When a run stops sending.
#[derive(Debug, Clone, Copy)]
pub enum Stop {
    /// After this many measured requests (plus warmup), split over processes or connections.
    Count(u64),
    /// After this long (measured from the end of warmup).
    Duration(Duration),
}

impl Stop {
    /// A scenario's stop: its duration when it gives one, else its request count.
    pub fn of(load: &Load) -> Stop {
        match load.duration_ms {
            Some(ms) => Stop::Duration(Duration::from_millis(ms)),
            None => Stop::Count(load.requests.unwrap_or(0)),
        }
    }
}
