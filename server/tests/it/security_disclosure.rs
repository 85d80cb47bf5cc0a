//! What an outsider can learn or forge, through the real binary on loopback:
//!
//! - a broken store is reported as "not ready" without its details, to anyone under any Host,
//!   and tools and resources give a generic message; the details are in the server log;
//! - a caller value with a newline (or other control and bidi characters) cannot forge a log
//!   line, in text or JSON logs;
//! - `--auth none` with a wildcard Host or Origin list refuses to start;
//! - a Host with user information, two Host headers, or a Host that differs from the request
//!   target is `400`; every `Origin` header is checked.
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::net::{runtime, H2};
use crate::support::security::*;
use csf_testkit::http_server::free_port;
use csf_testkit::rpc::PROTOCOL;
use serde_json::{json, Value};

/// A name that must never reach a client (it would in a store error).
const TENANT: &str = "tenant-acme-7f3a";

#[test]
fn store_failures_are_not_disclosed_to_clients() {
    let dir = tempfile::tempdir().unwrap();
    // The database's directory cannot be created: its parent is a regular file.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "not a directory").unwrap();
    let db = blocker.join(TENANT).join("csf.db");
    let port = free_port();
    let server = launch_http(
        dir.path(),
        port,
        &["--log-level", "info", "--db", db.to_str().unwrap()],
        &[],
    );
    // /readyz answers anyone, under any Host.
    for host in [server.addr.clone(), "evil.example".to_string()] {
        let raw = format!("GET /readyz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let answer = send_raw(&server, raw.as_bytes());
        assert_eq!(answer.status, 503, "{}", answer.body);
        assert_eq!(answer.body, "not ready\n");
    }
    let headers = [
        ("Content-Type", "application/json"),
        ("Accept", "application/json, text/event-stream"),
        ("MCP-Protocol-Version", PROTOCOL),
    ];
    let tool = call_tool(&server, &headers, "list_organizations", json!({}));
    assert_eq!(tool.status, 200, "{}", tool.body);
    let result = tool.json();
    assert_eq!(result["result"]["isError"], true, "{result}");
    let read = json!({"jsonrpc": "2.0", "id": 2, "method": "resources/read",
        "params": {"uri": "csf://org/org_01J0000000000000000000000A"}})
    .to_string();
    let resource = request(&server, "POST", "/mcp", &headers, &read);
    for (what, body) in [("tool", &tool.body), ("resource", &resource.body)] {
        assert!(
            !body.contains(TENANT),
            "{what} answer names the tenant: {body}"
        );
        assert!(
            !body.contains("blocker"),
            "{what} answer names the path: {body}"
        );
        assert!(body.contains("server log"), "{what} answer: {body}");
    }
    let log = server.stop();
    assert!(log.contains(TENANT), "the details are in the server log");
}

/// A value a tool error echoes: a newline followed by what looks like a log line of its own,
/// plus other control and bidirectional characters.
const FORGED: &str = "2026-01-01T00:00:00Z  INFO forged: root";

/// The log (`--log-level info`, `format`) of a server that answered one tool call whose error
/// echoes a forged line.
fn log_of_a_forgery(format: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("csf.db");
    let global = [
        "--log-level",
        "info",
        "--log-format",
        format,
        "--db",
        db.to_str().unwrap(),
    ];
    let server = launch_http(dir.path(), free_port(), &global, &[]);
    let value = format!("ZZ\n{FORGED}\r\u{85}\u{1b}[2J\u{202e}x");
    let answer = call_tool(&server, &[], "csf_lookup", json!({ "id": value }));
    assert_eq!(answer.json()["result"]["isError"], true, "{}", answer.body);
    server.stop()
}

/// Whether `line` holds a raw control or bidirectional-override character.
fn has_raw_unsafe_char(line: &str) -> bool {
    line.chars()
        .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c))
}

#[test]
fn caller_values_cannot_forge_log_lines_in_text_logs() {
    let log = log_of_a_forgery("text");
    let tool_error = log
        .lines()
        .find(|l| l.contains("tool error"))
        .unwrap_or_else(|| panic!("no tool error line in\n{log}"));
    assert!(
        tool_error.contains(&format!("ZZ\\n{FORGED}")),
        "{tool_error}"
    );
    for line in log.lines() {
        assert!(!line.starts_with(FORGED), "a forged line: {line}");
        assert!(!has_raw_unsafe_char(line), "a raw character: {line:?}");
    }
}

