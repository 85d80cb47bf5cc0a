//! The token-signing keys an OAuth resource server trusts, read from a JWKS file and re-read
//! periodically, with revocation that works.
//!
//! Rules for a re-read:
//! - a JWKS document with usable keys replaces the keys in force;
//! - a JWKS document with **no** usable key (`{"keys":[]}`, only symmetric or unsupported keys)
//!   replaces them too: the issuer has withdrawn its keys, so nothing is trusted any more;
//! - a file that cannot be read as a JWKS document (deleted, unreadable, half written) keeps the
//!   keys in force, but only until `max_stale` after the last good read; then they are dropped
//!   and every token is refused until the file is readable again. A file that disappears is
//!   thus not a way to keep trusting a key forever, nor a brief glitch a reason to lock
//!   everyone out.
//!
//! At start-up a file without usable keys is refused outright (see [`KeyStore::load`]).

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Deserialize;

/// A key tokens may be verified with.
pub(crate) struct VerificationKey {
    pub kid: Option<String>,
    pub alg: Algorithm,
    pub key: DecodingKey,
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

/// Whether a decoded key has the length its algorithm needs: an Ed25519 key of 32 bytes, a P-256
/// point of 65 (uncompressed). jsonwebtoken takes the first 32 bytes of an Ed25519 key without
/// checking its length, so a shorter `x` made every token verified against it panic, which a
/// release build (`panic = "abort"`) turns into the end of the process, for any caller
/// presenting a token with that key's `kid`.
fn has_its_algorithms_length(alg: Algorithm, key: &DecodingKey) -> bool {
    let Ok(bytes) = key.try_get_as_bytes() else {
        // RSA keys are kept as components; their checks are the RSA verifier's own.
        return alg == Algorithm::RS256;
    };
    match alg {
        Algorithm::EdDSA => bytes.len() == 32,
        Algorithm::ES256 => bytes.len() == 65,
        _ => true,
    }
}

/// The usable signing keys of a JWKS document (possibly none); `Err` when the bytes are not a
/// JWKS document at all.
pub(crate) fn parse_jwks(text: &[u8]) -> Result<Vec<VerificationKey>, String> {
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
        if !has_its_algorithms_length(alg, &key) {
            continue;
        }
        keys.push(VerificationKey {
            kid: jwk.common.key_id.clone(),
            alg,
            key,
        });
    }
    Ok(keys)
}

const NO_USABLE_KEY: &str = "JWKS holds no usable RS256/ES256/EdDSA signing key";

/// What a re-read of the JWKS file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwksReload {
    /// The file was read: these many keys are now in force.
    Loaded(usize),
    /// The file is a JWKS with no usable key: no key is in force, every token is refused.
    NoUsableKey,
    /// The file could not be read as a JWKS; the previous keys stay in force for `remaining`.
    Unreadable {
        /// Why (a file system or parse error; names the file, never key material).
        error: String,
        /// How much longer the previous keys are kept.
        remaining: Duration,
    },
    /// The file has been unreadable for longer than allowed: no key is in force any more.
    Expired {
        /// Why the last read failed.
        error: String,
        /// Since the last good read.
        unreadable_for: Duration,
    },
}

/// Whether the keys in force can be relied on (for `/readyz`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwksHealth {
    /// Keys read from the file at its last read.
    Fresh,
    /// The file cannot be read; the keys from the last good read stay in force for `remaining`.
    Stale {
        /// Since the last good read.
        unreadable_for: Duration,
        /// Until the keys are dropped.
        remaining: Duration,
    },
    /// No key is in force (the file held none, or stayed unreadable too long): every token is
    /// refused.
    NoKeys,
}

struct State {
    keys: Arc<Vec<VerificationKey>>,
    /// When the file was last read as a JWKS document.
    last_read: Instant,
    /// Set while re-reads fail.
    unreadable: bool,
}

/// The keys in force and the file they come from.
pub(crate) struct KeyStore {
    path: PathBuf,
    max_stale: Duration,
    state: RwLock<State>,
}

fn read_file(path: &Path) -> Result<Vec<VerificationKey>, String> {
    let text = std::fs::read(path)
        .map_err(|e| format!("cannot read JWKS file {}: {e}", path.display()))?;
    parse_jwks(&text).map_err(|e| format!("{}: {e}", path.display()))
}

impl KeyStore {
    /// Reads the file; refuses one that cannot be read or holds no usable key.
    pub(crate) fn load(path: &Path, max_stale: Duration) -> Result<KeyStore, String> {
        let keys = read_file(path)?;
        if keys.is_empty() {
            return Err(format!("{}: {NO_USABLE_KEY}", path.display()));
        }
        Ok(KeyStore {
            path: path.to_path_buf(),
            max_stale,
            state: RwLock::new(State {
                keys: Arc::new(keys),
                last_read: Instant::now(),
                unreadable: false,
            }),
        })
    }

    fn read(&self) -> RwLockReadGuard<'_, State> {
        // Every update replaces whole fields: a poisoned lock still holds a consistent state.
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether the file has been unreadable for longer than `max_stale`, so that the keys of
    /// the last good read are no longer in force, whether or not a re-read has noticed yet
    /// (`--oauth-jwks-refresh` may be longer than `--oauth-jwks-max-stale`).
    fn expired(&self, state: &State) -> bool {
        state.unreadable && state.last_read.elapsed() >= self.max_stale
    }

