//! No auth on loopback, API keys, and scope enforcement (a refused write writes nothing).

use axum::body::Body;
use csf_transport::auth::api_key::ApiKey;
use csf_transport::config::AuthConfig;
use csf_transport::hash_key;
use http::StatusCode;

use crate::handler::TestServer;
use crate::support::*;

const READER: &str = "reader-secret-1";
const WRITER: &str = "writer-secret-2";

fn keyed() -> csf_transport::HttpConfig {
    let mut config = config();
    config.auth = AuthConfig::ApiKeys(vec![
        ApiKey::parse(&format!("reader:read:{}", hash_key(READER))).unwrap(),
        ApiKey::parse(&format!("writer:read+write:{}", hash_key(WRITER))).unwrap(),
    ]);
    config
}

#[tokio::test]
async fn stateless_json_without_auth_on_loopback() {
    let server = TestServer::new();
    let app = router(&config(), &server);
    let answer = call(&app, echo(), &[]).await;
    assert_echo_ok(&answer);
    assert!(answer.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert!(
        answer.headers.get("mcp-session-id").is_none(),
        "stateless mode sets no session"
    );
    assert_eq!(call(&app, record(), &[]).await.status, StatusCode::OK);
    assert_eq!(server.writes(), 1);
}

#[tokio::test]
async fn missing_and_wrong_keys_get_401_with_a_challenge() {
    let app = router(&keyed(), &TestServer::new());
    let none = call(&app, echo(), &[]).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.challenge(), r#"Bearer realm="mcp""#);
    let wrong = call(&app, echo(), &[("authorization", "Bearer not-a-key")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong.challenge().contains(r#"error="invalid_token""#),
        "{}",
        wrong.challenge()
    );
    assert!(
        !wrong.body.contains("not-a-key"),
        "the presented key is never echoed"
    );
    let wrong_header = call(&app, echo(), &[("x-api-key", "nope")]).await;
    assert_eq!(wrong_header.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn valid_keys_by_bearer_or_header() {
    let app = router(&keyed(), &TestServer::new());
    assert_echo_ok(
        &call(
            &app,
            echo(),
            &[("authorization", &format!("Bearer {READER}"))],
        )
        .await,
    );
    assert_echo_ok(&call(&app, echo(), &[("x-api-key", READER)]).await);
}

#[tokio::test]
async fn handlers_see_the_principal() {
    let app = router(&keyed(), &TestServer::new());
    let answer = call(
        &app,
        tool_call("whoami", serde_json::json!({})),
        &[("x-api-key", WRITER)],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["result"]["content"][0]["text"], "writer");

    let server = TestServer::new();
    let tagged = csf_transport::http::app(
        &keyed(),
        move || server.clone(),
        csf_transport::Hooks::new(crate::handler::classify).on_authenticated(
            |principal, extensions| {
                extensions.insert(crate::handler::CallerTag(format!("tag:{}", principal.name)));
            },
        ),
        &csf_transport::Lifecycle::new(),
    )
    .unwrap();
    let answer = call(
        &tagged,
        tool_call("whoami", serde_json::json!({})),
        &[("x-api-key", READER)],
    )
    .await;
    assert_eq!(answer.json()["result"]["content"][0]["text"], "tag:reader");
}

#[tokio::test]
async fn read_scope_cannot_write_and_nothing_is_written() {
    let server = TestServer::new();
    let app = router(&keyed(), &server);
    let refused = call(&app, record(), &[("x-api-key", READER)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(
        refused
            .challenge()
            .contains(r#"error="insufficient_scope""#),
        "{}",
        refused.challenge()
    );
    assert!(
        refused.challenge().contains(r#"scope="write""#),
        "{}",
        refused.challenge()
    );
    assert_eq!(server.writes(), 0);

    // A write hidden in a batch is refused too (batches are refused outright, as rmcp takes one
    // message per request).
    let batch = format!(
        "[{},{}]",
        echo(),
        record().replace(r#""id":1"#, r#""id":2"#)
    );
    let refused = call(&app, batch, &[("x-api-key", READER)]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], -32600);
    assert_eq!(server.writes(), 0);

    let allowed = call(&app, record(), &[("x-api-key", WRITER)]).await;
    assert_eq!(allowed.status, StatusCode::OK, "{}", allowed.body);
    assert_eq!(server.writes(), 1);
}

#[tokio::test]
async fn unreadable_bodies_are_refused_before_the_handler() {
    let server = TestServer::new();
    let app = router(&keyed(), &server);
    let sneaky = r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","name":"record","arguments":{"value":"x"}}}"#;
    let answer = call(&app, sneaky.to_string(), &[("x-api-key", READER)]).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    assert_eq!(answer.json()["error"]["code"], -32600, "{}", answer.body);
    let garbage = post("{nope".into())
        .header("x-api-key", READER)
        .body(Body::from("{nope"))
        .unwrap();
    assert_eq!(send(&app, garbage).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(server.writes(), 0);
}

/// Bodies in the shape of one JSON-RPC object that only rmcp's decoder refuses reach rmcp
/// (the gate no longer decodes every body as rmcp's message type); rmcp's bare 415 for them
/// becomes the gate's own 400 with the JSON-RPC error, and nothing runs.
#[tokio::test]
async fn bodies_only_rmcp_refuses_get_the_gates_refusal() {
    let server = TestServer::new();
    let app = router(&keyed(), &server);
    let old = record().replace(r#""2.0""#, r#""1.0""#);
    let answer = call(&app, old.clone(), &[("x-api-key", WRITER)]).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    assert_eq!(answer.json()["error"]["code"], -32600, "{}", answer.body);
    let message = answer.json()["error"]["message"].to_string();
    assert!(message.contains("JSON-RPC 2.0"), "{message}");

    let huge = tool_call("record", serde_json::json!({ "value": 1 })).replace("1}", "1e400}");
    let answer = call(&app, huge, &[("x-api-key", WRITER)]).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    assert_eq!(answer.json()["error"]["code"], -32700, "{}", answer.body);
    assert_eq!(server.writes(), 0);

    // The scope is checked first: a reader naming a write tool is refused for its scope.
    let answer = call(&app, old, &[("x-api-key", READER)]).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);

    // A readable body with a wrong content type keeps rmcp's 415.
    let body = echo();
    let wrong_type = http::Request::post("/mcp")
        .header("host", HOST)
        .header("content-type", "text/plain")
        .header("accept", "application/json, text/event-stream")
        .header("x-api-key", READER)
        .body(Body::from(body))
        .unwrap();
    let answer = send(&app, wrong_type).await;
    assert_eq!(
        answer.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "{}",
        answer.body
    );
    assert_eq!(server.writes(), 0);
}
