//! Configuration: command-line flags and `CSF_*` variables, validated into [`HttpConfig`].
//!
//! Two stages, as in ripgrep: [`HttpArgs`] holds raw values (clap, flattened into the
//! server's `serve` command), [`HttpArgs::to_config`] checks them and refuses insecure
//! combinations (no authentication on a non-loopback address, an empty key list, OAuth
//! without issuer or keys). Expensive objects (JWKS keys) are built once, in [`crate::http::app`].

mod args;
mod defaults;
mod from_args;
mod secure;
mod unset;
mod validated;

#[cfg(test)]
mod tests;

pub use crate::config_error::ConfigError;
pub use args::{AuthMode, HttpArgs, LogFormat};
pub use defaults::{
    quarter, DEFAULT_HEADER_TIMEOUT_SECS, DEFAULT_HTTP_ADDR, DEFAULT_JWKS_MAX_STALE_SECS,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_SESSIONS,
};
pub use validated::{AuthConfig, ConnectionLimits, HttpConfig};
