//! Tool failures a model can fix. They travel as `isError: true` results with a message that
//! says what would be valid; protocol faults stay JSON-RPC errors (see `server.rs`).

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ToolError {
    /// Arguments that do not fit the tool's input schema (wrong type, unknown field …).
    #[error("invalid arguments for `{tool}`: {message}")]
    InvalidArguments { tool: &'static str, message: String },
    /// What the domain service refused or failed to do; its message names what is valid.
    #[error(transparent)]
    Domain(#[from] csf_domain::Error),
    /// Something on our side failed; the message says what to try.
    #[error("{0}")]
    Internal(String),
}

impl From<csf_store::StoreError> for ToolError {
    fn from(e: csf_store::StoreError) -> Self {
        ToolError::Domain(e.into())
    }
}

/// Rejects an over-long string argument before any work is done on it.
pub fn check_len(field: &str, value: &str, max: usize) -> Result<(), ToolError> {
    Ok(csf_domain::check_len(field, value, max)?)
}
