//! Default values of the transport flags, shared by the flag definitions and [`super::HttpConfig::new`].

/// Default HTTP listen address when `--http` is given without a value.
pub const DEFAULT_HTTP_ADDR: &str = "127.0.0.1:8080";

/// Default for `--oauth-jwks-max-stale`: three reloads at the default refresh period.
pub const DEFAULT_JWKS_MAX_STALE_SECS: u64 = 900;

/// A quarter of `n`, at least 1: the default share of a cap that one principal or one client
/// address may take, so that a single caller never holds all of it.
pub fn quarter(n: usize) -> usize {
    (n / 4).max(1)
}

/// Default for `--max-sessions`.
pub const DEFAULT_MAX_SESSIONS: usize = 1000;

/// Default for `--max-connections`.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// Default for `--header-timeout`.
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 10;
