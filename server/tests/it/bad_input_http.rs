//! Hostile HTTP through the real binary (`serve --http` with API keys, on a populated SQLite
//! file), spoken over raw TCP so that malformed requests reach the server exactly as written:
//! wrong content type, missing Accept, bodies over the limit (declared and streamed), invalid
//! JSON and UTF-8, deep nesting, batches, duplicate keys, huge and malformed headers, request
//! smuggling shapes, unknown session ids, and missing, wrong or too weak credentials on write
//! tools, garbage paging cursors. Each gets a 4xx or a JSON-RPC error, and the bodies the
//! transport must decide itself (undecodable bytes, wrong shapes, batches, bad chunk framing,
//! bodies over the limit) get exactly their status, JSON-RPC code and message; never rmcp's
//! bare 415 except for a wrong content type. After each, `/healthz` and a valid call answer;
//! at the end the store is unchanged (only `error` audit rows) and no unauthorised write
//! succeeded. Every socket read is bounded.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::spawn;
use csf_testkit::http::{Answer, HttpError, Request};
use csf_testkit::http_server::HttpServer;
use csf_testkit::store_dump;
use serde_json::{json, Value};

const IO_TIMEOUT: Duration = Duration::from_secs(20);
const MAX_BODY: usize = 64 * 1024;
const WRITER_KEY: &str = "bad-input-writer-key-8d1f0c";
const READER_KEY: &str = "bad-input-reader-key-37a9e2";

/// Starts `serve --http` on a free loopback port with a read key and a write key.
fn start(db: &Path, extra: &[&str]) -> HttpServer {
    let keys = format!(
        "reader:read:{},writer:read+write:{}",
        csf_transport::hash_key(READER_KEY),
        csf_transport::hash_key(WRITER_KEY)
    );
    let log = db.with_extension("log");
    HttpServer::start(
        |addr| {
            let mut command = Command::new(spawn::BIN);
            command
                .args(["serve", "--http", addr, "--db"])
                .arg(db)
                .args(["--auth", "api-key", "--api-key", &keys])
                .args([
                    "--allowed-hosts",
                    "127.0.0.1",
                    "--max-body",
                    &MAX_BODY.to_string(),
                ])
                .args(["--log-level", "warn,csf_transport=info"])
                .args(extra);
            command
        },
        &log,
        "/healthz",
    )
}

/// Writes `raw` and reads the whole answer (the request asks the server to close). `None` when
/// the server closed the connection without an answer; no answer in time fails the test.
fn exchange(addr: &str, raw: &[u8]) -> Option<Answer> {
    match csf_testkit::http::exchange(addr, raw, IO_TIMEOUT) {
        Ok(a) => Some(a),
        Err(HttpError::NoAnswer | HttpError::Malformed(_)) => None,
        Err(HttpError::Timeout) => panic!("no answer within {IO_TIMEOUT:?}"),
        Err(e @ HttpError::Connect(_)) => panic!("{addr}: {e}"),
    }
}

/// A request with the usual MCP headers and the write key unless `headers` overrides them (a
/// `None` value drops the header).
fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, Option<&str>)],
    body: &[u8],
) -> Vec<u8> {
    let mut r = Request::new(method, path)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .header("MCP-Protocol-Version", csf_testkit::rpc::PROTOCOL)
        .bearer(WRITER_KEY)
        .body(body);
    for (name, value) in headers {
        r = r.set(name, *value);
    }
    r.to_bytes(addr)
}

fn post(addr: &str, headers: &[(&str, Option<&str>)], body: &[u8]) -> Option<Answer> {
    exchange(addr, &request(addr, "POST", "/mcp", headers, body))
}

