//! Resource exhaustion through the real binary on loopback, over HTTP/1.1 and HTTP/2 (h2c):
//!
//! - hostile methods, paths and headers add no metric series, and `/metrics` stays small;
//! - idle connections are closed (HTTP/2 ones too, although the client answers every ping);
//! - one client address cannot hold every connection, and health probes answer while every
//!   connection slot is held;
//! - one key cannot take every session, nor every concurrency slot.
//!
//! Other client addresses are 127.0.0.2 and up (Linux routes all of 127/8 to `lo`).
use std::io::Write;
use std::time::{Duration, Instant};

use crate::support::net::{closed_by_server, runtime, std_connect_from, H2};
use crate::support::security::*;
use csf_testkit::http_server::{free_port, HttpServer};
use csf_testkit::rpc::PROTOCOL;
use csf_transport::metrics::request_series;
use serde_json::json;

fn metrics(server: &HttpServer) -> String {
    let answer = request(server, "GET", "/metrics", &[], "");
    assert_eq!(answer.status, 200);
    answer.body
}

fn key_spec(name: &str, scopes: &str, key: &str) -> String {
    format!("{name}:{scopes}:{}", csf_transport::hash_key(key))
}

/// The binary with `flags` and one random API key per `(name, scopes)`; returns the keys in
/// the same order.
fn start_with_keys(
    dir: &std::path::Path,
    flags: &[&str],
    keys: &[(&str, &str)],
) -> (HttpServer, Vec<String>) {
    let secrets: Vec<String> = keys
        .iter()
        .map(|_| format!("csfk_{}", random_hex(24)))
        .collect();
    let specs: Vec<String> = keys
        .iter()
        .zip(&secrets)
        .map(|((name, scopes), key)| key_spec(name, scopes, key))
        .collect();
    let mut args = flags.to_vec();
    args.extend(["--auth", "api-key"]);
    for spec in &specs {
        args.extend(["--api-key", spec.as_str()]);
    }
    (start_http(dir, free_port(), &args), secrets)
}

fn initialize_body() -> String {
    json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {
            "protocolVersion": PROTOCOL, "capabilities": {},
            "clientInfo": { "name": "exhaustion-test", "version": "1" }
        }
    })
    .to_string()
}

/// `n` HTTP/2 connections from `from`, each used once for `/healthz` and then held open.
fn hold_h2(rt: &tokio::runtime::Runtime, server: &HttpServer, from: &str, n: usize) -> Vec<H2> {
    rt.block_on(async {
        let mut held = Vec::new();
        for _ in 0..n {
            let mut h2 = H2::connect(from, &server.addr).await.unwrap();
            let health = h2.request("GET", "/healthz", &[], "").await.unwrap();
            assert_eq!(health.status, 200);
            held.push(h2);
        }
        held
    })
}

/// A server with connection caps and a long header timeout, holding `held` HTTP/2
/// connections from 127.0.0.1 (each used once for `/healthz`).
struct Held {
    server: HttpServer,
    rt: tokio::runtime::Runtime,
    _connections: Vec<H2>,
    _dir: tempfile::TempDir,
}

fn hold_connections(max: &str, per_client: &str, held: usize) -> Held {
    let dir = tempfile::tempdir().unwrap();
    let caps = [
        "--max-connections",
        max,
        "--max-connections-per-client",
        per_client,
        "--header-timeout",
        "30",
    ];
    let server = start_http(dir.path(), free_port(), &caps);
    let rt = runtime();
    let connections = hold_h2(&rt, &server, "127.0.0.1", held);
    Held {
        server,
        rt,
        _connections: connections,
        _dir: dir,
    }
}

const MCP_HEADERS: [(&str, &str); 3] = [
    ("Content-Type", "application/json"),
    ("Accept", "application/json, text/event-stream"),
    ("MCP-Protocol-Version", PROTOCOL),
];

