//! The validated settings the HTTP transport runs with.

use std::net::SocketAddr;
use std::time::Duration;

use super::defaults::{
    quarter, DEFAULT_HEADER_TIMEOUT_SECS, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_SESSIONS,
};
use crate::auth::api_key::ApiKey;
use crate::auth::oauth::OAuthConfig;
use crate::hosts::{HostAllowlist, OriginAllowlist};
use crate::limits::RateLimit;

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
}
