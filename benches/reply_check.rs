//! The load generator's per-reply work with each way of parsing, like for like: what
//! `stdio_load` does (parse the line where it lies with serde_json into a tree borrowing its
//! strings, read the id, run the call's checks) against the same with serde_json into a `Value`
//! and with simd-json (copy the line into a reused buffer, parse it in place). Replies of every
//! size the generator sees: a small lookup, a full lookup, searches, the whole framework tree
//! with text, a JSON export of a full assessment, and a tool error. Then a large import request
//! body decoded both ways, for the server side. The replies are made at bench time by the
//! server in process, from the catalog compiled in (nothing captured is stored). Figures:
//! results/amd64/reply-check.md. `cargo bench -p csf-benches --bench reply_check`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use csf_loadgen::{
    jsonrpc, reply,
    scenario::{Call, Expect},
};
use nist_csf_mcp::{Context, CsfServer};
use rmcp::model::JsonObject;
use serde_json::{json, Value};

fn args(v: Value) -> JsonObject {
    match v {
        Value::Object(o) => o,
        _ => JsonObject::new(),
    }
}

/// The result of a tool call, failing the bench (not measuring a wrong reply) if there is none.
fn result(server: &CsfServer, rt: &tokio::runtime::Runtime, tool: &str, a: Value) -> Value {
    let r = rt.block_on(server.call(tool, args(a))).expect("tool");
    serde_json::to_value(r).expect("encode")
}

/// The reply line as the generator reads it from the server's stdout (newline included).
fn line(result: &Value) -> String {
    let mut s =
        serde_json::to_string(&json!({"jsonrpc":"2.0","id":42,"result": result})).expect("encode");
    s.push('\n');
    s
}

fn call(expect: Vec<Expect>) -> Call {
    Call {
        tool: String::new(),
        arguments: Value::Null,
        expect,
    }
}

/// An assessment of every active subcategory with invented notes, then its JSON export: the
/// largest reply a read tool gives.
fn export_reply(server: &CsfServer, rt: &tokio::runtime::Runtime) -> Value {
    let org = result(server, rt, "create_organization", json!({"name": "Bench"}));
    let org_id = &org["structuredContent"]["organization"]["id"];
    let profile = result(
        server,
        rt,
        "create_profile",
        json!({"org_id": org_id, "kind": "current", "name": "p"}),
    );
    let pid = profile["structuredContent"]["profile"]["id"].clone();
    let subs: Vec<&str> = csf_catalog::subcategories()
        .iter()
        .filter(|s| !s.withdrawn)
        .map(|s| s.id)
        .collect();
    for chunk in subs.chunks(100) {
        let entries: Vec<Value> = chunk
            .iter()
            .map(|s| {
                json!({"subcategory_id": s, "status": "partially", "maturity": 2,
                       "owner": "Security team", "priority": "high",
                       "notes": "Invented bench note: \"quoted\" words, a path a/b\\c and a tab\t. "
                           .repeat(4)})
            })
            .collect();
        let r = result(
            server,
            rt,
            "record_assessment",
            json!({"profile_id": pid, "entries": entries}),
        );
        assert_ne!(r["isError"], json!(true), "record: {r}");
    }
    result(
        server,
        rt,
        "export_data",
        json!({"profile_id": pid, "format": "json"}),
    )
}

fn config() -> Criterion {
    // About four seconds per benchmark, so one run of the whole file stays under two minutes.
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
}

