//! The one error type of the domain service. Every message says what would be valid, so a
//! front end (an MCP tool result, a web page) can show it as it is.

use csf_store::StoreError;
use thiserror::Error;

/// Why a request could not be served.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// An id that is not an active CSF 2.0 element of the expected level.
    #[error("unknown {kind} id '{input}'{}", suggest(.suggestions))]
    UnknownId {
        /// "function", "subcategory", "plan item", …
        kind: &'static str,
        /// The id as given.
        input: String,
        /// Close valid ids.
        suggestions: Vec<String>,
    },
    /// A CSF id refused by the catalog's typed resolution (unknown, withdrawn, or of another
    /// level), with the ids to use instead.
    #[error(transparent)]
    Id(#[from] csf_catalog::IdError),
    /// A parameter outside its documented range.
    #[error("invalid {field}: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        field: &'static str,
        /// What is wrong and what is allowed.
        reason: String,
    },
    /// A report or export needs a section that was not supplied.
    #[error("the {what} needs {needs}")]
    MissingInput {
        /// What was asked for.
        what: String,
        /// What it needs.
        needs: String,
    },
    /// A value the caller gave is not acceptable; the message names it and what is valid.
    #[error("{0}")]
    Invalid(String),
    /// A stored record (organization, profile, plan, …) or a catalog id that names nothing;
    /// the message carries the nearest valid ones where there are any.
    #[error("{0}")]
    NotFound(String),
    /// Someone else changed the record first (optimistic checks), or it exists already.
    #[error("{0}")]
    Conflict(String),
    /// The store failed; `transient` says whether retrying shortly may succeed.
    #[error("{message}")]
    Unavailable {
        /// What failed, for the caller.
        message: String,
        /// Retrying shortly may work (lock timeouts, a dropped connection).
        transient: bool,
    },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", s.join(", "))
    }
}

impl Error {
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidParameter {
            field,
            reason: reason.into(),
        }
    }

    /// Whether the caller can fix the request (as opposed to a failure on the server's side).
    pub fn is_caller_error(&self) -> bool {
        !matches!(self, Error::Unavailable { .. })
    }
}

/// Errors the caller can act on (not found, conflict, invalid value) keep the store's
/// message. A backend failure becomes a generic message that says whether a retry can help;
/// its details (a database path with a tenant's name, a PostgreSQL login failure naming the
/// user) go to the server log only.
impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => Error::NotFound(e.to_string()),
            StoreError::Conflict { .. } => Error::Conflict(e.to_string()),
            StoreError::Invalid { .. } => Error::Invalid(e.to_string()),
            StoreError::Backend { transient, .. } => {
                tracing::error!(error = %e, "store operation failed");
                Error::Unavailable {
                    message: if transient {
                        "the database is busy or unreachable; this is temporary, retry shortly"
                            .into()
                    } else {
                        "the server's database failed; the details are in the server log".into()
                    },
                    transient,
                }
            }
        }
    }
}

impl From<csf_catalog::LookupError> for Error {
    fn from(e: csf_catalog::LookupError) -> Self {
        Error::NotFound(e.to_string())
    }
}

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Refuses an over-long string argument before any work is done on it.
pub fn check_len(field: &str, value: &str, max: usize) -> Result<()> {
    let n = value.chars().count();
    if n > max {
        return Err(Error::Invalid(format!(
            "`{field}` is {n} characters long; at most {max} are accepted"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_details_stay_in_the_log() {
        let secret = StoreError::Backend {
            message: "cannot open SQLite database /srv/tenant-acme/csf.db: unable to open".into(),
            transient: false,
        };
        let shown = Error::from(secret).to_string();
        assert!(
            !shown.contains("acme") && !shown.contains("/srv"),
            "{shown}"
        );
        let busy = StoreError::Backend {
            message: "password authentication failed for user \"csf_acme\"".into(),
            transient: true,
        };
        let shown = Error::from(busy).to_string();
        assert!(
            shown.contains("retry") && !shown.contains("csf_acme"),
            "{shown}"
        );
    }

    #[test]
    fn errors_the_caller_can_fix_keep_their_message() {
        let invalid = StoreError::invalid("entries[3].notes", "over 4000 characters");
        let text = invalid.to_string();
        assert_eq!(Error::from(invalid).to_string(), text);
        let missing = StoreError::NotFound {
            kind: "profile",
            id: "p-1".into(),
        };
        let text = missing.to_string();
        assert_eq!(Error::from(missing).to_string(), text);
    }
}
