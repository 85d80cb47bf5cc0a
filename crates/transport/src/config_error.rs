//! The error of a refused configuration value: its own module, so the parsers of each value
//! (hosts, keys, OAuth, limits) and the configuration that combines them do not depend on
//! each other.

/// A configuration value was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The listen address does not parse or resolve.
    #[error("invalid --http address {0:?}: expected HOST:PORT, e.g. 127.0.0.1:8080")]
    Address(String),
    /// Refused because it would expose an unauthenticated server.
    #[error("refusing to start: {0}")]
    Insecure(String),
    /// An `--api-key` entry is malformed.
    #[error("invalid API key configuration: {0}")]
    ApiKey(String),
    /// OAuth settings are missing or wrong.
    #[error("invalid OAuth configuration: {0}")]
    OAuth(String),
    /// Any other flag value.
    #[error("invalid value for {flag}: {reason}")]
    Value {
        /// The flag, e.g. `--rate-limit`.
        flag: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}
