//! Shared helpers: requests as MCP clients send them, and an app around the test server.

use std::time::Duration;

use axum::body::Body;
use axum::Router;
use http::{HeaderMap, Request, StatusCode};
use tower::ServiceExt;

use crate::handler::{classify, TestServer};
use csf_transport::http::{app, Hooks, Lifecycle};
use csf_transport::HttpConfig;

pub const HOST: &str = "127.0.0.1:8080";

pub fn config() -> HttpConfig {
    HttpConfig::new(HOST.parse().unwrap())
}

/// The app around `server` (shared, so tests can read its write counter).
pub fn router(config: &HttpConfig, server: &TestServer) -> Router {
    let server = server.clone();
    app(
        config,
        move || server.clone(),
        Hooks::new(classify),
        &Lifecycle::new(),
    )
    .unwrap()
}

pub fn post(body: String) -> http::request::Builder {
    Request::post("/mcp")
        .header("host", HOST)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("content-length", body.len())
}

pub fn tool_call(tool: &str, args: serde_json::Value) -> String {
    serde_json::json!({
        "jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": { "name": tool, "arguments": args }
    })
    .to_string()
}

pub fn echo() -> String {
    tool_call("echo", serde_json::json!({ "text": "hi" }))
}

pub fn record() -> String {
    tool_call("record", serde_json::json!({ "value": "x" }))
}

#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn challenge(&self) -> &str {
        self.headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A request without a body (any method, extension methods included) with extra headers.
pub fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut builder = Request::builder()
        .method(http::Method::from_bytes(method.as_bytes()).unwrap())
        .uri(path)
        .header("host", HOST);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::empty()).unwrap()
}

/// [`call`] on a task of its own (to hold a slot while the test goes on).
pub fn spawn_call(
    router: &Router,
    body: String,
    headers: &'static [(&'static str, &'static str)],
) -> tokio::task::JoinHandle<Answer> {
    let router = router.clone();
    tokio::spawn(async move { call(&router, body, headers).await })
}

/// Sends a JSON-RPC body with optional extra headers.
pub async fn call(router: &Router, body: String, headers: &[(&str, &str)]) -> Answer {
    let mut builder = post(body.clone());
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    send(router, builder.body(Body::from(body)).unwrap()).await
}

/// Asserts a refusal: its status and its `error` code.
pub fn assert_refused(answer: &Answer, status: StatusCode, error: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert!(answer.body.contains(error), "{}", answer.body);
}

/// Asserts a successful `echo` answer.
pub fn assert_echo_ok(answer: &Answer) {
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let json = answer.json();
    assert_eq!(json["result"]["content"][0]["text"], "hi", "{json}");
}

/// A running server on a real loopback socket.
pub struct Served {
    pub addr: String,
    pub stop: tokio::sync::oneshot::Sender<()>,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Serves the test app on 127.0.0.1 (a free port) until `stop` is sent, draining for `grace`.
pub async fn serve_on_loopback(grace: Duration, limits: csf_transport::ConnectionLimits) -> Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let config = HttpConfig::new(addr.parse().unwrap());
    let server = TestServer::new();
    let lifecycle = Lifecycle::new();
    let router = app(
        &config,
        move || server.clone(),
        Hooks::new(classify),
        &lifecycle,
    )
    .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(csf_transport::http::run_with_limits(
        listener,
        router,
        lifecycle,
        async move {
            let _ = stopped.await;
        },
        grace,
        limits,
    ));
    Served { addr, stop, task }
}

/// How long [`trickled`] bodies stall: far longer than the 100 ms a body may keep its slot.
pub const SLOW: Duration = Duration::from_secs(3);

/// `request` with a chunked body that sends all but the last `tail_len` bytes of `body`, waits
/// `pause`, then sends the rest.
pub fn trickled(
    request: http::request::Builder,
    body: &str,
    tail_len: usize,
    pause: Duration,
) -> Request<Body> {
    let (head, tail) = body.split_at(body.len() - tail_len);
    let (head, tail) = (head.to_string(), tail.to_string());
    let trickle = futures::stream::unfold(0, move |step| {
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
    let mut request = request.body(Body::from_stream(trickle)).unwrap();
    request.headers_mut().remove("content-length");
    request
}

/// Calls until the answer is not a "too many requests in flight" 503 (a slow body may hold
/// the slot for its first 100 ms, longer on a loaded machine), for at most 2 s.
pub async fn call_until_not_shed(router: &Router, body: String) -> Answer {
    let started = std::time::Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let answer = call(router, body.clone(), &[]).await;
        let shed = answer.status == StatusCode::SERVICE_UNAVAILABLE
            && answer.body.contains("requests in flight");
        if !shed || started.elapsed() > Duration::from_secs(2) {
            return answer;
        }
    }
}