#[test]
fn hostile_methods_paths_and_headers_add_no_metric_series() {
    let dir = tempfile::tempdir().unwrap();
    let (server, keys) = start_with_keys(dir.path(), &[], &[("reader", "read")]);
    let key = &keys[0];
    let auth = ("x-api-key", key.as_str());
    // One request for every fixed label first; what follows may only add to counts.
    for method in ["GET", "DELETE", "PURGE"] {
        request(&server, method, "/mcp", &[auth], "");
    }
    request(&server, "GET", "/mcp", &[], "");
    call_tool(&server, &[auth], "csf_lookup", json!({ "id": "GV" }));
    call_tool(&server, &[auth], "no_such_tool", json!({}));
    let before = metrics(&server);

    let marker = random_hex(6);
    let hostile_method = |i: usize| format!("Z{marker}{i}{}", "Q".repeat(16 * 1024));
    for i in 0..120 {
        let method = hostile_method(i);
        for credentials in [&[auth][..], &[]] {
            let answer = request(&server, &method, "/mcp", credentials, "");
            assert!(answer.status >= 400, "{method:.40}: {}", answer.status);
        }
        let path = format!("/{marker}{i}/{}", "p".repeat(4096));
        let header = format!("x-{marker}-{i}");
        request(
            &server,
            "GET",
            &path,
            &[(&header, "v"), ("User-Agent", &marker)],
            "",
        );
        let session = format!("{marker}-{i}");
        let mut headers = vec![auth, (header.as_str(), "v"), ("Mcp-Session-Id", &session)];
        headers.extend(MCP_HEADERS);
        call_tool(&server, &headers, &format!("tool_{marker}_{i}"), json!({}));
    }
    runtime().block_on(async {
        let mut h2 = H2::connect("127.0.0.1", &server.addr).await.unwrap();
        for i in 120..200 {
            let answer = h2
                .request(&hostile_method(i), "/mcp", &[auth], "")
                .await
                .unwrap();
            assert!(answer.status >= 400, "h2: {}", answer.status);
            h2.request("GET", &format!("/{marker}{i}"), &[auth], "")
                .await
                .unwrap();
        }
    });
    let after = metrics(&server);
    assert_eq!(
        request_series(&before),
        request_series(&after),
        "hostile requests added series"
    );
    assert!(!after.contains(&marker), "a request value became a label");
    assert!(
        after.len() < before.len() + 1024,
        "/metrics grew from {} to {} bytes",
        before.len(),
        after.len()
    );
}

#[test]
fn idle_connections_are_closed_on_http1_and_http2() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_http(dir.path(), free_port(), &["--header-timeout", "1"]);
    runtime().block_on(async {
        let mut h2 = H2::connect("127.0.0.1", &server.addr).await.unwrap();
        let health = h2.request("GET", "/healthz", &[], "").await.unwrap();
        assert_eq!(health.status, 200);
        let started = Instant::now();
        assert!(
            h2.closed_within(Duration::from_secs(6)).await,
            "an idle HTTP/2 connection answering pings stayed open for 6 s"
        );
        eprintln!(
            "idle HTTP/2 connection closed after {:?}",
            started.elapsed()
        );
    });
    let mut h1 = std_connect_from("127.0.0.1", &server.addr);
    write!(h1, "GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).unwrap();
    let mut answer = Vec::new();
    h1.set_read_timeout(Some(Duration::from_secs(6))).unwrap();
    std::io::Read::read_to_end(&mut h1, &mut answer).expect("closed within 6 s");
    assert!(answer.starts_with(b"HTTP/1.1 200"));
}

#[test]
fn one_address_cannot_hold_every_connection() {
    let Held { server, rt, .. } = &hold_connections("16", "3", 3);
    let mut fourth = std_connect_from("127.0.0.1", &server.addr);
    assert!(
        closed_by_server(&mut fourth, Duration::from_secs(3)),
        "a fourth connection from the same address was kept"
    );
    let fourth_h2 = rt.block_on(async {
        match H2::connect("127.0.0.1", &server.addr).await {
            Ok(mut h2) => h2.request("GET", "/healthz", &[], "").await.is_ok(),
            Err(_) => false,
        }
    });
    assert!(
        !fourth_h2,
        "a fourth HTTP/2 connection from the same address was served"
    );
    // Other addresses are served as usual, over both protocols.
    let other = std_connect_from("127.0.0.2", &server.addr);
    let answer = request_via(server, other, "GET", "/healthz", &[], "").unwrap();
    assert_eq!(answer.status, 200);
    let other = std_connect_from("127.0.0.2", &server.addr);
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "csf_lookup", "arguments": {"id": "GV"}}})
    .to_string();
    let answer = request_via(server, other, "POST", "/mcp", &MCP_HEADERS, &body).unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    rt.block_on(async {
        let mut h2 = H2::connect("127.0.0.3", &server.addr).await.unwrap();
        assert_eq!(
            h2.request("GET", "/healthz", &[], "").await.unwrap().status,
            200
        );
    });
    let scrape = std_connect_from("127.0.0.4", &server.addr);
    let scrape = request_via(server, scrape, "GET", "/metrics", &[], "").unwrap();
    assert!(scrape
        .body
        .contains(r#"http_rejected_requests_total{reason="client_connections"}"#));
}

#[test]
fn health_probes_answer_while_every_connection_is_held() {
    let Held { server, rt, .. } = &hold_connections("4", "0", 4);
    let probe = |path: &str, method: &str, body: &str| {
        let stream = std_connect_from("127.0.0.2", &server.addr);
        stream
            .set_read_timeout(Some(Duration::from_secs(3)))
            .unwrap();
        let started = Instant::now();
        let answer = request_via(server, stream, method, path, &MCP_HEADERS, body)
            .unwrap_or_else(|e| panic!("{method} {path}: no answer within 3 s ({e})"));
        (answer, started.elapsed())
    };
    for path in ["/healthz", "/readyz", "/metrics"] {
        let (answer, took) = probe(path, "GET", "");
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        eprintln!("{path} with every connection held: {took:?}");
    }
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}).to_string();
    let (refused, _) = probe("/mcp", "POST", &body);
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(refused.header("retry-after"), Some("1"));
    rt.block_on(async {
        let mut h2 = H2::connect("127.0.0.3", &server.addr).await.unwrap();
        let answer = h2.request("GET", "/healthz", &[], "").await.unwrap();
        assert_eq!(answer.status, 200);
    });
}

