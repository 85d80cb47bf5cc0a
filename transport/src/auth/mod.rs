//! Who is calling, and the `WWW-Authenticate` challenges that tell a client how to fix it.
//!
//! Credentials are read from `Authorization: Bearer …` (both modes) or `X-API-Key`
//! (api-key mode). Nothing here logs a presented secret.

pub mod api_key;
pub mod oauth;

use std::sync::Arc;

use http::{HeaderMap, HeaderValue};

use crate::scope::{Scopes, ToolClass};
use api_key::ApiKeys;
use oauth::OAuthValidator;

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Stable name for logs, metrics and rate limiting (key name or `oauth:<sub>`).
    pub name: String,
    /// What the caller may do.
    pub scopes: Scopes,
}

/// Why a request carries no acceptable credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// No credentials at all.
    Missing,
    /// Credentials were presented and refused; the reason is safe to show.
    Invalid(&'static str),
}

/// The configured authentication scheme.
#[derive(Clone)]
pub enum Authenticator {
    /// No authentication (allowed on loopback only); everyone has every scope.
    None,
    /// Static API keys.
    ApiKeys(Arc<ApiKeys>),
    /// OAuth 2.1 bearer tokens (JWT).
    OAuth(Arc<OAuthValidator>),
}

const REALM: &str = "mcp";

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl Authenticator {
    /// Authenticates a request from its headers.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<Principal, AuthFailure> {
        match self {
            Authenticator::None => Ok(Principal {
                name: "anonymous".into(),
                scopes: Scopes::ALL,
            }),
            Authenticator::ApiKeys(keys) => {
                let presented = bearer_token(headers)
                    .or_else(|| {
                        headers
                            .get("x-api-key")
                            .and_then(|v| v.to_str().ok())
                            .map(str::trim)
                    })
                    .ok_or(AuthFailure::Missing)?;
                keys.verify(presented)
                    .map(|key| Principal {
                        name: key.name.clone(),
                        scopes: key.scopes,
                    })
                    .ok_or(AuthFailure::Invalid("unknown API key"))
            }
            Authenticator::OAuth(validator) => {
                let token = bearer_token(headers).ok_or(AuthFailure::Missing)?;
                validator.validate(token)
            }
        }
    }

    /// The scope string a caller must hold for `class`, as named in challenges.
    pub fn scope_name(&self, class: ToolClass) -> String {
        match self {
            Authenticator::OAuth(validator) => validator.scope_name(class),
            _ => class.as_str().to_string(),
        }
    }

    fn base_challenge(&self) -> String {
        match self {
            Authenticator::OAuth(validator) => {
                format!(
                    "Bearer realm=\"{REALM}\", resource_metadata=\"{}\"",
                    validator.metadata_url()
                )
            }
            _ => format!("Bearer realm=\"{REALM}\""),
        }
    }

    /// `WWW-Authenticate` for a 401 (RFC 6750 §3; `error` only when a credential was presented).
    pub fn unauthorized_challenge(&self, failure: AuthFailure) -> HeaderValue {
        let mut value = self.base_challenge();
        if let AuthFailure::Invalid(reason) = failure {
            value.push_str(&format!(
                ", error=\"invalid_token\", error_description=\"{reason}\""
            ));
        }
        header_value(value)
    }

    /// `WWW-Authenticate` for a 403 caused by a missing scope.
    pub fn insufficient_scope_challenge(&self, needed: ToolClass) -> HeaderValue {
        let value = format!(
            "{}, error=\"insufficient_scope\", scope=\"{}\"",
            self.base_challenge(),
            self.scope_name(needed)
        );
        header_value(value)
    }
}

fn header_value(value: String) -> HeaderValue {
    // Every piece comes from validated configuration or fixed text; fall back rather than panic.
    HeaderValue::from_str(&value)
        .unwrap_or_else(|_| HeaderValue::from_static("Bearer realm=\"mcp\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::AUTHORIZATION,
            HeaderValue::from_static("bearer abc"),
        );
        assert_eq!(bearer_token(&headers), Some("abc"));
        headers.insert(
            http::header::AUTHORIZATION,
            HeaderValue::from_static("Basic abc"),
        );
        assert_eq!(bearer_token(&headers), None);
    }
}
