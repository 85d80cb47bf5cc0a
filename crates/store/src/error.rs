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
    /// An optimistic check (`expected_version`, `expected_revision`) failed: someone else
    /// wrote first; or a plan id given to `create_plan` is taken (`expected` 0).
    #[error("{}", conflict_message(kind, id, *expected, *actual))]
    Conflict {
        /// What was written: "assessment entry", "plan".
        kind: &'static str,
        /// Which record (`<profile id>/<subcategory id>`, the plan id).
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

/// Plans speak of revisions (and a taken id); entries of versions.
fn conflict_message(kind: &str, id: &str, expected: i64, actual: i64) -> String {
    match (kind, expected) {
        ("plan", 0) => format!(
            "plan '{id}' already exists (revision {actual}): choose another id, or update it \
             with expected_revision {actual}"
        ),
        ("plan", _) => format!(
            "plan '{id}' is at revision {actual}, not the expected revision {expected}: read it \
             again, then update with expected_revision {actual}"
        ),
        _ => format!(
            "{kind} '{id}' is at version {actual} (0 = does not exist), not the expected version \
             {expected}: read it again, then retry with expected_version {actual} or without it"
        ),
    }
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
