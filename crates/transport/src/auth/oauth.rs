//! OAuth 2.1 resource server: validates JWT access tokens against a JWKS file.
//!
//! Only asymmetric algorithms are accepted (RS256, ES256, EdDSA): `alg: none` does not even
//! parse, and HS* is refused before any key is looked at, which rules out the classic
//! HS/RS confusion (an attacker signing with the public key as an HMAC secret). A key's
//! declared or implied algorithm must equal the token's. `iss`, `aud` and `exp` are required;
//! `exp`/`nbf` get a small leeway for clock skew.
//!
//! Keys come from a JWKS file that is re-read periodically (see [`OAuthValidator::reload`] and
//! `jwks.rs` for what a re-read keeps); fetching a JWKS URL would need an HTTPS client and is
//! left to a sidecar or a mounted file.
//!
//! Scope names are matched exactly (RFC 6749 §3.3: they are case-sensitive), and a principal
//! named by `sub` and one named by `client_id` live in separate name spaces (`oauth:` and
//! `oauth-client:`), so a client whose id equals some user's subject does not become that user.

use std::path::PathBuf;
use std::time::Duration;

use jsonwebtoken::{decode, decode_header, errors::ErrorKind, Algorithm, Validation};
use serde::Deserialize;

use super::jwks::{JwksHealth, JwksReload, KeyStore};
use super::{unsafe_name_char, AuthFailure, Principal};
use crate::config_error::ConfigError;
use crate::scope::{Scopes, ToolClass};

/// The algorithms a token may be signed with.
pub const ALLOWED_ALGORITHMS: [Algorithm; 3] =
    [Algorithm::RS256, Algorithm::ES256, Algorithm::EdDSA];

/// Clock-skew allowance for `exp` and `nbf`, in seconds.
pub const LEEWAY_SECS: u64 = 30;

/// Validated OAuth settings.
#[derive(Debug, Clone)]
pub struct OAuthConfig {
    /// Expected `iss` (the authorization server's issuer identifier).
    pub issuer: String,
    /// Expected `aud` (defaults to `resource`).
    pub audience: String,
    /// This server's canonical MCP URL (RFC 9728 `resource`), e.g. `https://csf.example.com/mcp`.
    pub resource: String,
    /// JWKS file with the issuer's public keys.
    pub jwks_file: PathBuf,
    /// How often the JWKS file is re-read (zero: never).
    pub jwks_refresh: Duration,
    /// How long the keys in force are kept while the file cannot be read.
    pub jwks_max_stale: Duration,
    /// Prefix of scope names in tokens (`csf:` makes `csf:read`, `csf:write`, `csf:admin`).
    pub scope_prefix: String,
}

