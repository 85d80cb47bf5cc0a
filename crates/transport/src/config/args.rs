//! Raw transport flags and `CSF_*` variables, as clap parses them (checked in `from_args`).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::defaults::{
    DEFAULT_HEADER_TIMEOUT_SECS, DEFAULT_HTTP_ADDR, DEFAULT_JWKS_MAX_STALE_SECS,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_SESSIONS,
};

/// Authentication scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum AuthMode {
    /// No authentication; allowed only when listening on a loopback address.
    #[default]
    None,
    /// Static keys stored as SHA-256 hashes (`--api-key`).
    ApiKey,
    /// OAuth 2.1 resource server: JWT bearer tokens checked against a JWKS.
    Oauth,
}

/// Log line format on stderr (for binaries that use [`crate::logging::init`]; the product's
/// `--log-format` flag lives in its own CLI, so [`HttpArgs`] does not define one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Transport flags, meant to be `#[command(flatten)]`ed into the server's `serve` command.
#[derive(Debug, Clone, Args)]
pub struct HttpArgs {
    /// Serve MCP over Streamable HTTP at ADDR (default 127.0.0.1:8080) instead of stdio.
    #[arg(long = "http", env = "CSF_HTTP_ADDR", value_name = "ADDR", num_args = 0..=1,
          default_missing_value = DEFAULT_HTTP_ADDR)]
    pub http: Option<String>,

    /// Authentication: none (loopback only), api-key or oauth.
    #[arg(long, env = "CSF_AUTH", value_enum, default_value_t = AuthMode::None)]
    pub auth: AuthMode,

    /// API key as NAME:SCOPES:SHA256HEX (scopes: read, write, admin joined by '+'); repeatable,
    /// comma-separated in CSF_API_KEYS. Hash with `nist-csf-mcp hash-key`.
    #[arg(
        long = "api-key",
        env = "CSF_API_KEYS",
        value_name = "NAME:SCOPES:SHA256",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub api_keys: Vec<String>,

    /// OAuth: expected token issuer (`iss`), also advertised as the authorization server.
    #[arg(long, env = "CSF_OAUTH_ISSUER", value_name = "URL")]
    pub oauth_issuer: Option<String>,

    /// OAuth: this server's public MCP URL (RFC 9728 resource), e.g. https://csf.example.com/mcp.
    #[arg(long, env = "CSF_OAUTH_RESOURCE", value_name = "URL")]
    pub oauth_resource: Option<String>,

    /// OAuth: expected audience (`aud`); defaults to --oauth-resource.
    #[arg(long, env = "CSF_OAUTH_AUDIENCE", value_name = "AUD")]
    pub oauth_audience: Option<String>,

    /// OAuth: JWKS file with the issuer's public keys (re-read every --oauth-jwks-refresh).
    #[arg(long, env = "CSF_OAUTH_JWKS_FILE", value_name = "PATH")]
    pub oauth_jwks_file: Option<PathBuf>,

    /// OAuth: seconds between JWKS file reloads (0 = never).
    #[arg(
        long,
        env = "CSF_OAUTH_JWKS_REFRESH",
        value_name = "SECS",
        default_value_t = 300
    )]
    pub oauth_jwks_refresh: u64,

    /// OAuth: seconds the keys in force are kept while the JWKS file cannot be read (missing,
    /// unreadable, not a JWKS document); past it every token is refused until the file is read.
    /// A file that is a JWKS with no usable key replaces the keys at once (trust nothing).
    #[arg(
        long,
        env = "CSF_OAUTH_JWKS_MAX_STALE",
        value_name = "SECS",
        default_value_t = DEFAULT_JWKS_MAX_STALE_SECS
    )]
    pub oauth_jwks_max_stale: u64,

    /// OAuth: prefix of scope names in tokens (scopes are PREFIXread, PREFIXwrite, PREFIXadmin).
    #[arg(
        long,
        env = "CSF_OAUTH_SCOPE_PREFIX",
        value_name = "PREFIX",
        default_value = "csf:"
    )]
    pub oauth_scope_prefix: String,

    /// Accepted Host header values (host or host:port, comma-separated; '*' disables the check).
    /// Default: the bind address, localhost, 127.0.0.1 and [::1] on the bind port.
    #[arg(
        long,
        env = "CSF_ALLOWED_HOSTS",
        value_name = "HOSTS",
        value_delimiter = ','
    )]
    pub allowed_hosts: Vec<String>,

    /// Accepted Origin values (scheme://host[:port|:*], comma-separated; '*' disables the check).
    /// Default: http and https on every allowed host, any port. Requests without Origin pass.
    #[arg(
        long,
        env = "CSF_ALLOWED_ORIGINS",
        value_name = "ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,

    /// Largest accepted request body in bytes (larger: 413).
    #[arg(long, env = "CSF_MAX_BODY", value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub max_body: usize,

    /// Seconds a request may take before it is answered with 504.
    #[arg(long, env = "CSF_TIMEOUT", value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,

    /// Requests handled at once (HTTP: more get 503 + Retry-After; stdio: reading pauses).
    #[arg(
        long,
        env = "CSF_MAX_CONCURRENT",
        value_name = "N",
        default_value_t = 128
    )]
    pub max_concurrent: usize,

    /// Requests one principal may have in flight, its share of --max-concurrent (over: 429).
    /// Default: a quarter of --max-concurrent (at least 1). Not applied with --auth none.
    #[arg(long, env = "CSF_MAX_CONCURRENT_PER_PRINCIPAL", value_name = "N")]
    pub max_concurrent_per_principal: Option<usize>,

    /// Per-principal rate limit: N or N/s per second, N/m per minute (0 = off; over: 429).
    #[arg(long, env = "CSF_RATE_LIMIT", value_name = "RATE", default_value = "0")]
    pub rate_limit: String,

    /// Stateful sessions (Mcp-Session-Id, SSE streams) instead of stateless JSON.
    #[arg(long, env = "CSF_SESSIONS")]
    pub sessions: bool,

    /// Seconds to drain in-flight requests after SIGTERM/SIGINT before exiting anyway.
    #[arg(
        long,
        env = "CSF_SHUTDOWN_GRACE",
        value_name = "SECS",
        default_value_t = 10
    )]
    pub shutdown_grace: u64,

    /// Open client connections at most; at the cap new ones wait in the listen backlog until
    /// one closes. Lowered automatically to the open-files limit minus 64.
    #[arg(
        long,
        env = "CSF_MAX_CONNECTIONS",
        value_name = "N",
        default_value_t = DEFAULT_MAX_CONNECTIONS
    )]
    pub max_connections: usize,

    /// Open connections from one client address at most (IPv6: one /64); more are closed on
    /// accept. Default: a quarter of --max-connections (at least 1); 0 = no per-address cap
    /// (behind a proxy every connection comes from the proxy's address).
    #[arg(long, env = "CSF_MAX_CONNECTIONS_PER_CLIENT", value_name = "N")]
    pub max_connections_per_client: Option<usize>,

    /// Seconds a client may take to send a request's headers (slow clients are disconnected);
    /// also how long a connection (HTTP/1.1 or HTTP/2) may stay open with no request in
    /// progress.
    #[arg(
        long,
        env = "CSF_HEADER_TIMEOUT",
        value_name = "SECS",
        default_value_t = DEFAULT_HEADER_TIMEOUT_SECS
    )]
    pub header_timeout: u64,

    /// With --sessions: live sessions at most; an initialize over it gets 503 + Retry-After.
    /// Sessions end with DELETE or after 5 minutes idle.
    #[arg(
        long,
        env = "CSF_MAX_SESSIONS",
        value_name = "N",
        default_value_t = DEFAULT_MAX_SESSIONS
    )]
    pub max_sessions: usize,

    /// With --sessions: live sessions one principal may hold (an initialize over it gets 429).
    /// Default: a quarter of --max-sessions (at least 1). Not applied with --auth none.
    #[arg(long, env = "CSF_MAX_SESSIONS_PER_PRINCIPAL", value_name = "N")]
    pub max_sessions_per_principal: Option<usize>,
}