#[test]
fn caller_values_cannot_forge_log_lines_in_json_logs() {
    let log = log_of_a_forgery("json");
    let mut seen = false;
    for line in log.lines() {
        // The connection banner is plain text by design (printed before serving).
        if !line.starts_with('{') {
            assert!(!line.contains("forged"), "a forged line: {line}");
            continue;
        }
        let event: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not one JSON object per line ({e}): {line:?}"));
        assert!(!has_raw_unsafe_char(line), "a raw character: {line:?}");
        if event.to_string().contains("forged: root") {
            seen = true;
            assert!(
                event.to_string().contains('\u{202e}'),
                "the value reads back as sent"
            );
        }
    }
    assert!(seen, "the tool error was not logged:\n{log}");
}

fn serve_and_wait(args: &[&str], envs: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_nist-csf-mcp"));
    command
        .arg("--db")
        .arg(dir.path().join("csf.db"))
        .args(["serve", "--http", &format!("127.0.0.1:{}", free_port())])
        .args(args)
        .env_remove("CSF_ALLOWED_HOSTS")
        .env_remove("CSF_ALLOWED_ORIGINS")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (name, value) in envs {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return (status.code(), stderr);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    (None, String::new())
}

#[test]
fn no_auth_with_a_wildcard_host_or_origin_refuses_to_start() {
    for (args, envs, names) in [
        (
            &["--allowed-hosts", "*"][..],
            &[][..],
            "--allowed-hosts '*'",
        ),
        (
            &["--allowed-hosts", "localhost,*"],
            &[],
            "--allowed-hosts '*'",
        ),
        (&[], &[("CSF_ALLOWED_HOSTS", "*")], "--allowed-hosts '*'"),
        (&["--allowed-origins", "*"], &[], "--allowed-origins '*'"),
    ] {
        let (code, stderr) = serve_and_wait(args, envs);
        assert!(
            code.is_some_and(|c| c != 0),
            "{args:?} {envs:?} started (or hung)"
        );
        assert!(stderr.contains(names), "{args:?}: {stderr}");
        assert!(
            stderr.contains("DNS rebinding") || stderr.contains("web page"),
            "{stderr}"
        );
    }
}

#[test]
fn malformed_hosts_get_400_and_every_origin_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_http(dir.path(), free_port(), &[]);
    let addr = &server.addr;
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "csf_lookup", "arguments": {"id": "GV"}}})
    .to_string();
    let post = |target: &str, extra: &str| {
        let raw = format!(
            "POST {target} HTTP/1.1\r\n{extra}Content-Type: application/json\r\n\
             Accept: application/json, text/event-stream\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        );
        send_raw(&server, raw.as_bytes())
    };
    // The control: a well-formed request is served.
    assert_eq!(post("/mcp", &format!("Host: {addr}\r\n")).status, 200);
    for (what, target, extra) in [
        (
            "userinfo",
            "/mcp".to_string(),
            format!("Host: evil@{addr}\r\n"),
        ),
        (
            "two Host headers",
            "/mcp".to_string(),
            format!("Host: {addr}\r\nHost: evil.example\r\n"),
        ),
        (
            "target authority differs",
            "http://evil.example/mcp".to_string(),
            format!("Host: {addr}\r\n"),
        ),
        (
            "userinfo in the target",
            format!("http://evil@{addr}/mcp"),
            format!("Host: evil@{addr}\r\n"),
        ),
    ] {
        let answer = post(&target, &extra);
        assert_eq!(answer.status, 400, "{what}: {}", answer.body);
        assert!(answer.body.contains("bad_host"), "{what}: {}", answer.body);
    }
    let health = send_raw(
        &server,
        format!("GET /healthz HTTP/1.1\r\nHost: evil@{addr}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    );
    assert_eq!(health.status, 400, "ops endpoints refuse it too");
    // HTTP/2: a Host header that disagrees with :authority.
    runtime().block_on(async {
        let mut h2 = H2::connect("127.0.0.1", addr).await.unwrap();
        let answer = h2
            .request("GET", "/healthz", &[("host", "evil.example")], "")
            .await
            .unwrap();
        assert_eq!(answer.status, 400, "h2: {}", answer.body);
        let fine = h2.request("GET", "/healthz", &[], "").await.unwrap();
        assert_eq!(fine.status, 200);
    });
    // Origin: every header counts, not only the first.
    let good = "Origin: http://localhost:6274\r\n";
    let evil = "Origin: http://evil.example\r\n";
    let host = format!("Host: {addr}\r\n");
    assert_eq!(post("/mcp", &format!("{host}{good}")).status, 200);
    for pair in [format!("{good}{evil}"), format!("{evil}{good}")] {
        let answer = post("/mcp", &format!("{host}{pair}"));
        assert_eq!(answer.status, 403, "{pair:?}: {}", answer.body);
    }
}
