//! API keys stored as SHA-256 hashes and checked in constant time.
//!
//! The server never holds a key in clear: the operator configures `NAME:SCOPES:SHA256HEX`
//! (from `nist-csf-mcp hash-key`), and a presented key is hashed and compared against every
//! configured hash without an early exit, so timing reveals neither which key matched nor
//! how many bytes did.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config_error::ConfigError;
use crate::scope::{Scopes, ToolClass};

/// One configured key: who it belongs to, what it may do, and the hash of its secret.
#[derive(Clone)]
pub struct ApiKey {
    /// Principal name (used in logs, metrics and the rate limiter; never the key).
    pub name: String,
    /// Granted scopes.
    pub scopes: Scopes,
    hash: [u8; 32],
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKey")
            .field("name", &self.name)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// Hex SHA-256 of a key, as the configuration expects it (`nist-csf-mcp hash-key`).
pub fn hash_key(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn parse_hash(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        out[i] = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
    }
    Some(out)
}

impl ApiKey {
    /// Parses `NAME:SCOPES:SHA256HEX`, scopes joined by `+` (e.g. `ci:read+write:9f86…`).
    pub fn parse(spec: &str) -> Result<ApiKey, ConfigError> {
        let invalid =
            |why: &str| ConfigError::ApiKey(format!("{why} (expected NAME:SCOPES:SHA256HEX)"));
        let mut parts = spec.trim().splitn(3, ':');
        let (Some(name), Some(scopes), Some(hash)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid("missing field"));
        };
        let name = name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.@".contains(c))
        {
            return Err(invalid("name must be non-empty [A-Za-z0-9-_.@]"));
        }
        let mut granted = Scopes::NONE;
        for scope in scopes.split('+') {
            let class = ToolClass::parse(scope).ok_or_else(|| {
                invalid(&format!(
                    "unknown scope {scope:?} for key {name} (read, write, admin)"
                ))
            })?;
            granted.grant(class);
        }
        let hash = parse_hash(hash.trim())
            .ok_or_else(|| invalid(&format!("hash of key {name} is not 64 hex digits")))?;
        // An empty header would otherwise authenticate as this key.
        if parse_hash(&hash_key("")) == Some(hash) {
            return Err(invalid(&format!(
                "key {name} is the hash of an empty key; generate a real secret"
            )));
        }
        Ok(ApiKey {
            name: name.to_string(),
            scopes: granted,
            hash,
        })
    }
}

/// The configured keys.
#[derive(Debug, Clone)]
pub struct ApiKeys {
    keys: Vec<ApiKey>,
}

impl ApiKeys {
    /// Wraps the parsed keys; refuses an empty list and duplicate names.
    pub fn new(keys: Vec<ApiKey>) -> Result<ApiKeys, ConfigError> {
        if keys.is_empty() {
            return Err(ConfigError::ApiKey(
                "--auth api-key needs at least one --api-key NAME:SCOPES:SHA256HEX".into(),
            ));
        }
        for (i, key) in keys.iter().enumerate() {
            if keys[..i].iter().any(|k| k.name == key.name) {
                return Err(ConfigError::ApiKey(format!(
                    "duplicate key name {}",
                    key.name
                )));
            }
        }
        Ok(ApiKeys { keys })
    }

    /// Finds the key whose hash matches `presented`, visiting every key.
    pub fn verify(&self, presented: &str) -> Option<&ApiKey> {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        let mut found: Option<&ApiKey> = None;
        for key in &self.keys {
            let matches: bool = key.hash.ct_eq(&digest).into();
            // Keep looping after a match: the work done must not depend on the position.
            if matches && found.is_none() {
                found = Some(key);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_matches_sha256_test_vector() {
        assert_eq!(
            hash_key("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn verifies_only_the_right_key() {
        let spec = format!("ci:read+write:{}", hash_key("s3cret"));
        let keys = ApiKeys::new(vec![ApiKey::parse(&spec).unwrap()]).unwrap();
        let key = keys.verify("s3cret").unwrap();
        assert_eq!(key.name, "ci");
        assert!(key.scopes.allows(ToolClass::Write));
        assert!(!key.scopes.allows(ToolClass::Admin));
        assert!(keys.verify("s3cret ").is_none());
        assert!(keys.verify("").is_none());
    }

    #[test]
    fn rejects_malformed_specs() {
        for bad in [
            "ci:read",
            "ci:root:00",
            ":read:00",
            &format!("ci:read:{}", "zz".repeat(32)),
        ] {
            assert!(ApiKey::parse(bad).is_err(), "{bad} should be refused");
        }
        let dup = format!("a:read:{}", hash_key("x"));
        assert!(ApiKeys::new(vec![
            ApiKey::parse(&dup).unwrap(),
            ApiKey::parse(&dup).unwrap()
        ])
        .is_err());
        assert!(ApiKeys::new(vec![]).is_err());
        assert!(ApiKey::parse(&format!("blank:read:{}", hash_key(""))).is_err());
    }

    #[test]
    fn debug_output_hides_the_hash() {
        let spec = format!("ci:read:{}", hash_key("s3cret"));
        let shown = format!("{:?}", ApiKey::parse(&spec).unwrap());
        assert!(!shown.contains(&hash_key("s3cret")));
    }
}
