//! Configuration: command-line flags and `CSF_*` variables, validated into [`HttpConfig`].
//!
//! Two stages, as in ripgrep: [`HttpArgs`] holds raw values (clap, flattened into the
//! server's `serve` command), [`HttpArgs::to_config`] checks them and refuses insecure
//! combinations (no authentication on a non-loopback address, an empty key list, OAuth
//! without issuer or keys). Expensive objects (JWKS keys) are built once, in [`crate::http::app`].

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::auth::api_key::ApiKey;
use crate::auth::oauth::OAuthConfig;
use crate::hosts::{HostAllowlist, OriginAllowlist};
use crate::limits::RateLimit;

pub use crate::config_error::ConfigError;

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

/// Default HTTP listen address when `--http` is given without a value.
pub const DEFAULT_HTTP_ADDR: &str = "127.0.0.1:8080";

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

/// Limits on client connections (as opposed to requests).
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Open client sockets at most.
    pub max_connections: usize,
    /// Open sockets from one client address at most (IPv6: one /64); `Some(0)`: no such cap;
    /// `None`: a quarter of `max_connections` once that is fitted to the open-files limit.
    pub max_per_client: Option<usize>,
    /// Deadline for a request's head, and how long a connection may stay open with no request
    /// in progress.
    pub header_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> ConnectionLimits {
        ConnectionLimits {
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_per_client: None,
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_SECS),
        }
    }
}

/// Validated authentication settings.
#[derive(Debug, Clone)]
pub enum AuthConfig {
    /// No authentication (loopback only).
    None,
    /// Static hashed keys.
    ApiKeys(Vec<ApiKey>),
    /// OAuth resource server.
    OAuth(OAuthConfig),
}

/// Everything the HTTP transport needs, validated.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Listen address.
    pub bind: SocketAddr,
    /// Authentication scheme.
    pub auth: AuthConfig,
    /// Accepted `Host` values.
    pub allowed_hosts: HostAllowlist,
    /// Accepted `Origin` values.
    pub allowed_origins: OriginAllowlist,
    /// Largest accepted request body.
    pub max_body: usize,
    /// Per-request deadline.
    pub timeout: Duration,
    /// Requests handled at once; the rest are shed with 503.
    pub max_concurrent: usize,
    /// Per-principal rate limit.
    pub rate_limit: Option<RateLimit>,
    /// Stateful sessions with SSE instead of stateless JSON.
    pub sessions: bool,
    /// Drain deadline on shutdown.
    pub shutdown_grace: Duration,
    /// Connection cap and header/idle timeout.
    pub connections: ConnectionLimits,
    /// Live sessions at most (`sessions` mode).
    pub max_sessions: usize,
    /// Live sessions one principal may hold (`sessions` mode; not applied without auth).
    pub max_sessions_per_principal: usize,
    /// Requests one principal may have in flight (not applied without auth).
    pub max_concurrent_per_principal: usize,
}

impl HttpConfig {
    /// Defaults for `bind` (no auth, default allowlists and limits); used by tests and examples.
    pub fn new(bind: SocketAddr) -> HttpConfig {
        HttpConfig {
            bind,
            auth: AuthConfig::None,
            allowed_hosts: HostAllowlist::defaults_for(bind),
            allowed_origins: OriginAllowlist::derived(&HostAllowlist::defaults_for(bind)),
            max_body: 1024 * 1024,
            timeout: Duration::from_secs(30),
            max_concurrent: 128,
            rate_limit: None,
            sessions: false,
            shutdown_grace: Duration::from_secs(10),
            connections: ConnectionLimits::default(),
            max_sessions: DEFAULT_MAX_SESSIONS,
            max_sessions_per_principal: quarter(DEFAULT_MAX_SESSIONS),
            max_concurrent_per_principal: quarter(128),
        }
    }

