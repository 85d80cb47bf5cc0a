//! Who is calling, and the `WWW-Authenticate` challenges that tell a client how to fix it.
//!
//! Credentials are read from `Authorization: Bearer …` (both modes) or `X-API-Key`
//! (api-key mode). Nothing here logs a presented secret.

pub mod api_key;
pub mod jwks;
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

/// Whether `c` may not appear in a principal name (see [`crate::text::is_unsafe_char`]): names
/// are written to logs and the audit trail, and shown to people reading them.
pub(crate) fn unsafe_name_char(c: char) -> bool {
    crate::text::is_unsafe_char(c)
}

/// The one value of a credential header: `Ok(None)` when absent, refused when repeated (a
/// request that carries two credentials is ambiguous: which one a proxy or the server reads
/// must not decide who the caller is) or not visible ASCII.
fn single_header<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h str>, AuthFailure> {
    let mut values = headers.get_all(name).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(AuthFailure::Invalid("more than one credential header"));
    }
    first
        .to_str()
        .map(|v| Some(v.trim()))
        .map_err(|_| AuthFailure::Invalid("malformed credential header"))
}

/// The token of `Authorization: Bearer <token>` (scheme name in any case, RFC 7235 §2.1);
/// `None` when there is no Authorization header, another scheme, or an empty token.
fn bearer_token(headers: &HeaderMap) -> Result<Option<&str>, AuthFailure> {
    let Some(value) = single_header(headers, http::header::AUTHORIZATION.as_str())? else {
        return Ok(None);
    };
    let Some((scheme, token)) = value.split_once(' ') else {
        return Ok(None);
    };
    let token = token.trim();
    Ok((scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token))
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
                let bearer = bearer_token(headers)?;
                let header = single_header(headers, "x-api-key")?.filter(|v| !v.is_empty());
                let presented = match (bearer, header) {
                    (Some(a), Some(b)) if a != b => {
                        return Err(AuthFailure::Invalid("two different credentials presented"))
                    }
                    (Some(key), _) | (None, Some(key)) => key,
                    (None, None) => return Err(AuthFailure::Missing),
                };
                keys.verify(presented)
                    .map(|key| Principal {
                        name: key.name.clone(),
                        scopes: key.scopes,
                    })
                    .ok_or(AuthFailure::Invalid("unknown API key"))
            }
            Authenticator::OAuth(validator) => {
                let token = bearer_token(headers)?.ok_or(AuthFailure::Missing)?;
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
        for scheme in ["bearer", "Bearer", "BEARER", "bEaReR"] {
            headers.insert(
                http::header::AUTHORIZATION,
                HeaderValue::from_str(&format!("{scheme} abc")).unwrap(),
            );
            assert_eq!(bearer_token(&headers), Ok(Some("abc")), "{scheme}");
        }
        headers.insert(
            http::header::AUTHORIZATION,
            HeaderValue::from_static("Basic abc"),
        );
        assert_eq!(bearer_token(&headers), Ok(None));
    }

    #[test]
    fn empty_and_repeated_bearer_headers() {
        let mut headers = HeaderMap::new();
        for empty in ["Bearer", "Bearer ", "Bearer    ", "Bearerabc"] {
            headers.insert(
                http::header::AUTHORIZATION,
                HeaderValue::from_str(empty).unwrap(),
            );
            assert_eq!(bearer_token(&headers), Ok(None), "{empty:?}");
        }
        headers.insert(
            http::header::AUTHORIZATION,
            HeaderValue::from_static("Bearer a"),
        );
        headers.append(
            http::header::AUTHORIZATION,
            HeaderValue::from_static("Bearer b"),
        );
        assert_eq!(
            bearer_token(&headers),
            Err(AuthFailure::Invalid("more than one credential header"))
        );
    }
}
