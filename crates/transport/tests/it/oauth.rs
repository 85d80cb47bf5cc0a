//! OAuth 2.1 resource server: the full refusal matrix and RFC 9728 metadata.
//! Keys are generated at test time; nothing secret is committed.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use base64::Engine;
use csf_transport::auth::oauth::OAuthConfig;
use csf_transport::config::AuthConfig;
use http::{Request, StatusCode};
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use p256::pkcs8::EncodePrivateKey as _;
use rsa::pkcs1::EncodeRsaPrivateKey as _;
use rsa::Generate as _;

use crate::handler::TestServer;
use crate::support::*;

const ISSUER: &str = "https://issuer.test";
const RESOURCE: &str = "https://csf.test/mcp";
const METADATA: &str = "https://csf.test/.well-known/oauth-protected-resource/mcp";

struct Keys {
    rsa: EncodingKey,
    rsa_other: EncodingKey,
    ec: EncodingKey,
    ed: EncodingKey,
    jwks_path: PathBuf,
    rsa_public_jwk_json: String,
}

fn rsa_key() -> EncodingKey {
    let key = rsa::PrivateKey::generate();
    EncodingKey::from_rsa_der(key.to_pkcs1_der().unwrap().as_bytes())
}

fn with_kid(mut jwk: Jwk, kid: &str) -> Jwk {
    jwk.common.key_id = Some(kid.to_string());
    jwk
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let rsa = rsa_key();
        let rsa_other = rsa_key();
        let ec_secret = p256::SecretKey::generate();
        let ec = EncodingKey::from_ec_der(ec_secret.to_pkcs8_der().unwrap().as_bytes());
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).unwrap();
        // PKCS#8 v1 for Ed25519 is a fixed prefix and the 32-byte seed (RFC 8410).
        let mut ed_der = vec![
            0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
            0x04, 0x20,
        ];
        ed_der.extend_from_slice(&seed);
        let ed = EncodingKey::from_ed_der(&ed_der);
        let rsa_jwk = with_kid(
            Jwk::from_encoding_key(&rsa, Algorithm::RS256).unwrap(),
            "rsa-1",
        );
        let set = JwkSet {
            keys: vec![
                rsa_jwk.clone(),
                with_kid(
                    Jwk::from_encoding_key(&ec, Algorithm::ES256).unwrap(),
                    "ec-1",
                ),
                with_kid(
                    Jwk::from_encoding_key(&ed, Algorithm::EdDSA).unwrap(),
                    "ed-1",
                ),
            ],
        };
        let jwks_path =
            std::env::temp_dir().join(format!("csf-transport-jwks-{}.json", std::process::id()));
        std::fs::write(&jwks_path, serde_json::to_vec(&set).unwrap()).unwrap();
        Keys {
            rsa,
            rsa_other,
            ec,
            ed,
            jwks_path,
            rsa_public_jwk_json: serde_json::to_string(&rsa_jwk).unwrap(),
        }
    })
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn claims(scope: &str) -> serde_json::Value {
    serde_json::json!({
        "iss": ISSUER, "aud": RESOURCE, "sub": "alice",
        "iat": now(), "exp": now() + 600, "scope": scope,
    })
}

fn token(alg: Algorithm, kid: &str, key: &EncodingKey, claims: &serde_json::Value) -> String {
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_string());
    encode(&header, claims, key).unwrap()
}

fn rs256(claims: &serde_json::Value) -> String {
    token(Algorithm::RS256, "rsa-1", &keys().rsa, claims)
}

fn app(server: &TestServer) -> axum::Router {
    let mut config = config();
    config.auth = AuthConfig::OAuth(OAuthConfig {
        issuer: ISSUER.into(),
        audience: RESOURCE.into(),
        resource: RESOURCE.into(),
        jwks_file: keys().jwks_path.clone(),
        jwks_refresh: std::time::Duration::ZERO,
        jwks_max_stale: std::time::Duration::from_secs(900),
        scope_prefix: "csf:".into(),
    });
    router(&config, server)
}

