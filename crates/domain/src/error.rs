//! Errors the analysis functions return for input a caller can fix.

use thiserror::Error;

/// Why an analysis could not be computed. Every message says what would be valid.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum AnalysisError {
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
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", s.join(", "))
    }
}

impl AnalysisError {
    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        AnalysisError::InvalidParameter {
            field,
            reason: reason.into(),
        }
    }
}

/// Result alias for this crate.
pub type Result<T> = std::result::Result<T, AnalysisError>;
