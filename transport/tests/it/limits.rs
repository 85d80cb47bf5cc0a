//! Body size, overload shedding, timeout and per-principal rate limit.

use std::time::Duration;

use axum::body::Body;
use csf_transport::auth::api_key::ApiKey;
use csf_transport::config::AuthConfig;
use csf_transport::hash_key;
use csf_transport::limits::RateLimit;
use futures::stream;
use http::Request;
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

/// A chunked POST of `body` that sends all but its last `tail_len` bytes, waits `pause`, then
/// sends the rest.
fn trickled(body: &str, tail_len: usize, pause: Duration) -> Request<Body> {
    let (head, tail) = body.split_at(body.len() - tail_len);
    let (head, tail) = (head.to_string(), tail.to_string());
    let trickle = stream::unfold(0, move |step| {
        let (head, tail) = (head.clone(), tail.clone());
        async move {
            match step {
                0 => Some((Ok::<_, std::io::Error>(head.into_bytes()), 1)),
                1 => {
                    tokio::time::sleep(pause).await;
                    Some((Ok(tail.into_bytes()), 2))
                }
                _ => None,
            }
        }
    });
    let mut request = post(String::new())
        .body(Body::from_stream(trickle))
        .unwrap();
    request.headers_mut().remove("content-length");
    request
}

#[tokio::test]
async fn slow_body_is_cut_off_by_the_timeout() {
    let mut config = config();
    config.timeout = Duration::from_millis(150);
    config.max_concurrent = 1;
    let app = router(&config, &TestServer::new());
    let answer = send(&app, trickled(&echo(), 10, Duration::from_secs(2))).await;
    assert_eq!(answer.status, StatusCode::GATEWAY_TIMEOUT);
    assert_echo_ok(&call(&app, echo(), &[]).await);
}

#[tokio::test]
async fn slow_body_does_not_hold_a_concurrency_slot() {
    let mut config = config();
    config.max_concurrent = 1;
    let app = router(&config, &TestServer::new());
    let slow = {
        let app = app.clone();
        tokio::spawn(
            async move { send(&app, trickled(&echo(), 10, Duration::from_millis(1500))).await },
        )
    };
    // Well past the slow body's 100 ms grace.
    tokio::time::sleep(Duration::from_millis(400)).await;
    // The only slot is free while the slow body arrives: an ordinary call is served.
    assert_echo_ok(&call(&app, echo(), &[]).await);
    assert_echo_ok(&slow.await.unwrap());
}

#[tokio::test]
async fn bodies_beyond_the_shared_budget_are_shed_until_one_is_done() {
    let mut config = config();
    config.max_body = 1024;
    config.max_concurrent = 1; // budget: 1 × 1024 bytes of bodies being received
    let app = router(&config, &TestServer::new());
    let big = tool_call("echo", serde_json::json!({ "text": "x".repeat(900) }));
    assert!(big.len() <= 1024 && big.len() + echo().len() > 1024);
    let slow = {
        let app = app.clone();
        tokio::spawn(
            async move { send(&app, trickled(&big, 10, Duration::from_millis(1500))).await },
        )
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    let shed = call(&app, echo(), &[]).await;
    assert_eq!(
        shed.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        shed.body
    );
    assert!(shed.body.contains("request bodies"), "{}", shed.body);
    assert_eq!(shed.headers["retry-after"], "1");
    assert_eq!(shed.headers["connection"], "close");
    assert_eq!(slow.await.unwrap().status, StatusCode::OK);
    // The finished body gave its share back.
    assert_echo_ok(&call(&app, echo(), &[]).await);
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
