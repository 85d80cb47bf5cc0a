//! Body size, overload shedding, timeout and per-principal rate limit.

use std::time::Duration;

use axum::body::Body;
use csf_transport::auth::api_key::ApiKey;
use csf_transport::config::AuthConfig;
use csf_transport::hash_key;
use csf_transport::limits::RateLimit;
use futures::stream;
use http::StatusCode;

use crate::handler::TestServer;
use crate::support::*;

fn wait(ms: u64) -> String {
    tool_call("wait", serde_json::json!({ "ms": ms }))
}

#[tokio::test]
async fn oversized_body_gets_413() {
    let mut config = config();
    config.max_body = 1024;
    let app = router(&config, &TestServer::new());
    let big = tool_call("echo", serde_json::json!({ "text": "x".repeat(2000) }));
    assert_eq!(
        call(&app, big.clone(), &[]).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );

    // Without Content-Length (chunked), the limit holds while streaming.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = big
        .into_bytes()
        .chunks(256)
        .map(|c| Ok(c.to_vec()))
        .collect();
    let mut request = post(String::new())
        .body(Body::from_stream(stream::iter(chunks)))
        .unwrap();
    request.headers_mut().remove("content-length");
    assert_eq!(
        send(&app, request).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_echo_ok(&call(&app, echo(), &[]).await);
}

#[tokio::test]
async fn a_body_that_breaks_off_is_400_not_413() {
    let app = router(&config(), &TestServer::new());
    // What hyper hands over for bad chunk framing: some bytes, then a read error.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(br#"{"jsonrpc":"2.0","#.to_vec()),
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "invalid chunk size line",
        )),
    ];
    let mut request = post(String::new())
        .body(Body::from_stream(stream::iter(chunks)))
        .unwrap();
    request.headers_mut().remove("content-length");
    let answer = send(&app, request).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    assert!(
        answer.body.contains("malformed request body"),
        "{}",
        answer.body
    );
    assert_echo_ok(&call(&app, echo(), &[]).await);
}

#[tokio::test]
async fn overload_sheds_with_retry_after_then_recovers() {
    let mut config = config();
    config.max_concurrent = 2;
    let app = router(&config, &TestServer::new());
    let slow: Vec<_> = (0..2)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { call(&app, wait(400), &[]).await.status })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let shed = call(&app, echo(), &[]).await;
    assert_eq!(
        shed.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        shed.body
    );
    assert_eq!(shed.headers["retry-after"], "1");
    for task in slow {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    assert_echo_ok(&call(&app, echo(), &[]).await);
}

#[tokio::test]
async fn slow_request_times_out_with_504() {
    let mut config = config();
    config.timeout = Duration::from_millis(150);
    let app = router(&config, &TestServer::new());
    assert_eq!(
        call(&app, wait(2000), &[]).await.status,
        StatusCode::GATEWAY_TIMEOUT
    );
    assert_echo_ok(&call(&app, echo(), &[]).await);
}

#[tokio::test]
async fn slow_body_is_cut_off_by_the_timeout() {
    let mut config = config();
    config.timeout = Duration::from_millis(150);
    config.max_concurrent = 1;
    let app = router(&config, &TestServer::new());
    let answer = send(
        &app,
        trickled(post(String::new()), &echo(), 10, Duration::from_secs(2)),
    )
    .await;
    assert_eq!(answer.status, StatusCode::GATEWAY_TIMEOUT);
    assert_echo_ok(&call(&app, echo(), &[]).await);
}

/// An echo call whose body stalls for [`SLOW`] before its last 10 bytes.
fn spawn_slow_echo(app: &axum::Router) -> tokio::task::JoinHandle<Answer> {
    let app = app.clone();
    tokio::spawn(async move { send(&app, trickled(post(String::new()), &echo(), 10, SLOW)).await })
}

#[tokio::test]
async fn slow_uploads_give_their_slot_back_and_beyond_the_waiting_cap_are_refused() {
    let mut config = config();
    config.max_concurrent = 1; // one slot, and one place to wait for a slow body
    let app = router(&config, &TestServer::new());
    let first = spawn_slow_echo(&app);
    // The only slot is given back 100 ms into the slow body: an ordinary call is then served
    // while the slow body is still arriving (it waits for its body without a slot).
    assert_echo_ok(&call_until_not_shed(&app, echo()).await);
    assert!(
        !first.is_finished(),
        "served only after the slow body was done"
    );
    // The second takes the slot, and 100 ms later finds no place to wait.
    let second = spawn_slow_echo(&app).await.unwrap();
    assert_eq!(
        second.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        second.body
    );
    assert!(second.body.contains("slow uploads"), "{}", second.body);
    assert_eq!(second.headers["retry-after"], "1");
    // Fast calls are not affected, and the waiting upload completes.
    assert_echo_ok(&call(&app, echo(), &[]).await);
    assert!(
        !first.is_finished(),
        "the first slow body is still arriving"
    );
    assert_echo_ok(&first.await.unwrap());
}

#[tokio::test]
async fn rate_limit_is_per_principal() {
    let mut config = config();
    config.auth = AuthConfig::ApiKeys(vec![
        ApiKey::parse(&format!("a:read:{}", hash_key("key-a"))).unwrap(),
        ApiKey::parse(&format!("b:read:{}", hash_key("key-b"))).unwrap(),
    ]);
    config.rate_limit = Some(RateLimit {
        per_second: 1.0,
        burst: 2.0,
    });
    let app = router(&config, &TestServer::new());
    for _ in 0..2 {
        assert_echo_ok(&call(&app, echo(), &[("x-api-key", "key-a")]).await);
    }
    let limited = call(&app, echo(), &[("x-api-key", "key-a")]).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers["retry-after"], "1");
    assert_echo_ok(&call(&app, echo(), &[("x-api-key", "key-b")]).await);
}
