//! The refusal of settings that would expose the server.

use super::{AuthConfig, ConfigError, HttpConfig};

impl HttpConfig {
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
        // Caps of zero would refuse every request or connection; checked in flag order.
        for (flag, value) in [
            ("--max-concurrent", self.max_concurrent),
            ("--max-connections", self.connections.max_connections),
            ("--max-sessions", self.max_sessions),
            (
                "--max-sessions-per-principal",
                self.max_sessions_per_principal,
            ),
            (
                "--max-concurrent-per-principal",
                self.max_concurrent_per_principal,
            ),
            ("--max-body", self.max_body),
        ] {
            if value == 0 {
                return Err(ConfigError::Value {
                    flag,
                    reason: "must be at least 1".into(),
                });
            }
        }
        Ok(())
    }
}
