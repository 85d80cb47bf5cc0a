//! Per-principal shares: one key cannot take every session place nor every concurrency slot;
//! the other keys keep theirs.

use axum::body::Body;
use csf_transport::auth::api_key::ApiKey;
use csf_transport::config::AuthConfig;
use csf_transport::hash_key;
use http::{Request, StatusCode};

use crate::handler::TestServer;
use crate::support::*;

const ALICE: &str = "alice-quota-key-1";
const BOB: &str = "bob-quota-key-2";
const VERSION: &str = "2025-06-18";

fn two_keys() -> csf_transport::HttpConfig {
    let mut config = config();
    config.auth = AuthConfig::ApiKeys(vec![
        ApiKey::parse(&format!("alice:read+write:{}", hash_key(ALICE))).unwrap(),
        ApiKey::parse(&format!("bob:read+write:{}", hash_key(BOB))).unwrap(),
    ]);
    config
}

fn initialize() -> String {
    serde_json::json!({
        "jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": {
            "protocolVersion": VERSION,
            "capabilities": {},
            "clientInfo": { "name": "quota-test", "version": "1" }
        }
    })
    .to_string()
}

#[tokio::test]
async fn one_principal_cannot_take_every_session() {
    let mut config = two_keys();
    config.sessions = true;
    config.max_sessions = 4;
    config.max_sessions_per_principal = 2;
    let app = router(&config, &TestServer::new());
    let mut alice = Vec::new();
    for _ in 0..2 {
        let opened = call(&app, initialize(), &[("x-api-key", ALICE)]).await;
        assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
        alice.push(
            opened.headers["mcp-session-id"]
                .to_str()
                .unwrap()
                .to_string(),
        );
    }
    let refused = call(&app, initialize(), &[("x-api-key", ALICE)]).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("too_many_sessions"),
        "{}",
        refused.body
    );
    assert_eq!(refused.headers["retry-after"], "10");
    let bob = call(&app, initialize(), &[("x-api-key", BOB)]).await;
    assert_eq!(
        bob.status,
        StatusCode::OK,
        "bob keeps his share: {}",
        bob.body
    );

    // Ending one of her sessions gives Alice a place back.
    let delete = Request::delete("/mcp")
        .header("host", HOST)
        .header("x-api-key", ALICE)
        .header("mcp-session-id", &alice[0])
        .header("mcp-protocol-version", VERSION)
        .body(Body::empty())
        .unwrap();
    assert!(send(&app, delete).await.status.is_success());
    let again = call(&app, initialize(), &[("x-api-key", ALICE)]).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let metrics = send(
        &app,
        Request::get("/metrics")
            .header("host", HOST)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        metrics
            .body
            .contains(r#"http_rejected_requests_total{reason="principal_sessions_full"} 1"#),
        "{}",
        metrics.body
    );
}

#[tokio::test]
async fn one_principal_cannot_take_every_slot() {
    let mut config = two_keys();
    config.max_concurrent = 4;
    config.max_concurrent_per_principal = 2;
    let app = router(&config, &TestServer::new());
    let wait = || tool_call("wait", serde_json::json!({ "ms": 600 }));
    let slow: Vec<_> = (0..2)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { call(&app, wait(), &[("x-api-key", ALICE)]).await })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let third = call(&app, echo(), &[("x-api-key", ALICE)]).await;
    assert_eq!(
        third.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        third.body
    );
    assert!(third.body.contains("too_many_in_flight"), "{}", third.body);
    assert_eq!(third.headers["retry-after"], "1");
    assert_echo_ok(&call(&app, echo(), &[("x-api-key", BOB)]).await);
    for task in slow {
        assert_eq!(task.await.unwrap().status, StatusCode::OK);
    }
    // Her share is back once the slow calls are answered.
    assert_echo_ok(&call(&app, echo(), &[("x-api-key", ALICE)]).await);
}

#[tokio::test]
async fn without_authentication_the_global_caps_apply() {
    let mut config = config();
    config.max_concurrent = 4;
    config.max_concurrent_per_principal = 1;
    let app = router(&config, &TestServer::new());
    let wait = || tool_call("wait", serde_json::json!({ "ms": 400 }));
    let slow = {
        let app = app.clone();
        tokio::spawn(async move { call(&app, wait(), &[]).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_echo_ok(&call(&app, echo(), &[]).await);
    assert_eq!(slow.await.unwrap().status, StatusCode::OK);
}