    /// Refuses combinations that would expose the server (see [`ConfigError::Insecure`]).
    pub fn check_secure(&self) -> Result<(), ConfigError> {
        if matches!(self.auth, AuthConfig::None) && !self.bind.ip().is_loopback() {
            return Err(ConfigError::Insecure(format!(
                "--auth none is allowed only on a loopback address, not {}; use --auth api-key or --auth oauth",
                self.bind
            )));
        }
        // Without credentials the Host and Origin checks are all that keep a web page (DNS
        // rebinding, or a cross-site request) from calling every tool through a browser.
        if matches!(self.auth, AuthConfig::None) && self.allowed_hosts.is_any() {
            return Err(ConfigError::Insecure(
                "--auth none with --allowed-hosts '*' would let any web page reach the server \
                 through a visitor's browser (DNS rebinding); list the host names clients use, \
                 or use --auth api-key or --auth oauth"
                    .into(),
            ));
        }
        if matches!(self.auth, AuthConfig::None) && self.allowed_origins.is_any() {
            return Err(ConfigError::Insecure(
                "--auth none with --allowed-origins '*' would let any web page call the server \
                 from a visitor's browser; list the origins of the web apps that may call it, \
                 or use --auth api-key or --auth oauth"
                    .into(),
            ));
        }
        if matches!(&self.auth, AuthConfig::ApiKeys(keys) if keys.is_empty()) {
            return Err(ConfigError::ApiKey(
                "--auth api-key needs at least one --api-key NAME:SCOPES:SHA256HEX".into(),
            ));
        }
        if self.max_concurrent == 0 {
            return Err(ConfigError::Value {
                flag: "--max-concurrent",
                reason: "must be at least 1".into(),
            });
        }
        if self.connections.max_connections == 0 {
            return Err(ConfigError::Value {
                flag: "--max-connections",
                reason: "must be at least 1".into(),
            });
        }
        for (flag, value) in [
            ("--max-sessions", self.max_sessions),
            (
                "--max-sessions-per-principal",
                self.max_sessions_per_principal,
            ),
            (
                "--max-concurrent-per-principal",
                self.max_concurrent_per_principal,
            ),
        ] {
            if value == 0 {
                return Err(ConfigError::Value {
                    flag,
                    reason: "must be at least 1".into(),
                });
            }
        }
        if self.max_body == 0 {
            return Err(ConfigError::Value {
                flag: "--max-body",
                reason: "must be at least 1".into(),
            });
        }
        Ok(())
    }
}

fn resolve_bind(addr: &str) -> Result<SocketAddr, ConfigError> {
    if let Ok(parsed) = addr.parse::<SocketAddr>() {
        return Ok(parsed);
    }
    addr.to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .ok_or_else(|| ConfigError::Address(addr.to_string()))
}