/// Validates bearer tokens; cheap to share behind an `Arc`.
pub struct OAuthValidator {
    config: OAuthConfig,
    keys: KeyStore,
    metadata_url: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StringOrList {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
struct Claims {
    sub: Option<String>,
    client_id: Option<String>,
    scope: Option<String>,
    scp: Option<StringOrList>,
}

/// Who a token speaks for, as a principal name: `oauth:<sub>`, else (client-credentials
/// tokens) `oauth-client:<client_id>`. The two claims name different things (a user, an
/// application) chosen by different parties, so they get separate name spaces.
///
/// The name keys the rate limiter, owns sessions and is written to the audit trail, so a token
/// that names nobody is refused rather than lumped with every other such token under one name;
/// control and bidirectional-override characters are refused so that a subject cannot forge log
/// lines or display as another name.
fn principal_name(claims: &Claims) -> Result<String, AuthFailure> {
    fn non_empty(claim: &Option<String>) -> Option<&str> {
        claim.as_deref().filter(|s| !s.is_empty())
    }
    let (space, who) = match (non_empty(&claims.sub), non_empty(&claims.client_id)) {
        (Some(sub), _) => ("oauth", sub),
        (None, Some(client)) => ("oauth-client", client),
        (None, None) => {
            return Err(AuthFailure::Invalid(
                "token names no subject (sub or client_id)",
            ))
        }
    };
    if who.chars().any(unsafe_name_char) || who.len() > MAX_SUBJECT_BYTES {
        return Err(AuthFailure::Invalid(
            "token subject is not a printable name",
        ));
    }
    Ok(format!("{space}:{who}"))
}

/// Longest accepted subject (OpenID Connect allows 255 ASCII characters).
const MAX_SUBJECT_BYTES: usize = 255;

/// `https://host/mcp` → `https://host/.well-known/oauth-protected-resource/mcp` (RFC 9728 §3.1).
fn metadata_url_for(resource: &str) -> Result<String, ConfigError> {
    let bad = || {
        ConfigError::OAuth(format!(
            "--oauth-resource {resource:?} is not an absolute http(s) URL"
        ))
    };
    let uri: http::Uri = resource.parse().map_err(|_| bad())?;
    let scheme = uri
        .scheme_str()
        .filter(|s| *s == "https" || *s == "http")
        .ok_or_else(bad)?;
    let authority = uri.authority().ok_or_else(bad)?;
    if uri.query().is_some() {
        return Err(bad());
    }
    let path = uri.path().trim_end_matches('/');
    Ok(format!(
        "{scheme}://{authority}/.well-known/oauth-protected-resource{path}"
    ))
}

impl OAuthValidator {
    /// Checks the settings and loads the JWKS file; refuses to start on any problem.
    pub fn load(config: OAuthConfig) -> Result<OAuthValidator, ConfigError> {
        if config.issuer.trim().is_empty() {
            return Err(ConfigError::OAuth("--oauth-issuer is required".into()));
        }
        if config.audience.trim().is_empty() {
            return Err(ConfigError::OAuth("--oauth-audience is required".into()));
        }
        let metadata_url = metadata_url_for(&config.resource)?;
        let keys =
            KeyStore::load(&config.jwks_file, config.jwks_max_stale).map_err(ConfigError::OAuth)?;
        Ok(OAuthValidator {
            config,
            keys,
            metadata_url,
        })
    }

    /// Re-reads the JWKS file: usable keys replace the keys in force, a JWKS without one
    /// leaves no key in force, and an unreadable file keeps the previous keys for at most
    /// `jwks_max_stale` after the last good read.
    pub fn reload(&self) -> JwksReload {
        self.keys.reload()
    }

    /// Whether the keys in force can be relied on (reported by `/readyz`).
    pub fn key_health(&self) -> JwksHealth {
        self.keys.health()
    }

    /// The settings in force.
    pub fn config(&self) -> &OAuthConfig {
        &self.config
    }

    /// Where the RFC 9728 metadata is published (named in every challenge).
    pub fn metadata_url(&self) -> &str {
        &self.metadata_url
    }

    /// Path part of [`Self::metadata_url`], for routing.
    pub fn metadata_path(&self) -> &str {
        let after_scheme = self
            .metadata_url
            .split_once("://")
            .map_or("", |(_, rest)| rest);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }

    /// The RFC 9728 protected-resource metadata document.
    pub fn metadata(&self) -> serde_json::Value {
        let prefix = &self.config.scope_prefix;
        serde_json::json!({
            "resource": self.config.resource,
            "authorization_servers": [self.config.issuer],
            "scopes_supported": ToolClass::ALL.iter().map(|c| format!("{prefix}{c}")).collect::<Vec<_>>(),
            "bearer_methods_supported": ["header"],
        })
    }

    /// The scope string a caller needs for `class` (what `insufficient_scope` names).
    pub fn scope_name(&self, class: ToolClass) -> String {
        format!("{}{}", self.config.scope_prefix, class)
    }

    fn validation(&self, alg: Algorithm) -> Validation {
        let mut validation = Validation::new(alg);
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[&self.config.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation
    }

    /// The classes granted by the token's scopes. Only exact names count (`csf:read`, not
    /// `CSF:READ` nor ` csf:read`): RFC 6749 §3.3 makes scope values case-sensitive, and an
    /// authorization server may well grant differently cased names to different clients.
    fn scopes_of(&self, claims: &Claims) -> Scopes {
        let mut names: Vec<&str> = Vec::new();
        if let Some(scope) = &claims.scope {
            names.extend(scope.split_whitespace());
        }
        match &claims.scp {
            Some(StringOrList::One(s)) => names.extend(s.split_whitespace()),
            Some(StringOrList::Many(list)) => names.extend(list.iter().map(String::as_str)),
            None => {}
        }
        Scopes::from_classes(ToolClass::ALL.into_iter().filter(|class| {
            let wanted = self.scope_name(*class);
            names.iter().any(|name| *name == wanted)
        }))
    }

    /// Validates a bearer token and returns who it speaks for.
    pub fn validate(&self, token: &str) -> Result<Principal, AuthFailure> {
        let header = decode_header(token).map_err(|_| AuthFailure::Invalid("malformed token"))?;
        if !ALLOWED_ALGORITHMS.contains(&header.alg) {
            return Err(AuthFailure::Invalid("unsupported token algorithm"));
        }
        let keys = self.keys.keys();
        let candidates = keys.iter().filter(|k| {
            k.alg == header.alg
                && (header.kid.is_none() || k.kid.as_deref() == header.kid.as_deref())
        });
        let validation = self.validation(header.alg);
        let mut failure = AuthFailure::Invalid("no key matches the token");
        for candidate in candidates {
            match decode::<Claims>(token, &candidate.key, &validation) {
                Ok(data) => {
                    return Ok(Principal {
                        name: principal_name(&data.claims)?,
                        scopes: self.scopes_of(&data.claims),
                    });
                }
                Err(e) => {
                    failure = AuthFailure::Invalid(match e.kind() {
                        ErrorKind::InvalidSignature => "bad signature",
                        ErrorKind::ExpiredSignature => "token expired",
                        ErrorKind::ImmatureSignature => "token not yet valid",
                        ErrorKind::InvalidAudience => "wrong audience",
                        ErrorKind::InvalidIssuer => "wrong issuer",
                        ErrorKind::MissingRequiredClaim(_) => "missing required claim",
                        _ => "invalid token",
                    });
                    // Another key may still verify the signature; any other failure is final.
                    if !matches!(e.kind(), ErrorKind::InvalidSignature) {
                        return Err(failure);
                    }
                }
            }
        }
        Err(failure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_url_inserts_the_well_known_segment() {
        assert_eq!(
            metadata_url_for("https://csf.example.com/mcp").unwrap(),
            "https://csf.example.com/.well-known/oauth-protected-resource/mcp"
        );
        assert_eq!(
            metadata_url_for("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080/.well-known/oauth-protected-resource"
        );
        assert!(metadata_url_for("csf.example.com/mcp").is_err());
        assert!(metadata_url_for("ftp://x/mcp").is_err());
    }

    fn claims(sub: Option<&str>, client_id: Option<&str>) -> Claims {
        Claims {
            sub: sub.map(str::to_string),
            client_id: client_id.map(str::to_string),
            scope: None,
            scp: None,
        }
    }

    #[test]
    fn subjects_and_client_ids_have_separate_name_spaces() {
        assert_eq!(
            principal_name(&claims(Some("alice"), None)).unwrap(),
            "oauth:alice"
        );
        assert_eq!(
            principal_name(&claims(None, Some("alice"))).unwrap(),
            "oauth-client:alice"
        );
        assert_eq!(
            principal_name(&claims(Some(""), Some("ci"))).unwrap(),
            "oauth-client:ci"
        );
        assert_eq!(
            principal_name(&claims(Some("u1"), Some("ci"))).unwrap(),
            "oauth:u1"
        );
        assert!(principal_name(&claims(None, None)).is_err());
    }

    #[test]
    fn subjects_that_could_forge_or_disguise_a_name_are_refused() {
        for bad in [
            "alice\nINFO forged",
            "alice\u{1b}[2J",
            "alice\u{85}x",
            "admin\u{202e}ecila",
            "a\u{2066}b",
            "a\u{200f}b",
            "a\u{2028}b",
        ] {
            assert!(principal_name(&claims(Some(bad), None)).is_err(), "{bad:?}");
            assert!(principal_name(&claims(None, Some(bad))).is_err(), "{bad:?}");
        }
        assert!(principal_name(&claims(Some(&"x".repeat(256)), None)).is_err());
        assert!(principal_name(&claims(Some("José Müller"), None)).is_ok());
    }
}
