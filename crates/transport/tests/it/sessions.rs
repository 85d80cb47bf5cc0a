//! `--sessions` mode: a session belongs to the principal that created it. Another principal who
//! learns the id gets 404 for every method (POST, GET, DELETE), writes nothing through it and
//! cannot end it; the owner keeps using it.

use axum::body::Body;
use csf_transport::auth::api_key::ApiKey;
use csf_transport::config::AuthConfig;
use csf_transport::hash_key;
use http::{Request, StatusCode};

use crate::handler::TestServer;
use crate::support::*;

pub(crate) const ALICE: &str = "alice-secret-key-1";
pub(crate) const BOB: &str = "bob-secret-key-2";
pub(crate) const VERSION: &str = "2025-06-18";

/// Sessions mode with two read+write keys, `alice` and `bob`.
pub(crate) fn sessions_config() -> csf_transport::HttpConfig {
    let mut config = config();
    config.sessions = true;
    config.auth = AuthConfig::ApiKeys(vec![
        ApiKey::parse(&format!("alice:read+write:{}", hash_key(ALICE))).unwrap(),
        ApiKey::parse(&format!("bob:read+write:{}", hash_key(BOB))).unwrap(),
    ]);
    config
}

pub(crate) fn initialize() -> String {
    serde_json::json!({
        "jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": {
            "protocolVersion": VERSION,
            "capabilities": {},
            "clientInfo": { "name": "session-test", "version": "1" }
        }
    })
    .to_string()
}

/// Opens a session as `key` and completes the handshake; returns the session id.
async fn open_session(app: &axum::Router, key: &str) -> String {
    let opened = call(app, initialize(), &[("x-api-key", key)]).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    let id = opened.headers["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_string();
    let initialized = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.to_string();
    let answer = in_session(app, initialized, key, &id).await;
    assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.body);
    id
}

async fn in_session(app: &axum::Router, body: String, key: &str, id: &str) -> Answer {
    call(
        app,
        body,
        &[
            ("x-api-key", key),
            ("mcp-session-id", id),
            ("mcp-protocol-version", VERSION),
        ],
    )
    .await
}

fn without_body(method: http::Method, key: &str, id: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri("/mcp")
        .header("host", HOST)
        .header("accept", "text/event-stream")
        .header("x-api-key", key)
        .header("mcp-session-id", id)
        .header("mcp-protocol-version", VERSION)
        .body(Body::empty())
        .unwrap()
}

/// Status only: an accepted GET opens an SSE stream that never ends, so the body is not read.
async fn status_of(app: &axum::Router, request: Request<Body>) -> StatusCode {
    use tower::ServiceExt as _;
    app.clone().oneshot(request).await.unwrap().status()
}

#[tokio::test]
async fn another_principal_cannot_use_or_end_a_session() {
    let server = TestServer::new();
    let app = router(&sessions_config(), &server);
    let id = open_session(&app, ALICE).await;

    // Bob knows the id: every method is refused as if the session did not exist.
    let hijack = in_session(&app, record(), BOB, &id).await;
    assert_eq!(hijack.status, StatusCode::NOT_FOUND, "{}", hijack.body);
    assert!(!hijack.body.contains(&id), "the id is not echoed");
    assert_eq!(
        server.writes(),
        0,
        "nothing written through a foreign session"
    );
    assert_eq!(
        status_of(&app, without_body(http::Method::GET, BOB, &id)).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status_of(&app, without_body(http::Method::DELETE, BOB, &id)).await,
        StatusCode::NOT_FOUND
    );

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
            .contains(r#"http_rejected_requests_total{reason="unknown_session"} 3"#),
        "{}",
        metrics.body
    );

    // Alice's session survived Bob's DELETE and still works.
    let own = in_session(&app, record(), ALICE, &id).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert!(own.body.contains("write #1"), "{}", own.body);
    assert_eq!(server.writes(), 1);
    assert_eq!(
        status_of(&app, without_body(http::Method::GET, ALICE, &id)).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn unknown_and_ended_sessions_are_404() {
    let app = router(&sessions_config(), &TestServer::new());
    let made_up = "00000000-0000-4000-8000-000000000000";
    assert_eq!(
        in_session(&app, echo(), ALICE, made_up).await.status,
        StatusCode::NOT_FOUND
    );
    let id = open_session(&app, ALICE).await;
    let ended = status_of(&app, without_body(http::Method::DELETE, ALICE, &id)).await;
    assert!(ended.is_success(), "{ended}");
    assert_eq!(
        in_session(&app, echo(), ALICE, &id).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn each_principal_keeps_its_own_session() {
    let server = TestServer::new();
    let app = router(&sessions_config(), &server);
    let alice = open_session(&app, ALICE).await;
    let bob = open_session(&app, BOB).await;
    assert_ne!(alice, bob);
    let whoami = || tool_call("whoami", serde_json::json!({}));
    let as_alice = in_session(&app, whoami(), ALICE, &alice).await;
    assert_eq!(as_alice.status, StatusCode::OK, "{}", as_alice.body);
    assert!(as_alice.body.contains("alice"), "{}", as_alice.body);
    assert_eq!(
        in_session(&app, whoami(), ALICE, &bob).await.status,
        StatusCode::NOT_FOUND
    );
    let as_bob = in_session(&app, whoami(), BOB, &bob).await;
    assert_eq!(as_bob.status, StatusCode::OK, "{}", as_bob.body);
    assert!(as_bob.body.contains("bob"), "{}", as_bob.body);
}

#[tokio::test]
async fn new_sessions_over_the_cap_get_503_until_one_ends() {
    let mut config = sessions_config();
    config.max_sessions = 2;
    let app = router(&config, &TestServer::new());
    let first = open_session(&app, ALICE).await;
    open_session(&app, BOB).await;

    let refused = call(&app, initialize(), &[("x-api-key", ALICE)]).await;
    assert_eq!(
        refused.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        refused.body
    );
    assert_eq!(refused.headers["retry-after"], "10");
    assert_eq!(refused.headers["connection"], "close");
    assert!(
        refused.body.contains("too_many_sessions"),
        "{}",
        refused.body
    );

    // Live sessions keep working at the cap.
    let answer = in_session(&app, echo(), ALICE, &first).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);

    let ended = status_of(&app, without_body(http::Method::DELETE, ALICE, &first)).await;
    assert!(ended.is_success(), "{ended}");
    open_session(&app, ALICE).await;
}

#[tokio::test]
async fn initializes_that_waited_for_their_bodies_do_not_pass_the_session_cap() {
    let mut config = sessions_config();
    config.max_sessions = 1;
    config.max_concurrent = 2; // both slow initializes can wait for their bodies
    let app = router(&config, &TestServer::new());
    // Both pass the cap when their headers arrive (no session yet), then wait for their bodies
    // without a slot; only one may open a session when they are complete.
    let slow: Vec<_> = [ALICE, BOB]
        .into_iter()
        .map(|key| {
            let app = app.clone();
            tokio::spawn(async move {
                let request = post(String::new()).header("x-api-key", key);
                send(&app, trickled(request, &initialize(), 5, SLOW)).await
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in slow {
        let answer = task.await.unwrap();
        if answer.status == StatusCode::SERVICE_UNAVAILABLE {
            assert!(answer.body.contains("too_many_sessions"), "{}", answer.body);
        }
        statuses.push(answer.status);
    }
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::SERVICE_UNAVAILABLE],
        "one session at most"
    );
}