impl HttpArgs {
    /// `None` when HTTP was not asked for (serve stdio); otherwise the validated config.
    pub fn to_config(&self) -> Result<Option<HttpConfig>, ConfigError> {
        let Some(addr) = self.http.as_deref() else {
            return Ok(None);
        };
        let bind = resolve_bind(addr.trim())?;
        let mut config = HttpConfig::new(bind);
        config.auth = match self.auth {
            AuthMode::None => AuthConfig::None,
            AuthMode::ApiKey => AuthConfig::ApiKeys(
                self.api_keys
                    .iter()
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| ApiKey::parse(s))
                    .collect::<Result<_, _>>()?,
            ),
            AuthMode::Oauth => AuthConfig::OAuth(self.oauth_config()?),
        };
        if !self.allowed_hosts.is_empty() {
            config.allowed_hosts = HostAllowlist::parse(&self.allowed_hosts)?;
        }
        config.allowed_origins = if self.allowed_origins.is_empty() {
            OriginAllowlist::derived(&config.allowed_hosts)
        } else {
            OriginAllowlist::parse(&self.allowed_origins)?
        };
        config.max_body = self.max_body;
        config.timeout = Duration::from_secs(self.timeout.max(1));
        config.max_concurrent = self.max_concurrent;
        config.max_concurrent_per_principal = self
            .max_concurrent_per_principal
            .unwrap_or_else(|| quarter(self.max_concurrent));
        config.rate_limit = RateLimit::parse(&self.rate_limit)?;
        config.sessions = self.sessions;
        config.shutdown_grace = Duration::from_secs(self.shutdown_grace);
        config.connections = ConnectionLimits {
            max_connections: self.max_connections,
            max_per_client: self.max_connections_per_client,
            header_timeout: Duration::from_secs(self.header_timeout.max(1)),
        };
        config.max_sessions = self.max_sessions;
        config.max_sessions_per_principal = self
            .max_sessions_per_principal
            .unwrap_or_else(|| quarter(self.max_sessions));
        config.check_secure()?;
        if !config.bind.ip().is_loopback() && self.allowed_hosts.is_empty() {
            tracing::warn!(
                bind = %config.bind,
                "no --allowed-hosts given: only loopback Host headers are accepted; \
                 set --allowed-hosts to the name clients use"
            );
        }
        Ok(Some(config))
    }

    fn oauth_config(&self) -> Result<OAuthConfig, ConfigError> {
        let missing = |flag: &str| ConfigError::OAuth(format!("--auth oauth needs {flag}"));
        let issuer = self
            .oauth_issuer
            .clone()
            .ok_or_else(|| missing("--oauth-issuer"))?;
        let resource = self
            .oauth_resource
            .clone()
            .ok_or_else(|| missing("--oauth-resource"))?;
        let jwks_file = self
            .oauth_jwks_file
            .clone()
            .ok_or_else(|| missing("--oauth-jwks-file"))?;
        Ok(OAuthConfig {
            issuer,
            audience: self
                .oauth_audience
                .clone()
                .unwrap_or_else(|| resource.clone()),
            resource,
            jwks_file,
            jwks_refresh: Duration::from_secs(self.oauth_jwks_refresh),
            jwks_max_stale: Duration::from_secs(self.oauth_jwks_max_stale),
            scope_prefix: self.oauth_scope_prefix.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        http: HttpArgs,
    }

    fn parse(args: &[&str]) -> Result<Option<HttpConfig>, ConfigError> {
        let mut argv = vec!["test"];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv)
            .expect("flags parse")
            .http
            .to_config()
    }

    #[test]
    fn no_http_flag_means_stdio() {
        assert!(parse(&[]).unwrap().is_none());
    }

    #[test]
    fn bare_http_flag_uses_the_loopback_default() {
        let config = parse(&["--http"]).unwrap().unwrap();
        assert_eq!(config.bind.to_string(), DEFAULT_HTTP_ADDR);
        assert!(!config.sessions);
    }

    #[test]
    fn refuses_unauthenticated_public_bind() {
        let err = parse(&["--http", "0.0.0.0:8080"]).unwrap_err();
        assert!(matches!(err, ConfigError::Insecure(_)), "{err}");
    }

    #[test]
    fn refuses_any_host_or_origin_without_auth() {
        for flags in [
            ["--allowed-hosts", "*"],
            ["--allowed-hosts", "localhost,*"],
            ["--allowed-origins", "*"],
        ] {
            let mut args = vec!["--http"];
            args.extend(flags);
            let err = parse(&args).unwrap_err();
            assert!(matches!(err, ConfigError::Insecure(_)), "{flags:?}: {err}");
            assert!(err.to_string().contains("'*'"), "{err}");
        }
        // With credentials a wildcard is the operator's choice (e.g. behind a proxy).
        let key = format!("ci:read:{}", crate::auth::api_key::hash_key("k"));
        let args = ["--http", "--allowed-hosts", "*", "--auth", "api-key"];
        let mut args = args.to_vec();
        args.extend(["--api-key", &key]);
        assert!(parse(&args).is_ok());
    }

    #[test]
    fn shares_default_to_a_quarter_of_each_cap() {
        let defaults = [
            "--max-sessions",
            "20",
            "--max-concurrent",
            "8",
            "--max-connections",
            "4",
        ];
        let explicit = [
            "--max-sessions-per-principal",
            "7",
            "--max-concurrent-per-principal",
            "3",
            "--max-connections-per-client",
            "0",
        ];
        for (flags, expected) in [(defaults, (5, 2, None)), (explicit, (7, 3, Some(0)))] {
            let mut args = vec!["--http"];
            args.extend(flags);
            let config = parse(&args).unwrap().unwrap();
            let shares = (
                config.max_sessions_per_principal,
                config.max_concurrent_per_principal,
                config.connections.max_per_client,
            );
            assert_eq!(shares, expected, "{flags:?}");
        }
        assert!(parse(&["--http", "--max-sessions-per-principal", "0"]).is_err());
        assert_eq!(quarter(1), 1);
        assert_eq!(quarter(1024), 256);
    }

    #[test]
    fn api_key_mode_needs_keys() {
        assert!(parse(&["--http", "0.0.0.0:8080", "--auth", "api-key"]).is_err());
        let key = format!("ci:read:{}", crate::auth::api_key::hash_key("k"));
        let config = parse(&[
            "--http",
            "0.0.0.0:8080",
            "--auth",
            "api-key",
            "--api-key",
            &key,
        ])
        .unwrap()
        .unwrap();
        assert!(matches!(config.auth, AuthConfig::ApiKeys(ref keys) if keys.len() == 1));
    }

    #[test]
    fn oauth_mode_needs_issuer_resource_and_keys() {
        let err =
            parse(&["--http", "--auth", "oauth", "--oauth-issuer", "https://as"]).unwrap_err();
        assert!(matches!(err, ConfigError::OAuth(_)), "{err}");
    }

    #[test]
    fn rate_limit_and_limits_parse() {
        let config = parse(&[
            "--http",
            "--rate-limit",
            "120/m",
            "--max-body",
            "2048",
            "--timeout",
            "5",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(config.max_body, 2048);
        assert_eq!(config.timeout, Duration::from_secs(5));
        assert!(config.rate_limit.is_some());
        assert!(parse(&["--http", "--rate-limit", "fast"]).is_err());
    }
}
