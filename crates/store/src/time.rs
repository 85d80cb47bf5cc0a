//! Timestamps: UTC, microsecond precision (what PostgreSQL keeps), stored as integer
//! microseconds since the Unix epoch in both backends so comparisons (`as_of`) are exact and
//! identical everywhere.

use crate::error::StoreError;
use chrono::{DateTime, TimeZone, Utc};

/// A point in time, UTC, microsecond precision. Serialised as RFC 3339.
pub type Timestamp = DateTime<Utc>;

/// The current time, truncated to whole microseconds.
pub fn now() -> Timestamp {
    from_micros(Utc::now().timestamp_micros()).unwrap_or_else(|_| Utc::now())
}

pub(crate) fn to_micros(t: &Timestamp) -> i64 {
    t.timestamp_micros()
}

pub(crate) fn from_micros(us: i64) -> Result<Timestamp, StoreError> {
    Utc.timestamp_micros(us)
        .single()
        .ok_or_else(|| StoreError::backend(format!("stored timestamp {us} is out of range")))
}
