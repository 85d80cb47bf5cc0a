//! Per-principal shares: one key cannot take every session place nor every concurrency slot;
//! the other keys keep theirs.

use http::StatusCode;

use crate::handler::TestServer;
use crate::sessions::{initialize, sessions_config, ALICE, BOB, VERSION};
use crate::support::*;

const AS_ALICE: &[(&str, &str)] = &[("x-api-key", ALICE)];
const AS_BOB: &[(&str, &str)] = &[("x-api-key", BOB)];

/// `/metrics` counts `n` requests turned away for `reason`.
async fn assert_rejected(app: &axum::Router, reason: &str, n: u32) {
    let metrics = send(app, request("GET", "/metrics", &[])).await.body;
    let line = format!(r#"http_rejected_requests_total{{reason="{reason}"}} {n}"#);
    assert!(metrics.contains(&line), "no {line} in\n{metrics}");
}

#[tokio::test]
async fn one_principal_cannot_take_every_session() {
    let mut config = sessions_config();
    config.max_sessions = 4;
    config.max_sessions_per_principal = 2;
    let app = router(&config, &TestServer::new());
    let mut alice = Vec::new();
    for _ in 0..2 {
        let opened = call(&app, initialize(), AS_ALICE).await;
        assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
        alice.push(
            opened.headers["mcp-session-id"]
                .to_str()
                .unwrap()
                .to_string(),
        );
    }
    let refused = call(&app, initialize(), AS_ALICE).await;
    assert_refused(&refused, StatusCode::TOO_MANY_REQUESTS, "too_many_sessions");
    assert_eq!(refused.headers["retry-after"], "10");
    let bob = call(&app, initialize(), AS_BOB).await;
    assert_eq!(
        bob.status,
        StatusCode::OK,
        "bob keeps his share: {}",
        bob.body
    );

    // Ending one of her sessions gives Alice a place back.
    let end = [
        ("x-api-key", ALICE),
        ("mcp-session-id", alice[0].as_str()),
        ("mcp-protocol-version", VERSION),
    ];
    assert!(send(&app, request("DELETE", "/mcp", &end))
        .await
        .status
        .is_success());
    let again = call(&app, initialize(), AS_ALICE).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_rejected(&app, "principal_sessions_full", 1).await;
}

#[tokio::test]
async fn one_principal_cannot_take_every_slot() {
    let mut config = sessions_config();
    config.sessions = false;
    config.max_concurrent = 4;
    config.max_concurrent_per_principal = 2;
    let app = router(&config, &TestServer::new());
    let wait = || tool_call("wait", serde_json::json!({ "ms": 600 }));
    let slow = [
        spawn_call(&app, wait(), AS_ALICE),
        spawn_call(&app, wait(), AS_ALICE),
    ];
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let third = call(&app, echo(), AS_ALICE).await;
    assert_refused(&third, StatusCode::TOO_MANY_REQUESTS, "too_many_in_flight");
    assert_eq!(third.headers["retry-after"], "1");
    assert_echo_ok(&call(&app, echo(), AS_BOB).await);
    for task in slow {
        assert_eq!(task.await.unwrap().status, StatusCode::OK);
    }
    // Her share is back once the slow calls are answered.
    assert_echo_ok(&call(&app, echo(), AS_ALICE).await);
    assert_rejected(&app, "principal_busy", 1).await;
}

#[tokio::test]
async fn without_authentication_the_global_caps_apply() {
    let mut config = config();
    config.max_concurrent = 4;
    config.max_concurrent_per_principal = 1;
    let app = router(&config, &TestServer::new());
    let slow = spawn_call(
        &app,
        tool_call("wait", serde_json::json!({ "ms": 400 })),
        &[],
    );
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_echo_ok(&call(&app, echo(), &[]).await);
    assert_eq!(slow.await.unwrap().status, StatusCode::OK);
}
