//! The product in `--sessions` mode: a session belongs to the API key that opened it. Another
//! key that presents the id gets 404 and writes nothing through it; the owner keeps using it.
//! (The transport's own tests cover every method; this one proves the binary is wired the same
//! way.)

use crate::support::security::*;
use csf_testkit::http::Answer;
use csf_testkit::http_server::free_port;
use csf_testkit::http_server::HttpServer;
use serde_json::json;

const VERSION: &str = "2025-06-18";

fn post(server: &HttpServer, key: &str, session: Option<&str>, body: &str) -> Answer {
    let mut headers = vec![
        ("Content-Type", "application/json"),
        ("Accept", "application/json, text/event-stream"),
        ("MCP-Protocol-Version", VERSION),
        ("X-API-Key", key),
    ];
    if let Some(id) = session {
        headers.push(("Mcp-Session-Id", id));
    }
    request(server, "POST", "/mcp", &headers, body)
}

fn open_session(server: &HttpServer, key: &str) -> String {
    let init = json!({
        "jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": { "protocolVersion": VERSION, "capabilities": {},
                    "clientInfo": { "name": "security-test", "version": "1" } }
    });
    let answer = post(server, key, None, &init.to_string());
    assert_eq!(answer.status, 200, "{}", answer.body);
    let id = answer
        .header("mcp-session-id")
        .expect("a session id")
        .to_string();
    let done = post(
        server,
        key,
        Some(&id),
        r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
    );
    assert_eq!(done.status, 202, "{}", done.body);
    id
}

fn create_org(name: &str) -> String {
    json!({
        "jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": { "name": "create_organization", "arguments": { "name": name } }
    })
    .to_string()
}

/// The structured tool result carried by the `data:` line of an SSE answer.
fn sse_result(body: &str) -> serde_json::Value {
    let message = body
        .lines()
        .filter_map(|line| line.strip_prefix("data:"))
        .map(str::trim)
        .rfind(|data| data.starts_with('{'))
        .unwrap_or_else(|| panic!("no JSON event in {body}"));
    let json: serde_json::Value = serde_json::from_str(message).unwrap();
    assert_ne!(json["result"]["isError"], true, "{json}");
    json["result"]["structuredContent"].clone()
}

#[test]
fn another_key_cannot_use_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let alice = format!("csfk_{}", random_hex(24));
    let bob = format!("csfk_{}", random_hex(24));
    let server = start_http(
        dir.path(),
        free_port(),
        &[
            "--sessions",
            "--auth",
            "api-key",
            "--api-key",
            &format!("alice:read+write:{}", csf_transport::hash_key(&alice)),
            "--api-key",
            &format!("bob:read+write:{}", csf_transport::hash_key(&bob)),
        ],
    );
    let session = open_session(&server, &alice);

    let hijack = post(&server, &bob, Some(&session), &create_org("Hijacked Org"));
    assert_eq!(hijack.status, 404, "{}", hijack.body);
    assert!(!hijack.body.contains(&session), "the id is not echoed");

    let own = post(&server, &alice, Some(&session), &create_org("Alice Org"));
    assert_eq!(own.status, 200, "{}", own.body);
    assert!(own.body.contains("Alice Org"), "{}", own.body);

    // Only Alice's organization exists, recorded as hers.
    let audit = json!({
        "jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": { "name": "get_audit_trail", "arguments": {} }
    });
    let answer = post(&server, &alice, Some(&session), &audit.to_string());
    assert_eq!(answer.status, 200, "{}", answer.body);
    let trail = sse_result(&answer.body);
    let rows = trail["records"].as_array().cloned().unwrap_or_default();
    let creations: Vec<_> = rows
        .iter()
        .filter(|r| r["tool"] == "create_organization")
        .collect();
    assert_eq!(creations.len(), 1, "{rows:?}");
    assert_eq!(creations[0]["principal"], "alice");
    let log = server.stop();
    assert!(
        log.contains("session id unknown or owned by another principal"),
        "the refusal is logged"
    );
    assert!(!log.contains("Hijacked Org"), "the refused call never ran");
}
