//! Credential headers in API-key mode: scheme case, empty values, repeated headers and two
//! different credentials in one request. Ambiguity is refused, never resolved by picking one.

use csf_transport::auth::api_key::ApiKey;
use csf_transport::config::AuthConfig;
use csf_transport::hash_key;
use http::StatusCode;

use crate::handler::TestServer;
use crate::support::*;

const READER: &str = "reader-secret-3";
const ADMIN: &str = "admin-secret-4";

fn keyed() -> axum::Router {
    let mut config = config();
    config.auth = AuthConfig::ApiKeys(vec![
        ApiKey::parse(&format!("reader:read:{}", hash_key(READER))).unwrap(),
        ApiKey::parse(&format!("admin:read+write+admin:{}", hash_key(ADMIN))).unwrap(),
    ]);
    router(&config, &TestServer::new())
}

fn refused(answer: &Answer, why: &str) {
    assert_eq!(
        answer.status,
        StatusCode::UNAUTHORIZED,
        "{why}: {}",
        answer.body
    );
    assert!(
        !answer.body.contains(READER) && !answer.body.contains(ADMIN),
        "{why}: a key was echoed: {}",
        answer.body
    );
}

#[tokio::test]
async fn bearer_scheme_in_any_case() {
    let app = keyed();
    for scheme in ["Bearer", "bearer", "BEARER", "BeArEr"] {
        let value = format!("{scheme} {READER}");
        assert_echo_ok(&call(&app, echo(), &[("authorization", &value)]).await);
    }
    let basic = call(
        &app,
        echo(),
        &[("authorization", &format!("Basic {READER}"))],
    )
    .await;
    refused(&basic, "another scheme is not a bearer token");
}

#[tokio::test]
async fn empty_credentials_are_missing_credentials() {
    let app = keyed();
    for (name, value) in [
        ("authorization", "Bearer"),
        ("authorization", "Bearer    "),
        ("x-api-key", ""),
        ("x-api-key", "   "),
    ] {
        let answer = call(&app, echo(), &[(name, value)]).await;
        refused(&answer, &format!("{name}: {value:?}"));
        assert_eq!(
            answer.challenge(),
            r#"Bearer realm="mcp""#,
            "no credential was presented, so no error code"
        );
    }
}

#[tokio::test]
async fn repeated_credential_headers_are_refused() {
    let app = keyed();
    let reader = format!("Bearer {READER}");
    let admin = format!("Bearer {ADMIN}");
    for (first, second) in [(&reader, &admin), (&admin, &reader), (&reader, &reader)] {
        let answer = call(
            &app,
            echo(),
            &[("authorization", first), ("authorization", second)],
        )
        .await;
        refused(&answer, "two Authorization headers");
        assert!(answer
            .challenge()
            .contains("more than one credential header"));
    }
    let answer = call(&app, echo(), &[("x-api-key", READER), ("x-api-key", ADMIN)]).await;
    refused(&answer, "two X-API-Key headers");
}

#[tokio::test]
async fn two_different_credentials_are_refused() {
    let app = keyed();
    let bearer_reader = format!("Bearer {READER}");
    let bearer_admin = format!("Bearer {ADMIN}");
    for (authorization, api_key) in [
        (&bearer_reader, ADMIN),
        (&bearer_admin, READER),
        (&bearer_reader, "wrong"),
    ] {
        let answer = call(
            &app,
            echo(),
            &[("authorization", authorization), ("x-api-key", api_key)],
        )
        .await;
        refused(&answer, "Authorization and X-API-Key differ");
    }
    // The same key in both places is not ambiguous.
    let same = call(
        &app,
        echo(),
        &[("authorization", &bearer_reader), ("x-api-key", READER)],
    )
    .await;
    assert_echo_ok(&same);
    // An empty Bearer does not hide a valid X-API-Key.
    let answer = call(
        &app,
        echo(),
        &[("authorization", "Bearer"), ("x-api-key", READER)],
    )
    .await;
    assert_echo_ok(&answer);
}