#[test]
fn one_key_cannot_take_every_session() {
    let dir = tempfile::tempdir().unwrap();
    let (server, keys) = start_with_keys(
        dir.path(),
        &["--sessions", "--max-sessions", "20"],
        &[
            ("reader", "read"),
            ("writer", "read+write"),
            ("admin", "admin"),
        ],
    );
    let (reader, writer, admin) = (&keys[0], &keys[1], &keys[2]);
    let open = |key: &str| {
        let mut headers = vec![("x-api-key", key)];
        headers.extend(MCP_HEADERS);
        request(&server, "POST", "/mcp", &headers, &initialize_body())
    };
    let (mut opened, mut refused) = (0, 0);
    for _ in 0..25 {
        let answer = open(reader);
        match answer.status {
            200 => opened += 1,
            429 => {
                assert!(answer.body.contains("too_many_sessions"), "{}", answer.body);
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", answer.body),
        }
    }
    assert_eq!(
        (opened, refused),
        (5, 20),
        "a quarter of --max-sessions per key"
    );
    assert_eq!(open(writer).status, 200, "the writer still gets a session");
    assert_eq!(open(admin).status, 200, "the admin still gets a session");
}

#[test]
fn one_key_cannot_take_every_slot() {
    let dir = tempfile::tempdir().unwrap();
    let (server, keys) = start_with_keys(
        dir.path(),
        &["--max-concurrent", "8"],
        &[("reader", "read"), ("writer", "read+write")],
    );
    let (reader, writer) = (&keys[0], &keys[1]);
    // Two slow uploads hold the reader's share (a quarter of 8) while their bodies trickle.
    let slow: Vec<std::net::TcpStream> = (0..2)
        .map(|_| {
            let mut stream = std_connect_from("127.0.0.1", &server.addr);
            write!(
                stream,
                "POST /mcp HTTP/1.1\r\nHost: {}\r\nx-api-key: {reader}\r\n\
                 Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n\
                 Content-Length: 500\r\n\r\n{{",
                server.addr
            )
            .unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let call = |key: &str| {
        let mut headers = vec![("x-api-key", key)];
        headers.extend(MCP_HEADERS);
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "csf_lookup", "arguments": {"id": "GV"}}})
        .to_string();
        request(&server, "POST", "/mcp", &headers, &body)
    };
    let third = call(reader);
    assert_eq!(third.status, 429, "{}", third.body);
    assert!(third.body.contains("too_many_in_flight"), "{}", third.body);
    let h2_third = runtime().block_on(async {
        let mut h2 = H2::connect("127.0.0.2", &server.addr).await.unwrap();
        let mut headers = vec![("x-api-key", reader.as_str())];
        headers.extend(MCP_HEADERS);
        h2.request(
            "POST",
            "/mcp",
            &headers,
            r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#,
        )
        .await
        .unwrap()
        .status
    });
    assert_eq!(h2_third, 429);
    assert_eq!(call(writer).status, 200, "the writer keeps its share");
    drop(slow);
    // The server notices the closed uploads; the reader's share comes back.
    let deadline = Instant::now() + Duration::from_secs(5);
    while call(reader).status != 200 {
        assert!(
            Instant::now() < deadline,
            "the reader's share never came back"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
