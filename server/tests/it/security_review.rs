//! Holes a second outside review found in the resource-exhaustion fixes, through the real
//! binary on loopback:
//!
//! - an HTTP/2 client that never lets the server send response data (stream window 0) kept its
//!   response, and so its connection, in progress for ever: no idle timeout applied;
//! - initializes sent at once by one key were each checked against the live sessions before any
//!   of them existed, so one read key could open as many sessions as it had requests in flight
//!   (every place under `--max-sessions`, locking the others out).
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::support::net::{runtime, std_connect_from, StalledH2};
use crate::support::security::*;
use csf_testkit::http_server::free_port;
use csf_testkit::rpc::PROTOCOL;
use serde_json::json;

#[test]
fn unread_http2_responses_do_not_hold_connections() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_http(
        dir.path(),
        free_port(),
        &[
            "--header-timeout",
            "1",
            "--max-connections",
            "2",
            "--max-connections-per-client",
            "0",
        ],
    );
    runtime().block_on(async {
        let mut held = Vec::new();
        for _ in 0..2 {
            let mut h2 = StalledH2::connect("127.0.0.1", &server.addr).await.unwrap();
            assert_eq!(h2.get_head("/healthz").await.unwrap(), 200);
            held.push(h2);
        }
        let started = Instant::now();
        for h2 in &mut held {
            assert!(
                h2.closed_within(Duration::from_secs(8)).await,
                "an HTTP/2 connection whose client reads nothing stayed open 8 s \
                 (--header-timeout 1)"
            );
        }
        eprintln!(
            "stalled HTTP/2 connections closed after {:?}",
            started.elapsed()
        );
    });
    // Both slots are free again: an ordinary (non-probe) request is served, not refused 503.
    let answer = request(
        &server,
        "GET",
        "/.well-known/oauth-protected-resource",
        &[],
        "",
    );
    assert_ne!(answer.status, 503, "{}", answer.body);
}

fn initialize_body() -> String {
    json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {
            "protocolVersion": PROTOCOL, "capabilities": {},
            "clientInfo": { "name": "review-test", "version": "1" }
        }
    })
    .to_string()
}

#[test]
fn concurrent_initializes_stay_within_the_session_quota() {
    let dir = tempfile::tempdir().unwrap();
    let (reader, writer) = (
        format!("csfk_{}", random_hex(24)),
        format!("csfk_{}", random_hex(24)),
    );
    let spec = |name: &str, scopes: &str, key: &str| {
        format!("{name}:{scopes}:{}", csf_transport::hash_key(key))
    };
    let (reader_spec, writer_spec) = (
        spec("reader", "read", &reader),
        spec("writer", "read+write", &writer),
    );
    let server = start_http(
        dir.path(),
        free_port(),
        &[
            "--sessions",
            "--max-sessions",
            "8",
            "--max-concurrent",
            "64",
            "--auth",
            "api-key",
            "--api-key",
            &reader_spec,
            "--api-key",
            &writer_spec,
        ],
    );
    // Eight initializes from the read key, each held back by its last body byte, then all
    // released together: they are checked before any of them has opened a session.
    let body = initialize_body();
    let head = |key: &str| {
        format!(
            "POST /mcp HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: {PROTOCOL}\r\n\
             X-API-Key: {key}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            server.addr,
            body.len()
        )
    };
    let mut sockets: Vec<_> = (0..8)
        .map(|_| {
            let mut socket = std_connect_from("127.0.0.1", &server.addr);
            socket
                .write_all(format!("{}{}", head(&reader), &body[..body.len() - 1]).as_bytes())
                .unwrap();
            socket
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    for socket in &mut sockets {
        socket
            .write_all(&body.as_bytes()[body.len() - 1..])
            .unwrap();
    }
    let mut opened = 0;
    for socket in &mut sockets {
        let mut answer = Vec::new();
        let _ = socket.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer).to_ascii_lowercase();
        if answer.starts_with("http/1.1 200") && answer.contains("mcp-session-id:") {
            opened += 1;
        } else {
            assert!(answer.starts_with("http/1.1 429"), "{answer}");
        }
    }
    assert_eq!(
        opened, 2,
        "one key's concurrent initializes opened {opened} sessions; its quota is a quarter \
         of --max-sessions 8"
    );
    let mut headers = vec![("x-api-key", writer.as_str())];
    headers.extend([
        ("Content-Type", "application/json"),
        ("Accept", "application/json, text/event-stream"),
        ("MCP-Protocol-Version", PROTOCOL),
    ]);
    let answer = request(&server, "POST", "/mcp", &headers, &body);
    assert_eq!(
        answer.status, 200,
        "the writer still gets a session: {}",
        answer.body
    );
}