fn call(tool: &str, args: Value) -> Vec<u8> {
    json!({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":tool,"arguments":args}})
        .to_string()
        .into_bytes()
}

fn create_org(name: &str) -> Vec<u8> {
    call("create_organization", json!({"name": name}))
}

/// A structured result of a valid call, or a panic naming what came back.
fn ok_call(addr: &str, body: &[u8]) -> Value {
    let a = post(addr, &[], body).expect("an answer");
    assert_eq!(a.status, 200, "{}", a.text());
    let m = a
        .response()
        .unwrap_or_else(|| panic!("no JSON-RPC in {}", a.text()));
    assert_ne!(m["result"]["isError"], true, "{m}");
    m["result"]["structuredContent"].clone()
}

fn still_serving(addr: &str, label: &str) {
    let h = exchange(addr, &Request::new("GET", "/healthz").to_bytes(addr))
        .unwrap_or_else(|| panic!("{label}: /healthz closed without answer"));
    assert_eq!(h.status, 200, "{label}: /healthz {}", h.text());
    let v = ok_call(addr, &call("csf_lookup", json!({"id": "RC"})));
    assert_eq!(v["id"], "RC", "{label}: valid call after it");
}

/// Cases malformed at the HTTP/1.1 framing level (answered by the parser, not the server).
const FRAMING: &[&str] = &[
    "Content-Length and chunked",
    "two Content-Length values",
    "1 MiB header",
    "2000 headers",
    "header with control byte",
];

/// Content-type refusals come from rmcp's own check (415 is right for them).
const CONTENT_TYPE: &[&str] = &["wrong content type", "form content type", "no content type"];

/// The exact answer a case must get: HTTP status, JSON-RPC error code (`None`: not a JSON-RPC
/// error), and words the message must contain (case-insensitive).
struct Expect {
    status: u16,
    code: Option<i64>,
    says: &'static str,
}

const PARSE: Option<i64> = Some(-32700);
const INVALID: Option<i64> = Some(-32600);

/// Bodies the transport must decide itself, before rmcp (which would answer a bare 415), and
/// the size and framing refusals that must not be confused with each other.
fn expected(label: &str) -> Option<Expect> {
    let e = |status, code, says| Some(Expect { status, code, says });
    match label {
        "body over the limit" | "chunked body over the limit" | "Content-Length says huge" => {
            e(413, None, "over the limit")
        }
        "malformed chunk size" => e(400, None, "malformed request body"),
        "invalid JSON" => e(400, PARSE, "not valid JSON"),
        "empty body" => e(400, PARSE, "empty body"),
        "JSON scalar" => e(400, INVALID, "JSON object"),
        "invalid UTF-8" | "read key, invalid UTF-8 in a write" => e(400, PARSE, "UTF-8"),
        "lone surrogate" => e(400, PARSE, "escape"),
        "raw NUL in string" => e(400, PARSE, "control character"),
        "deep nesting" | "read key, deep write" => e(400, PARSE, "128 levels"),
        "batch with a write" | "empty batch" | "read key, batch hiding a write" => e(
            400,
            INVALID,
            "batches are not supported: send one JSON-RPC message per request",
        ),
        "duplicate tool name" | "read key, duplicate name, write last" => {
            e(400, INVALID, "duplicate field")
        }
        "id 2^64" | "id object" => e(400, INVALID, "`id` must be a string or an integer"),
        "tool name not a string" => e(400, INVALID, "invalid type"),
        "garbage cursor, organizations" | "garbage cursor, profiles" => {
            e(200, None, "pass the next_cursor of the previous page")
        }
        _ => None,
    }
}

fn check_expected(c: &Case, a: Option<&Answer>) {
    let a = a.unwrap_or_else(|| panic!("{}: closed without an answer", c.label));
    assert!(
        a.status != 415 || CONTENT_TYPE.contains(&c.label),
        "{}: 415 (rmcp could not decode a body the transport let through): {}",
        c.label,
        a.text()
    );
    let Some(want) = expected(c.label) else {
        return;
    };
    assert_eq!(a.status, want.status, "{}: {}", c.label, a.text());
    let m = a
        .response()
        .unwrap_or_else(|| panic!("{}: no JSON answer: {}", c.label, a.text()));
    let said = match want.code {
        Some(code) => {
            assert_eq!(m["error"]["code"], code, "{}: {m}", c.label);
            m["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        }
        None if want.status == 200 => {
            assert_eq!(m["result"]["isError"], true, "{}: {m}", c.label);
            m["result"]["content"][0]["text"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        }
        None => m["error_description"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    };
    assert!(
        said.to_lowercase().contains(&want.says.to_lowercase()),
        "{}: expected {:?} in {said:?}",
        c.label,
        want.says
    );
}

#[derive(Debug)]
struct Case {
    label: &'static str,
    raw: Vec<u8>,
    /// This request carries a write a caller without write scope must never get done.
    unauthorised_write: bool,
}

/// Refused means: a 4xx, or a 200 whose JSON-RPC message is an error / `isError` result, or
/// (for malformed framing only) a closed connection. Returns a description for the summary.
fn refused(c: &Case, a: Option<&Answer>) -> String {
    let Some(a) = a else {
        if std::env::var_os("BAD_INPUT_VERBOSE").is_some() {
            eprintln!("{} => closed", c.label);
        }
        return "closed".into();
    };
    assert!(
        a.status < 500,
        "{}: server error {} {}",
        c.label,
        a.status,
        a.text()
    );
    if (400..500).contains(&a.status) {
        // The answer must say what was wrong: a JSON-RPC error message, an OAuth-style
        // error_description, a plain-text body, or (401/403) the WWW-Authenticate challenge.
        let said = match a.response() {
            Some(m) if m["error"].is_object() => m["error"]["message"].as_str().map(str::to_string),
            Some(m) => m["error_description"].as_str().map(str::to_string),
            None => Some(a.text().to_string()),
        }
        .filter(|t| !t.trim().is_empty())
        .or_else(|| {
            a.head
                .to_lowercase()
                .contains("www-authenticate:")
                .then(|| "challenge".to_string())
        });
        // Requests HTTP/1.1 itself cannot frame are refused by the HTTP parser, before any
        // handler, with a bare status line: that is all a client of such bytes can expect.
        let framing = FRAMING.contains(&c.label) && matches!(a.status, 400 | 431);
        assert!(
            said.is_some() || framing,
            "{}: {} with nothing said: {}",
            c.label,
            a.status,
            a.head
        );
        if std::env::var_os("BAD_INPUT_VERBOSE").is_some() {
            eprintln!(
                "{} => {} {:.160}",
                c.label,
                a.status,
                said.unwrap_or_default()
            );
        }
        if a.status == 401 {
            assert!(
                a.head.to_lowercase().contains("www-authenticate: bearer"),
                "{}: 401 without a challenge: {}",
                c.label,
                a.head
            );
        }
        return a.status.to_string();
    }
    assert_eq!(a.status, 200, "{}: {} {}", c.label, a.status, a.text());
    let m = a
        .response()
        .unwrap_or_else(|| panic!("{}: 200 without JSON-RPC: {}", c.label, a.text()));
    let err = m.get("error").is_some() || m["result"]["isError"] == true;
    assert!(err, "{}: accepted: {m}", c.label);
    let msg = m["error"]["message"]
        .as_str()
        .or_else(|| m["result"]["content"][0]["text"].as_str())
        .unwrap_or("");
    assert!(
        !msg.trim().is_empty(),
        "{}: error without message: {m}",
        c.label
    );
    if std::env::var_os("BAD_INPUT_VERBOSE").is_some() {
        eprintln!("{} => 200 {:.160}", c.label, msg);
    }
    "200+error".into()
}

fn cases(addr: &str) -> Vec<Case> {
    let write = create_org("Must Not Exist");
    let w = write.as_slice();
    let case = |label, raw, unauthorised_write| Case {
        label,
        raw,
        unauthorised_write,
    };
    let post_with = |headers: &[(&str, Option<&str>)], body: &[u8]| {
        request(addr, "POST", "/mcp", headers, body)
    };
    let deep = {
        let mut b = br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create_organization","arguments":{"name":"Deep","sector":"#.to_vec();
        b.extend(std::iter::repeat_n(b'[', 10_000));
        b.extend(std::iter::repeat_n(b']', 10_000));
        b.extend_from_slice(b"}}}");
        b
    };
    let over = create_org(&"x".repeat(MAX_BODY + 1));
    let chunked_over = {
        let mut raw = post_with(
            &[
                ("Content-Length", None),
                ("Transfer-Encoding", Some("chunked")),
            ],
            b"",
        );
        for chunk in over.chunks(8192) {
            raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            raw.extend_from_slice(chunk);
            raw.extend_from_slice(b"\r\n");
        }
        raw.extend_from_slice(b"0\r\n\r\n");
        raw
    };
    let bad_chunk = {
        let mut raw = post_with(
            &[
                ("Content-Length", None),
                ("Transfer-Encoding", Some("chunked")),
            ],
            b"",
        );
        raw.extend_from_slice(b"5\r\n{\"jso\r\nzz\r\nnrpc\"\r\n0\r\n\r\n");
        raw
    };
    let garbage_cursor = "\u{7f}garbage-cursor/".repeat(32 * 1024 / 16);
    let huge_header = "h".repeat(1024 * 1024);
    let many_headers: Vec<(String, String)> = (0..2000)
        .map(|i| (format!("X-Pad-{i}"), "p".repeat(16)))
        .collect();
    let many: Vec<(&str, Option<&str>)> = many_headers
        .iter()
        .map(|(n, v)| (n.as_str(), Some(v.as_str())))
        .collect();
    let long_token = format!("Bearer {}", "t".repeat(64 * 1024));
    let (_, withdrawn) = csf_testkit::catalog::first_active_and_withdrawn();
    vec![
        // Content negotiation.
        case("wrong content type", post_with(&[("Content-Type", Some("text/plain"))], w), false),
        case("form content type", post_with(&[("Content-Type", Some("application/x-www-form-urlencoded"))], w), false),
        case("no content type", post_with(&[("Content-Type", None)], w), false),
        case("missing Accept", post_with(&[("Accept", None)], w), false),
        case("Accept text/html only", post_with(&[("Accept", Some("text/html"))], w), false),
        case("unknown protocol version", post_with(&[("MCP-Protocol-Version", Some("1999-01-01"))], w), false),
        // Size.
        case("body over the limit", post_with(&[], &over), false),
        case("chunked body over the limit", chunked_over, false),
        case("Content-Length says huge", post_with(&[("Content-Length", Some("99999999999"))], w), false),
        case("Content-Length and chunked", post_with(&[("Transfer-Encoding", Some("chunked"))], w), false),
        case("malformed chunk size", bad_chunk, false),
        case("two Content-Length values", {
            let mut r = post_with(&[], w);
            let at = r.windows(4).position(|x| x == b"\r\n\r\n").unwrap();
            r.splice(at..at, format!("\r\nContent-Length: {}", w.len() + 5).into_bytes());
            r
        }, false),
        // Body content.
        case("invalid JSON", post_with(&[], b"{\"jsonrpc\":\"2.0\",\"id\":7,"), false),
        case("empty body", post_with(&[], b""), false),
        case("JSON scalar", post_with(&[], b"42"), false),
        case("invalid UTF-8", post_with(&[], b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"create_organization\",\"arguments\":{\"name\":\"a\xff\xfeb\"}}}"), false),
        case("lone surrogate", post_with(&[], br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create_organization","arguments":{"name":"a\ud800b"}}}"#), false),
        case("raw NUL in string", post_with(&[], b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"create_organization\",\"arguments\":{\"name\":\"a\x00b\"}}}"), false),
        case("escaped NUL in name", post_with(&[], &create_org("a\u{0}b")), false),
        case("deep nesting", post_with(&[], &deep), false),
        case("batch with a write", post_with(&[], format!("[{},{}]", String::from_utf8_lossy(w), json!({"jsonrpc":"2.0","id":8,"method":"ping"})).as_bytes()), false),
        case("empty batch", post_with(&[], b"[]"), false),
        case("duplicate tool name", post_with(&[], br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"csf_lookup","name":"create_organization","arguments":{"name":"Dup","id":"GV"}}}"#), false),
        case("duplicate argument", post_with(&[], br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create_organization","arguments":{"name":"Valid","name":""}}}"#), false),
        case("id 2^64", post_with(&[], br#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"tools/call","params":{"name":"create_organization","arguments":{"name":"Big Id"}}}"#), false),
        case("id object", post_with(&[], br#"{"jsonrpc":"2.0","id":{"a":1},"method":"tools/call","params":{"name":"create_organization","arguments":{"name":"Obj Id"}}}"#), false),
        case("tool name not a string", post_with(&[], br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":["create_organization"],"arguments":{"name":"Arr"}}}"#), false),
        case("arguments not an object", post_with(&[], br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create_organization","arguments":["Arr"]}}"#), false),
        case("invalid arguments", post_with(&[], &call("record_assessment", json!({"profile_id": "prof_x", "entries": [{"subcategory_id": withdrawn, "status": "fully"}]}))), false),
        case("garbage cursor, organizations", post_with(&[], &call("list_organizations", json!({"cursor": garbage_cursor}))), false),
        case("garbage cursor, profiles", post_with(&[], &call("list_profiles", json!({"cursor": "org_not-a-position"}))), false),
        case("SQL lookalike id", post_with(&[], &call("delete_profile", json!({"profile_id": "'; DROP TABLE profiles;--", "confirm": "'; DROP TABLE profiles;--"}))), false),
        // Headers.
        case("1 MiB header", post_with(&[("X-Huge", Some(huge_header.as_str()))], w), false),
        case("2000 headers", post_with(&many, w), false),
        case("header with control byte", post_with(&[("X-Bad", Some("a\u{1}b"))], w), false),
        case("bad Host", post_with(&[("Host", Some("evil.example:80"))], w), true),
        case("bad Origin", post_with(&[("Origin", Some("http://evil.example"))], w), true),
        // Methods and paths.
        case("GET /mcp without session", request(addr, "GET", "/mcp", &[], b""), false),
        case("DELETE /mcp", request(addr, "DELETE", "/mcp", &[], b""), false),
        case("PUT /mcp", request(addr, "PUT", "/mcp", &[], w), false),
        case("traversal path", request(addr, "POST", "/mcp/../../etc/passwd", &[], w), false),
        // Stateless mode issues no sessions and ignores the header (session mode: see below),
        // so it must not bypass the scope check either.
        case("unknown session id, read key", post_with(&[("Mcp-Session-Id", Some("00000000-dead-beef-0000-000000000000")), ("Authorization", Some(format!("Bearer {READER_KEY}").as_str()))], w), true),
        // Credentials on a write tool.
        case("no credentials", post_with(&[("Authorization", None)], w), true),
        case("wrong key", post_with(&[("Authorization", Some("Bearer not-a-key"))], w), true),
        case("empty bearer", post_with(&[("Authorization", Some("Bearer "))], w), true),
        case("basic auth", post_with(&[("Authorization", Some("Basic d3JpdGVyOndyaXRlcg=="))], w), true),
        case("64 KiB token", post_with(&[("Authorization", Some(long_token.as_str()))], w), true),
        case("key with a suffix", post_with(&[("Authorization", Some(format!("Bearer {WRITER_KEY}x").as_str()))], w), true),
        case("key as X-API-Key, wrong", post_with(&[("Authorization", None), ("X-API-Key", Some("nope"))], w), true),
        case("read key writes", post_with(&[("Authorization", Some(format!("Bearer {READER_KEY}").as_str()))], w), true),
        case("read key, evidence write", post_with(&[("Authorization", Some(format!("Bearer {READER_KEY}").as_str()))], &call("create_evidence", json!({"org_id": "org_x", "title": "Read-only try", "kind": "log", "location": "https://siem.example/q/1"}))), true),
        case("read key, evidence link", post_with(&[("Authorization", Some(format!("Bearer {READER_KEY}").as_str()))], &call("link_evidence", json!({"evidence_id": "evd_x", "profile_id": "prof_x", "subcategory_ids": ["GV.OC-01"]}))), true),
        case("read key, evidence delete", post_with(&[("Authorization", Some(format!("Bearer {READER_KEY}").as_str()))], &call("delete_evidence", json!({"evidence_id": "evd_x"}))), true),
        case("read key, admin tool", post_with(&[("Authorization", Some(format!("Bearer {READER_KEY}").as_str()))], &call("reset_organization_data", json!({"org_id": "org_x", "confirm": "org_x"}))), true),
        case("read key, batch hiding a write", post_with(&[("Authorization", Some(format!("Bearer {READER_KEY}").as_str()))], format!("[{},{}]", json!({"jsonrpc":"2.0","id":8,"method":"ping"}), String::from_utf8_lossy(w)).as_bytes()), true),
        case("read key, write tool name escaped", post_with(&[("Authorization", Some(format!("Bearer {READER_KEY}").as_str()))], br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create\u005forganization","arguments":{"name":"Escaped"}}}"#), true),
        case("read key, invalid UTF-8 in a write", post_with(&[("Authorization", Some(format!("Bearer {READER_KEY}").as_str()))], b"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"create_organization\",\"arguments\":{\"name\":\"a\xff\"}}}"), true),
        case("read key, deep write", post_with(&[("Authorization", Some(format!("Bearer {READER_KEY}").as_str()))], &deep), true),
        case("read key, duplicate name, write last", post_with(&[("Authorization", Some(format!("Bearer {READER_KEY}").as_str()))], br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"csf_lookup","name":"create_organization","arguments":{"name":"Dup"}}}"#), true),
    ]
}

#[test]
fn hostile_http_is_refused_and_the_store_is_unchanged() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("http.db");
    let server = start(&db, &[]);
    let addr = server.addr.as_str();

    // A populated store, written through the server with the write key.
    let (active, _) = csf_testkit::catalog::first_active_and_withdrawn();
    let org = ok_call(addr, &create_org("Invented Harbour"));
    let org = org["organization"]["id"].as_str().unwrap().to_string();
    let p = ok_call(
        addr,
        &call(
            "create_profile",
            json!({"org_id": org, "kind": "current", "name": "now"}),
        ),
    );
    let profile = p["profile"]["id"].as_str().unwrap().to_string();
    ok_call(
        addr,
        &call(
            "record_assessment",
            json!({"profile_id": profile, "entries": [{"subcategory_id": active, "status": "partially"}]}),
        ),
    );
    let before = store_dump::snapshot(&db);
    let audit_before = store_dump::audit(&db);

    let all = cases(addr);
    // Every label of the expectations table names a case (a renamed case must not drop out).
    assert_eq!(
        all.iter().filter(|c| expected(c.label).is_some()).count(),
        23,
        "cases with an exact expectation"
    );
    let mut outcomes: std::collections::BTreeMap<String, usize> = Default::default();
    let mut unauthorised = 0;
    for c in &all {
        let a = exchange(addr, &c.raw);
        let how = refused(c, a.as_ref());
        check_expected(c, a.as_ref());
        *outcomes.entry(how).or_default() += 1;
        if c.unauthorised_write {
            unauthorised += 1;
            let a = a
                .as_ref()
                .unwrap_or_else(|| panic!("{}: no answer", c.label));
            assert!(
                (400..500).contains(&a.status),
                "{}: an unauthorised write got {}",
                c.label,
                a.status
            );
        }
        still_serving(addr, c.label);
    }
    // A garbage cursor to a paged read of a real profile is refused, not used as a
    // position; with as_of (not paged) a cursor is refused rather than ignored.
    for (args, says) in [
        (
            json!({"profile_id": profile, "cursor": "~".repeat(32 * 1024)}),
            "is not a cursor from a previous page",
        ),
        (
            json!({"profile_id": profile, "cursor": "ZZ.ZZ-99", "as_of": "2030-01-01T00:00:00Z"}),
            "`cursor` does not apply with `as_of`",
        ),
    ] {
        let a = post(addr, &[], &call("get_assessment", args)).expect("an answer");
        assert_eq!(a.status, 200, "{}", a.text());
        let m = a.response().expect("JSON-RPC");
        assert_eq!(m["result"]["isError"], true, "{m}");
        let text = m["result"]["content"][0]["text"]
            .as_str()
            .unwrap_or_default();
        assert!(text.contains(says), "expected {says:?} in {text:?}");
    }
    let audited = store_dump::assert_unchanged(&db, &before, &audit_before);

    // A valid write still works with the write key.
    let v = ok_call(addr, &create_org("After The Storm"));
    assert_eq!(v["organization"]["name"], "After The Storm");
    drop(server);

    // Session mode: an unknown session id is refused before anything runs.
    let db2 = dir.path().join("sessions.db");
    let sessions = start(&db2, &["--sessions"]);
    let a2 = sessions.addr.as_str();
    let a = post(
        a2,
        &[(
            "Mcp-Session-Id",
            Some("00000000-dead-beef-0000-000000000000"),
        )],
        &create_org("Ghost Session"),
    )
    .expect("an answer");
    assert!(
        (400..500).contains(&a.status),
        "unknown session: {} {}",
        a.status,
        a.text()
    );
    let session_status = a.status;
    // The store opens on first use: no file means nothing was written either.
    let orgs = if db2.exists() {
        store_dump::snapshot(&db2)
            .get("organizations")
            .cloned()
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    assert!(
        orgs.is_empty(),
        "a write ran in an unknown session: {orgs:?}"
    );
    drop(sessions);

    eprintln!(
        "bad-input http: {} hostile requests ({unauthorised} unauthorised writes, 0 succeeded), \
         outcomes {outcomes:?}; /healthz and a valid call answered after each; store unchanged \
         ({audited} error audit rows added); session mode: unknown session id -> \
         {session_status}, nothing written; {:.1} s",
        all.len(),
        started.elapsed().as_secs_f64()
    );
}
