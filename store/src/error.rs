//! The one error type of the store: what went wrong, and what would have been valid.

/// Result alias used by every store call.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Errors returned by [`crate::Store`] methods.
///
/// `NotFound`, `Conflict` and `Invalid` are the caller's to fix (the MCP layer turns them into tool
/// errors with the message as is); `Backend` is an operational fault.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No record of this kind has this id.
    #[error("{kind} '{id}' not found")]
    NotFound {
        /// What was looked up: "organization", "profile", "assessment entry".
        kind: &'static str,
        /// The id as given.
        id: String,
    },
    /// An optimistic check (`expected_version`) failed: someone else wrote first.
    #[error(
        "{kind} '{id}' is at version {actual} (0 = does not exist), not the expected version \
         {expected}: read it again, then retry with expected_version {actual} or without it"
    )]
    Conflict {
        /// What was written: "assessment entry".
        kind: &'static str,
        /// Which record (`<profile id>/<subcategory id>`).
        id: String,
        /// The version the caller expected.
        expected: i64,
        /// The version found in the store (0 when the record does not exist).
        actual: i64,
    },
    /// An input value is out of range or malformed; nothing was stored.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The offending field, e.g. `entries[3].notes`.
        field: String,
        /// What is wrong and what would be valid.
        reason: String,
    },
    /// The database failed (I/O, connection, lock timeout, corrupt file).
    #[error("storage backend error: {message}")]
    Backend {
        /// The backend's own message, with context.
        message: String,
        /// True when retrying the same call later may succeed (busy database, lost connection).
        transient: bool,
    },
}

impl StoreError {
    /// Shorthand for [`StoreError::Invalid`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        StoreError::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Shorthand for a non-transient [`StoreError::Backend`].
    pub(crate) fn backend(message: impl Into<String>) -> Self {
        StoreError::Backend {
            message: message.into(),
            transient: false,
        }
    }

    /// Prefixes `field` of an `Invalid` error (used to name the row of a batch).
    pub(crate) fn in_field(self, prefix: &str) -> Self {
        match self {
            StoreError::Invalid { field, reason } => StoreError::Invalid {
                field: format!("{prefix}.{field}"),
                reason,
            },
            other => other,
        }
    }
}
