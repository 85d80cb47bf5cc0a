//! /healthz, /readyz (hook), /metrics (requests, errors, rejections, process gauges).

use axum::body::Body;
use http::{Request, StatusCode};

use crate::handler::{classify, TestServer};
use crate::support::*;
use csf_transport::http::{app, Hooks, Lifecycle};
use csf_transport::metrics::request_series;

fn get(path: &str) -> Request<Body> {
    Request::get(path)
        .header("host", HOST)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn readiness_follows_the_hook() {
    let server = TestServer::new();
    let down = app(
        &config(),
        move || server.clone(),
        Hooks::new(classify).with_readiness(|| async { Err("store unreachable".to_string()) }),
        &Lifecycle::new(),
    )
    .unwrap();
    let answer = send(&down, get("/readyz")).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    // Anyone may ask: the reason goes to the log, the answer stays generic.
    assert_eq!(answer.body, "not ready\n");
    assert_eq!(send(&down, get("/healthz")).await.status, StatusCode::OK);

    let up = router(&config(), &TestServer::new());
    assert_eq!(send(&up, get("/readyz")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn draining_server_is_not_ready() {
    let server = TestServer::new();
    let lifecycle = Lifecycle::new();
    let app = app(
        &config(),
        move || server.clone(),
        Hooks::new(classify),
        &lifecycle,
    )
    .unwrap();
    lifecycle.begin_drain();
    assert_eq!(
        send(&app, get("/readyz")).await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn metrics_count_calls_errors_and_rejections() {
    let app = router(&config(), &TestServer::new());
    assert_echo_ok(&call(&app, echo(), &[]).await);
    let unknown = call(&app, tool_call("no_such_tool", serde_json::json!({})), &[]).await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(
        call(&app, echo(), &[("origin", "http://evil.example")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let answer = send(&app, get("/metrics")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/openmetrics-text"));
    for needle in [
        r#"mcp_requests_total{method="tools/call",tool="echo"} 1"#,
        r#"mcp_requests_total{method="tools/call",tool="unknown"} 1"#,
        r#"mcp_request_duration_seconds_count{method="tools/call",tool="echo"} 1"#,
        r#"http_rejected_requests_total{reason="forbidden_host"} 1"#,
        "mcp_requests_in_flight 0",
    ] {
        assert!(
            answer.body.contains(needle),
            "missing {needle}:\n{}",
            answer.body
        );
    }
    assert!(
        answer
            .body
            .contains(r#"mcp_request_errors_total{method="tools/call",tool="unknown",kind="#),
        "an unknown tool is counted as an error:\n{}",
        answer.body
    );
    // Process gauges, read from /proc at scrape time (Linux only).
    if !cfg!(target_os = "linux") {
        return;
    }
    let resident = answer
        .body
        .lines()
        .find_map(|l| l.strip_prefix("process_resident_memory_bytes "))
        .and_then(|v| v.parse::<f64>().ok());
    assert!(
        resident.is_some_and(|bytes| bytes > 1_048_576.0),
        "process_resident_memory_bytes missing or implausible:\n{}",
        answer.body
    );
    for name in ["process_open_fds ", "process_max_fds ", "process_threads "] {
        assert!(
            answer.body.contains(name),
            "missing {name}:\n{}",
            answer.body
        );
    }
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let app = router(&config(), &TestServer::new());
    assert_eq!(send(&app, get("/nope")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn hostile_methods_paths_and_headers_add_no_series() {
    let app = router(&config(), &TestServer::new());
    // One request of each fixed label first: what follows may only add to counts.
    for method in ["GET", "DELETE", "PURGE"] {
        send(&app, request(method, "/mcp", &[])).await;
    }
    assert_echo_ok(&call(&app, echo(), &[]).await);
    call(&app, tool_call("no_such_tool", serde_json::json!({})), &[]).await;
    let before = send(&app, get("/metrics")).await.body;
    for i in 0..300 {
        let method = format!("M{i}{}", "X".repeat(4096));
        send(&app, request(&method, "/mcp", &[])).await;
        let path = format!("/mcp{i}/{}", "p".repeat(2048));
        send(&app, request("GET", &path, &[])).await;
        let answer = call(
            &app,
            tool_call(
                &format!("tool-{i}-{}", "t".repeat(512)),
                serde_json::json!({}),
            ),
            &[
                (&format!("x-hostile-{i}"), "v"),
                ("mcp-session-id", &format!("s{i}")),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    }
    let after = send(&app, get("/metrics")).await.body;
    assert_eq!(request_series(&before), request_series(&after));
    assert!(
        !after.contains("XXXX") && !after.contains("tool-1"),
        "a request value became a label"
    );
    assert!(
        after.contains(r#"mcp_requests_total{method="other",tool=""} 301"#),
        "{after}"
    );
    assert!(
        after.len() < before.len() + 256,
        "/metrics grew from {} to {} bytes",
        before.len(),
        after.len()
    );
}
