//! OAuth 2.1 resource server: validates JWT access tokens against a JWKS file.
//!
//! Only asymmetric algorithms are accepted (RS256, ES256, EdDSA): `alg: none` does not even
//! parse, and HS* is refused before any key is looked at, which rules out the classic
//! HS/RS confusion (an attacker signing with the public key as an HMAC secret). A key's
//! declared or implied algorithm must equal the token's. `iss`, `aud` and `exp` are required;
//! `exp`/`nbf` get a small leeway for clock skew.
//!
//! Keys come from a JWKS file that is re-read periodically (see [`OAuthValidator::reload`]);
//! fetching a JWKS URL would need an HTTPS client and is left to a sidecar or a mounted file.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{decode, decode_header, errors::ErrorKind, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use super::{AuthFailure, Principal};
use crate::config::ConfigError;
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
    /// Prefix of scope names in tokens (`csf:` makes `csf:read`, `csf:write`, `csf:admin`).
    pub scope_prefix: String,
}

struct VerificationKey {
    kid: Option<String>,
    alg: Algorithm,
    key: DecodingKey,
}

/// Validates bearer tokens; cheap to share behind an `Arc`.
pub struct OAuthValidator {
    config: OAuthConfig,
    keys: RwLock<Arc<Vec<VerificationKey>>>,
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

fn implied_algorithm(jwk: &Jwk) -> Option<Algorithm> {
    let declared = match jwk.common.key_algorithm {
        None => None,
        Some(KeyAlgorithm::RS256) => Some(Algorithm::RS256),
        Some(KeyAlgorithm::ES256) => Some(Algorithm::ES256),
        Some(KeyAlgorithm::EdDSA) => Some(Algorithm::EdDSA),
        // Any other declared algorithm (HS*, PS*, RS384 …) is not one we accept.
        Some(_) => return None,
    };
    let by_type = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => {
            Algorithm::ES256
        }
        AlgorithmParameters::OctetKeyPair(okp) if okp.curve == EllipticCurve::Ed25519 => {
            Algorithm::EdDSA
        }
        _ => return None,
    };
    match declared {
        Some(alg) if alg != by_type => None,
        _ => Some(by_type),
    }
}

fn parse_jwks(text: &[u8]) -> Result<Vec<VerificationKey>, String> {
    #[derive(Deserialize)]
    struct RawSet {
        keys: Vec<serde_json::Value>,
    }
    let raw: RawSet =
        serde_json::from_slice(text).map_err(|e| format!("not a JWKS document: {e}"))?;
    let mut keys = Vec::new();
    for value in raw.keys {
        // Skip keys we cannot use rather than failing the whole set (issuers publish several).
        let Ok(jwk) = serde_json::from_value::<Jwk>(value) else {
            continue;
        };
        if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
            continue;
        }
        let Some(alg) = implied_algorithm(&jwk) else {
            continue;
        };
        let Ok(key) = DecodingKey::from_jwk(&jwk) else {
            continue;
        };
        keys.push(VerificationKey {
            kid: jwk.common.key_id.clone(),
            alg,
            key,
        });
    }
    if keys.is_empty() {
        return Err("JWKS holds no usable RS256/ES256/EdDSA signing key".into());
    }
    Ok(keys)
}

/// Who a token speaks for: `sub`, else `client_id` (client-credentials tokens).
///
/// The name keys the rate limiter, owns sessions and is written to the audit trail, so a token
/// that names nobody is refused rather than lumped with every other such token under one name;
/// control characters are refused so that a subject cannot forge log lines.
fn subject(claims: &Claims) -> Result<&str, AuthFailure> {
    let who = [&claims.sub, &claims.client_id]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .find(|s| !s.is_empty())
        .ok_or(AuthFailure::Invalid(
            "token names no subject (sub or client_id)",
        ))?;
    if who.chars().any(char::is_control) || who.len() > MAX_SUBJECT_BYTES {
        return Err(AuthFailure::Invalid(
            "token subject is not a printable name",
        ));
    }
    Ok(who)
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
        let keys = Self::read_keys(&config)?;
        Ok(OAuthValidator {
            config,
            keys: RwLock::new(Arc::new(keys)),
            metadata_url,
        })
    }

    fn read_keys(config: &OAuthConfig) -> Result<Vec<VerificationKey>, ConfigError> {
        let path = &config.jwks_file;
        let text = std::fs::read(path).map_err(|e| {
            ConfigError::OAuth(format!("cannot read JWKS file {}: {e}", path.display()))
        })?;
        parse_jwks(&text).map_err(|e| ConfigError::OAuth(format!("{}: {e}", path.display())))
    }

    /// Re-reads the JWKS file; on failure the previous keys stay in force.
    pub fn reload(&self) -> Result<usize, ConfigError> {
        let keys = Self::read_keys(&self.config)?;
        let count = keys.len();
        match self.keys.write() {
            Ok(mut guard) => *guard = Arc::new(keys),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(keys),
        }
        Ok(count)
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
        let prefix = self.config.scope_prefix.as_str();
        Scopes::from_classes(
            names
                .into_iter()
                .filter_map(|name| name.strip_prefix(prefix))
                .filter_map(ToolClass::parse),
        )
    }

    /// Validates a bearer token and returns who it speaks for.
    pub fn validate(&self, token: &str) -> Result<Principal, AuthFailure> {
        let header = decode_header(token).map_err(|_| AuthFailure::Invalid("malformed token"))?;
        if !ALLOWED_ALGORITHMS.contains(&header.alg) {
            return Err(AuthFailure::Invalid("unsupported token algorithm"));
        }
        let keys = match self.keys.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        };
        let candidates = keys.iter().filter(|k| {
            k.alg == header.alg
                && (header.kid.is_none() || k.kid.as_deref() == header.kid.as_deref())
        });
        let validation = self.validation(header.alg);
        let mut failure = AuthFailure::Invalid("no key matches the token");
        for candidate in candidates {
            match decode::<Claims>(token, &candidate.key, &validation) {
                Ok(data) => {
                    let who = subject(&data.claims)?;
                    return Ok(Principal {
                        name: format!("oauth:{who}"),
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

    #[test]
    fn jwks_without_usable_keys_is_refused() {
        assert!(parse_jwks(br#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#).is_err());
        assert!(parse_jwks(b"[]").is_err());
    }
}
