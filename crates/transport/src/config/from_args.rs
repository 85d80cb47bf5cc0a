//! From raw flags to [`HttpConfig`]: parse each value, fill in the derived defaults, then
//! refuse insecure combinations.

use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

use super::{quarter, AuthConfig, AuthMode, ConfigError, ConnectionLimits, HttpArgs, HttpConfig};
use crate::auth::api_key::ApiKey;
use crate::auth::oauth::OAuthConfig;
use crate::hosts::{HostAllowlist, OriginAllowlist};
use crate::limits::RateLimit;

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