async fn with_token(app: &axum::Router, body: String, token: &str) -> Answer {
    call(app, body, &[("authorization", &format!("Bearer {token}"))]).await
}

fn assert_invalid(answer: &Answer, reason: &str) {
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    let challenge = answer.challenge();
    assert!(
        challenge.contains(&format!(r#"resource_metadata="{METADATA}""#)),
        "{challenge}"
    );
    assert!(
        challenge.contains(r#"error="invalid_token""#),
        "{challenge}"
    );
    assert!(
        challenge.contains(reason),
        "expected {reason:?} in {challenge}"
    );
}

#[tokio::test]
async fn no_token_gets_the_metadata_challenge() {
    let answer = call(&app(&TestServer::new()), echo(), &[]).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        answer.challenge(),
        format!(r#"Bearer realm="mcp", resource_metadata="{METADATA}""#)
    );
}

#[tokio::test]
async fn valid_tokens_of_each_algorithm_are_accepted() {
    let app = app(&TestServer::new());
    assert_echo_ok(&with_token(&app, echo(), &rs256(&claims("csf:read"))).await);
    let es = token(
        Algorithm::ES256,
        "ec-1",
        &keys().ec,
        &claims("openid csf:read"),
    );
    assert_echo_ok(&with_token(&app, echo(), &es).await);
    let mut scp = claims("");
    scp["scp"] = serde_json::json!(["csf:read"]);
    let ed = token(Algorithm::EdDSA, "ed-1", &keys().ed, &scp);
    assert_echo_ok(&with_token(&app, echo(), &ed).await);
}

#[tokio::test]
async fn expired_wrong_audience_wrong_issuer_are_refused() {
    let app = app(&TestServer::new());
    let mut expired = claims("csf:read");
    expired["exp"] = serde_json::json!(now() - 120);
    assert_invalid(&with_token(&app, echo(), &rs256(&expired)).await, "expired");
    let mut audience = claims("csf:read");
    audience["aud"] = serde_json::json!("https://other.test/mcp");
    assert_invalid(
        &with_token(&app, echo(), &rs256(&audience)).await,
        "audience",
    );
    let mut issuer = claims("csf:read");
    issuer["iss"] = serde_json::json!("https://evil.test");
    assert_invalid(&with_token(&app, echo(), &rs256(&issuer)).await, "issuer");
    let mut early = claims("csf:read");
    early["nbf"] = serde_json::json!(now() + 600);
    assert_invalid(
        &with_token(&app, echo(), &rs256(&early)).await,
        "not yet valid",
    );
}

#[tokio::test]
async fn bad_signature_is_refused() {
    let app = app(&TestServer::new());
    let forged = token(
        Algorithm::RS256,
        "rsa-1",
        &keys().rsa_other,
        &claims("csf:admin"),
    );
    assert_invalid(&with_token(&app, echo(), &forged).await, "bad signature");
    let tampered = {
        let good = rs256(&claims("csf:read"));
        let mut parts: Vec<&str> = good.split('.').collect();
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(serde_json::to_vec(&claims("csf:admin")).unwrap());
        parts[1] = &payload;
        parts.join(".")
    };
    assert_invalid(&with_token(&app, echo(), &tampered).await, "bad signature");
}

#[tokio::test]
async fn alg_none_and_hs_rs_confusion_are_refused() {
    let app = app(&TestServer::new());
    let b64 = |v: &serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
    };
    let none = format!(
        "{}.{}.",
        b64(&serde_json::json!({"alg": "none", "typ": "JWT"})),
        b64(&claims("csf:admin"))
    );
    assert_invalid(&with_token(&app, echo(), &none).await, "malformed");
    // HS256 "signed" with the server's public key material as the HMAC secret.
    let secret = EncodingKey::from_secret(keys().rsa_public_jwk_json.as_bytes()).unwrap();
    let confused = token(Algorithm::HS256, "rsa-1", &secret, &claims("csf:admin"));
    assert_invalid(
        &with_token(&app, echo(), &confused).await,
        "unsupported token algorithm",
    );
}

#[tokio::test]
async fn missing_scope_is_403_and_nothing_is_written() {
    let server = TestServer::new();
    let app = app(&server);
    let reader = rs256(&claims("csf:read"));
    let refused = with_token(&app, record(), &reader).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let challenge = refused.challenge();
    assert!(
        challenge.contains(r#"error="insufficient_scope""#)
            && challenge.contains(r#"scope="csf:write""#),
        "{challenge}"
    );
    assert!(
        challenge.contains(&format!(r#"resource_metadata="{METADATA}""#)),
        "{challenge}"
    );
    assert_eq!(server.writes(), 0);

    let unscoped = rs256(&claims("openid profile"));
    let refused = with_token(&app, echo(), &unscoped).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.challenge().contains(r#"scope="csf:read""#));

    let writer = rs256(&claims("csf:write"));
    assert_eq!(
        with_token(&app, record(), &writer).await.status,
        StatusCode::OK
    );
    assert_eq!(server.writes(), 1);
}

#[tokio::test]
async fn protected_resource_metadata_is_published() {
    let app = app(&TestServer::new());
    for path in [
        "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-protected-resource/mcp",
    ] {
        let request = Request::get(path)
            .header("host", HOST)
            .body(Body::empty())
            .unwrap();
        let answer = send(&app, request).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        let json = answer.json();
        assert_eq!(json["resource"], RESOURCE);
        assert_eq!(json["authorization_servers"][0], ISSUER);
        assert_eq!(
            json["scopes_supported"],
            serde_json::json!(["csf:read", "csf:write", "csf:admin"])
        );
        assert_eq!(
            json["bearer_methods_supported"],
            serde_json::json!(["header"])
        );
    }
}

fn whoami() -> String {
    tool_call("whoami", serde_json::json!({}))
}

#[tokio::test]
async fn audience_lists_must_name_this_server() {
    let app = app(&TestServer::new());
    let mut listed = claims("csf:read");
    listed["aud"] = serde_json::json!(["https://other.test/mcp", RESOURCE]);
    assert_echo_ok(&with_token(&app, echo(), &rs256(&listed)).await);
    for foreign in [
        serde_json::json!(["https://other.test/mcp"]),
        serde_json::json!([]),
        serde_json::json!(""),
    ] {
        let mut claims = claims("csf:read");
        claims["aud"] = foreign.clone();
        let answer = with_token(&app, echo(), &rs256(&claims)).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "aud {foreign}");
    }
}

#[tokio::test]
async fn exp_iss_and_aud_are_required() {
    let app = app(&TestServer::new());
    for claim in ["exp", "iss", "aud"] {
        let mut partial = claims("csf:admin");
        partial.as_object_mut().unwrap().remove(claim);
        let answer = with_token(&app, echo(), &rs256(&partial)).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "without {claim}");
        assert!(
            answer.challenge().contains("missing required claim"),
            "without {claim}: {}",
            answer.challenge()
        );
    }
}

#[tokio::test]
async fn clock_skew_allowance_is_bounded() {
    use csf_transport::auth::oauth::LEEWAY_SECS;
    let app = app(&TestServer::new());
    let within = LEEWAY_SECS / 2;
    let beyond = LEEWAY_SECS + 30;
    let mut just_expired = claims("csf:read");
    just_expired["exp"] = serde_json::json!(now() - within);
    assert_echo_ok(&with_token(&app, echo(), &rs256(&just_expired)).await);
    let mut long_expired = claims("csf:read");
    long_expired["exp"] = serde_json::json!(now() - beyond);
    assert_invalid(
        &with_token(&app, echo(), &rs256(&long_expired)).await,
        "expired",
    );
    let mut nearly_valid = claims("csf:read");
    nearly_valid["nbf"] = serde_json::json!(now() + within);
    assert_echo_ok(&with_token(&app, echo(), &rs256(&nearly_valid)).await);
    let mut future = claims("csf:read");
    future["nbf"] = serde_json::json!(now() + beyond);
    assert_invalid(
        &with_token(&app, echo(), &rs256(&future)).await,
        "not yet valid",
    );
}

#[tokio::test]
async fn kid_selects_the_key_and_must_match_the_algorithm() {
    let app = app(&TestServer::new());
    let unknown = token(Algorithm::RS256, "rsa-9", &keys().rsa, &claims("csf:read"));
    assert_invalid(&with_token(&app, echo(), &unknown).await, "no key matches");
    // The EC key's kid on an RS256 token: the key exists, but not for this algorithm.
    let crossed = token(Algorithm::RS256, "ec-1", &keys().rsa, &claims("csf:read"));
    assert_invalid(&with_token(&app, echo(), &crossed).await, "no key matches");
    // No kid: every key of the token's algorithm is tried, and only a real signature passes.
    let header = Header::new(Algorithm::RS256);
    let kidless = encode(&header, &claims("csf:read"), &keys().rsa).unwrap();
    assert_echo_ok(&with_token(&app, echo(), &kidless).await);
    let forged = encode(&header, &claims("csf:read"), &keys().rsa_other).unwrap();
    assert_invalid(&with_token(&app, echo(), &forged).await, "bad signature");
}

#[tokio::test]
async fn tokens_must_name_a_printable_subject() {
    let app = app(&TestServer::new());
    let mut client = claims("csf:read");
    client.as_object_mut().unwrap().remove("sub");
    client["client_id"] = serde_json::json!("ci-runner");
    let answer = with_token(&app, whoami(), &rs256(&client)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    // A client id is not a subject: it gets a name space of its own.
    assert_eq!(
        answer.json()["result"]["content"][0]["text"],
        "oauth-client:ci-runner"
    );

    let mut nobody = claims("csf:admin");
    nobody.as_object_mut().unwrap().remove("sub");
    assert_invalid(
        &with_token(&app, echo(), &rs256(&nobody)).await,
        "names no subject",
    );
    nobody["sub"] = serde_json::json!("");
    assert_invalid(
        &with_token(&app, echo(), &rs256(&nobody)).await,
        "names no subject",
    );
    for forged in [
        "alice\nINFO refused: bob",
        "admin\u{202e}txt.exe",
        "a\u{2066}b",
    ] {
        let mut claims = claims("csf:read");
        claims["sub"] = serde_json::json!(forged);
        assert_invalid(
            &with_token(&app, echo(), &rs256(&claims)).await,
            "not a printable name",
        );
    }
}

#[tokio::test]
async fn every_method_needs_a_scope() {
    let app = app(&TestServer::new());
    let unscoped = rs256(&claims("openid profile"));
    for method in ["GET", "DELETE", "PUT", "PURGE", "X-ANYTHING"] {
        let bearer = format!("Bearer {unscoped}");
        let answer = send(&app, request(method, "/mcp", &[("authorization", &bearer)])).await;
        assert_refused(&answer, StatusCode::FORBIDDEN, "insufficient_scope");
    }
}

#[tokio::test]
async fn scope_names_are_matched_exactly() {
    let server = TestServer::new();
    let app = app(&server);
    for near_miss in [
        "CSF:WRITE",
        "csf:Write",
        "Csf:write",
        "csf:write:",
        "csf:writer",
    ] {
        let answer = with_token(&app, record(), &rs256(&claims(near_miss))).await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{near_miss}: {}",
            answer.body
        );
    }
    let mut listed = claims("");
    listed["scp"] = serde_json::json!(["CSF:WRITE", "csf:READ"]);
    let answer = with_token(&app, echo(), &rs256(&listed)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    assert_eq!(server.writes(), 0);
    let exact = with_token(&app, record(), &rs256(&claims("openid csf:write"))).await;
    assert_eq!(exact.status, StatusCode::OK, "{}", exact.body);
    assert_eq!(server.writes(), 1);
}

#[tokio::test]
async fn bearer_scheme_variants_and_repeated_headers() {
    let app = app(&TestServer::new());
    let good = rs256(&claims("csf:read"));
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let answer = call(
            &app,
            echo(),
            &[("authorization", &format!("{scheme} {good}"))],
        )
        .await;
        assert_echo_ok(&answer);
    }
    for empty in ["Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", &good] {
        let answer = call(&app, echo(), &[("authorization", empty)]).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{empty:?}");
    }
    // Two Authorization headers, one of them valid: refused, whichever comes first.
    let bad = token(
        Algorithm::RS256,
        "rsa-1",
        &keys().rsa_other,
        &claims("csf:admin"),
    );
    for (first, second) in [(&good, &bad), (&bad, &good)] {
        let answer = call(
            &app,
            echo(),
            &[
                ("authorization", &format!("Bearer {first}")),
                ("authorization", &format!("Bearer {second}")),
            ],
        )
        .await;
        assert_invalid(&answer, "more than one credential header");
    }
}

#[test]
fn jwks_reload_rotates_keys_revokes_on_an_empty_set_and_keeps_them_on_a_bad_file() {
    use csf_transport::auth::jwks::{JwksHealth, JwksReload};
    use csf_transport::auth::oauth::OAuthValidator;
    let path =
        std::env::temp_dir().join(format!("csf-transport-rotate-{}.json", std::process::id()));
    let write_set = |key: &EncodingKey| {
        let jwk = with_kid(
            Jwk::from_encoding_key(key, Algorithm::RS256).unwrap(),
            "rot",
        );
        std::fs::write(
            &path,
            serde_json::to_vec(&JwkSet { keys: vec![jwk] }).unwrap(),
        )
        .unwrap();
    };
    write_set(&keys().rsa);
    let validator = OAuthValidator::load(OAuthConfig {
        issuer: ISSUER.into(),
        audience: RESOURCE.into(),
        resource: RESOURCE.into(),
        jwks_file: path.clone(),
        jwks_refresh: std::time::Duration::ZERO,
        jwks_max_stale: std::time::Duration::from_secs(900),
        scope_prefix: "csf:".into(),
    })
    .unwrap();
    let old = token(Algorithm::RS256, "rot", &keys().rsa, &claims("csf:read"));
    let new = token(
        Algorithm::RS256,
        "rot",
        &keys().rsa_other,
        &claims("csf:read"),
    );
    assert!(validator.validate(&old).is_ok());
    assert!(validator.validate(&new).is_err());

    write_set(&keys().rsa_other);
    assert_eq!(validator.reload(), JwksReload::Loaded(1));
    assert!(
        validator.validate(&old).is_err(),
        "a retired key no longer verifies"
    );
    assert!(validator.validate(&new).is_ok());

    std::fs::write(&path, b"{ not json").unwrap();
    assert!(matches!(validator.reload(), JwksReload::Unreadable { .. }));
    assert!(
        validator.validate(&new).is_ok(),
        "a file that cannot be read keeps the keys in force (for --oauth-jwks-max-stale)"
    );
    assert!(matches!(validator.key_health(), JwksHealth::Stale { .. }));
    for withdrawn in [
        &br#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#[..],
        br#"{"keys":[]}"#,
    ] {
        write_set(&keys().rsa_other);
        assert_eq!(validator.reload(), JwksReload::Loaded(1));
        std::fs::write(&path, withdrawn).unwrap();
        assert_eq!(validator.reload(), JwksReload::NoUsableKey);
        assert!(
            validator.validate(&new).is_err(),
            "a JWKS without a usable key trusts nothing"
        );
        assert_eq!(validator.key_health(), JwksHealth::NoKeys);
    }
    std::fs::remove_file(&path).unwrap();
}