fn replies(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = CsfServer::new(Arc::new(Context::in_memory().expect("store")));
    let id_is = |id: &str| {
        call(vec![Expect::equals(
            "/result/structuredContent/id",
            json!(id),
        )])
    };
    let results = "/result/structuredContent/results";
    let cases = [
        // The checks the stdio scenarios make (benches/scenarios/lookup-stdio.toml and
        // search-stdio.toml).
        (
            "lookup-summary",
            result(
                &server,
                &rt,
                "csf_lookup",
                json!({"id": "GV.OC-01", "detail": "summary"}),
            ),
            id_is("GV.OC-01"),
            true,
        ),
        (
            "lookup-full",
            result(
                &server,
                &rt,
                "csf_lookup",
                json!({"id": "DE.CM-01", "detail": "full"}),
            ),
            id_is("DE.CM-01"),
            true,
        ),
        (
            "search-10",
            result(
                &server,
                &rt,
                "search_framework",
                json!({"query": "supply chain risk", "limit": 10}),
            ),
            call(vec![
                Expect::at_least(results, 5),
                Expect::starts_with(&format!("{results}/0/id"), "GV.SC"),
            ]),
            true,
        ),
        (
            "search-50",
            result(
                &server,
                &rt,
                "search_framework",
                json!({"query": "risk", "limit": 50}),
            ),
            call(vec![Expect::at_least(results, 1)]),
            true,
        ),
        (
            "list-framework-text",
            result(&server, &rt, "list_framework", json!({"with_text": true})),
            call(vec![Expect::at_least(
                "/result/structuredContent/functions",
                6,
            )]),
            true,
        ),
        (
            "export-json",
            export_reply(&server, &rt),
            call(vec![Expect::equals(
                "/result/structuredContent/format",
                json!("json"),
            )]),
            true,
        ),
        // A tool error: the check fails and writes its message (the clipped reply).
        (
            "tool-error",
            result(&server, &rt, "csf_lookup", json!({"id": "ZZ.ZZ-99"})),
            call(vec![]),
            false,
        ),
    ];

    for (name, result, call, passes) in &cases {
        let line = line(result);
        // Both parsers must agree with the expected outcome, or the figures mean nothing.
        let serde_outcome = check_serde(&line, call);
        let mut buf = Vec::new();
        let simd_outcome = check_simd(&line, &mut buf, call);
        assert_eq!(serde_outcome, simd_outcome, "{name}: parsers disagree");
        let borrowed_outcome = check_serde_borrowed(&line, call);
        assert_eq!(serde_outcome, borrowed_outcome, "{name}: parsers disagree");
        assert_eq!(
            serde_outcome.1.is_ok(),
            *passes,
            "{name}: {serde_outcome:?}"
        );
        eprintln!("reply_check/{name}: {} bytes", line.len());

        let mut g = c.benchmark_group(format!("reply_check/{name}"));
        g.bench_function("serde_json", |b| {
            b.iter(|| check_serde(black_box(&line), call))
        });
        g.bench_function("serde_json-borrowed", |b| {
            b.iter(|| check_serde_borrowed(black_box(&line), call))
        });
        g.bench_function("simd-json", |b| {
            b.iter(|| check_simd(black_box(&line), &mut buf, call))
        });
        g.finish();
    }
}

/// The same with serde_json into a `Value` (the line parsed where it lies, no copy needed).
fn check_serde(line: &str, call: &Call) -> (Option<u64>, Result<(), String>) {
    let msg: Value = match serde_json::from_str(line.trim_end()) {
        Ok(v) => v,
        Err(e) => return (None, Err(format!("unparseable line: {e}"))),
    };
    (
        jsonrpc::response_id(&msg),
        jsonrpc::check_tool_reply(&msg, call),
    )
}

/// The generator's per-reply work as `stdio_load` does it: into a tree borrowing from the line.
fn check_serde_borrowed(line: &str, call: &Call) -> (Option<u64>, Result<(), String>) {
    let msg = match reply::parse(line.trim_end()) {
        Ok(v) => v,
        Err(e) => return (None, Err(e)),
    };
    (
        jsonrpc::response_id(&msg),
        jsonrpc::check_tool_reply(&msg, call),
    )
}

/// The same with simd-json, as the generator did it before: a copy, then a parse in place.
fn check_simd(line: &str, buf: &mut Vec<u8>, call: &Call) -> (Option<u64>, Result<(), String>) {
    buf.clear();
    buf.extend_from_slice(line.trim_end().as_bytes());
    let msg = match reply::simd::parse(buf) {
        Ok(v) => v,
        Err(e) => return (None, Err(e)),
    };
    (
        jsonrpc::response_id(&msg),
        jsonrpc::check_tool_reply(&msg, call),
    )
}

/// A large import request (an assessment of every active subcategory with long invented notes,
/// as JSON content): rmcp decodes requests with serde_json into owned values; simd-json's
/// serde-compatible decode into the same `Value` is what the server could switch to, and the
/// borrowed parse is simd-json's best case (not usable by rmcp, shown as a bound).
fn import_body(c: &mut Criterion) {
    let entries: Vec<Value> = csf_catalog::subcategories()
        .iter()
        .filter(|s| !s.withdrawn)
        .map(|s| {
            json!({"subcategory_id": s.id, "status": "partially",
                   "notes": "lorem ipsum dolor sit amet ".repeat(40)})
        })
        .collect();
    let content = serde_json::to_string(&entries).unwrap();
    let body = serde_json::to_string(&json!({"jsonrpc":"2.0","id":1,"method":"tools/call",
        "params":{"name":"import_assessment","arguments":{"profile_id":"p","format":"json",
        "content": content}}}))
    .unwrap();
    eprintln!("decode/import-body: {} bytes", body.len());
    let mut g = c.benchmark_group("decode/import-body");
    g.bench_function("serde_json", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&body)).unwrap())
    });
    let mut buf = Vec::with_capacity(body.len());
    g.bench_function("simd-json-value", |b| {
        b.iter(|| {
            buf.clear();
            buf.extend_from_slice(black_box(&body).as_bytes());
            simd_json::serde::from_slice::<Value>(&mut buf).unwrap()
        })
    });
    g.bench_function("simd-json-borrowed", |b| {
        b.iter(|| {
            buf.clear();
            buf.extend_from_slice(black_box(&body).as_bytes());
            reply::simd::parse(&mut buf).is_ok()
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = replies, import_body
}
criterion_main!(benches);