    /// The keys in force.
    pub(crate) fn keys(&self) -> Arc<Vec<VerificationKey>> {
        let state = self.read();
        if self.expired(&state) {
            return Arc::new(Vec::new());
        }
        Arc::clone(&state.keys)
    }

    /// Re-reads the file (see the module documentation for what each outcome keeps).
    pub(crate) fn reload(&self) -> JwksReload {
        match read_file(&self.path) {
            Ok(keys) => {
                let count = keys.len();
                let mut state = self.write();
                state.keys = Arc::new(keys);
                state.last_read = Instant::now();
                state.unreadable = false;
                if count == 0 {
                    JwksReload::NoUsableKey
                } else {
                    JwksReload::Loaded(count)
                }
            }
            Err(error) => {
                let mut state = self.write();
                state.unreadable = true;
                let unreadable_for = state.last_read.elapsed();
                if unreadable_for >= self.max_stale {
                    state.keys = Arc::new(Vec::new());
                    JwksReload::Expired {
                        error,
                        unreadable_for,
                    }
                } else {
                    JwksReload::Unreadable {
                        error,
                        remaining: self.max_stale - unreadable_for,
                    }
                }
            }
        }
    }

    /// Whether the keys in force can be relied on.
    pub(crate) fn health(&self) -> JwksHealth {
        let state = self.read();
        if state.keys.is_empty() || self.expired(&state) {
            return JwksHealth::NoKeys;
        }
        if !state.unreadable {
            return JwksHealth::Fresh;
        }
        let unreadable_for = state.last_read.elapsed();
        JwksHealth::Stale {
            unreadable_for,
            remaining: self.max_stale.saturating_sub(unreadable_for),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An Ed25519 public key in JWK form (the key is arbitrary: only its shape matters here).
    const ED25519: &str = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1",
        "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;

    fn file(name: &str, text: &str) -> PathBuf {
        let path = std::env::temp_dir().join(format!(
            "csf-jwks-{name}-{}-{:?}.json",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_set_without_usable_keys_is_refused_at_start() {
        assert!(parse_jwks(br#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#)
            .unwrap()
            .is_empty());
        assert!(parse_jwks(b"[]").is_err());
        let path = file("empty-start", r#"{"keys":[]}"#);
        assert!(KeyStore::load(&path, Duration::from_secs(60)).is_err());
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn an_emptied_set_revokes_at_once() {
        let path = file("emptied", ED25519);
        let store = KeyStore::load(&path, Duration::from_secs(3600)).unwrap();
        assert_eq!(store.keys().len(), 1);
        for empty in [
            r#"{"keys":[]}"#,
            r#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#,
        ] {
            std::fs::write(&path, ED25519).unwrap();
            assert_eq!(store.reload(), JwksReload::Loaded(1));
            std::fs::write(&path, empty).unwrap();
            assert_eq!(store.reload(), JwksReload::NoUsableKey, "{empty}");
            assert!(store.keys().is_empty());
            assert_eq!(store.health(), JwksHealth::NoKeys);
        }
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn an_unreadable_file_keeps_the_keys_only_for_max_stale() {
        let path = file("unreadable", ED25519);
        let patient = KeyStore::load(&path, Duration::from_secs(3600)).unwrap();
        let strict = KeyStore::load(&path, Duration::ZERO).unwrap();
        std::fs::write(&path, "{ half written").unwrap();
        assert!(matches!(
            patient.reload(),
            JwksReload::Unreadable { remaining, .. } if remaining > Duration::from_secs(3500)
        ));
        assert_eq!(patient.keys().len(), 1);
        assert!(matches!(patient.health(), JwksHealth::Stale { .. }));
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(patient.reload(), JwksReload::Unreadable { .. }));
        assert!(matches!(strict.reload(), JwksReload::Expired { .. }));
        assert!(strict.keys().is_empty());
        assert_eq!(strict.health(), JwksHealth::NoKeys);
        // Readable again: trusted again.
        std::fs::write(&path, ED25519).unwrap();
        assert_eq!(strict.reload(), JwksReload::Loaded(1));
        assert_eq!(strict.health(), JwksHealth::Fresh);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn stale_keys_lapse_at_max_stale_without_waiting_for_a_re_read() {
        let path = file("lapse", ED25519);
        let store = KeyStore::load(&path, Duration::from_millis(300)).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(store.reload(), JwksReload::Unreadable { .. }));
        assert_eq!(store.keys().len(), 1, "within the allowance");
        std::thread::sleep(Duration::from_millis(400));
        // No re-read since: the next one may be a whole refresh interval away.
        assert!(store.keys().is_empty());
        assert_eq!(store.health(), JwksHealth::NoKeys);
    }

    #[test]
    fn keys_of_the_wrong_length_are_not_usable() {
        // 3 bytes and 33 bytes of `x`, beside a well-formed key.
        let doc = br#"{"keys":[
            {"kty":"OKP","crv":"Ed25519","kid":"short","x":"AAAA"},
            {"kty":"OKP","crv":"Ed25519","kid":"long",
             "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURoA"},
            {"kty":"OKP","crv":"Ed25519","kid":"k1",
             "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;
        let keys = parse_jwks(doc).unwrap();
        let kids: Vec<_> = keys.iter().map(|k| k.kid.as_deref()).collect();
        assert_eq!(kids, [Some("k1")]);
    }
}
