//! Where simd-json wins: parsing and checking the replies the load generator reads (every
//! reply of a benchmark run, on the cores the server needs), and decoding a large import
//! request body. serde_json (`Value`) against simd-json (borrowed value, parsed in place; the
//! copy into a mutable buffer is counted). Real replies come from the server in process.
//! `cargo bench -p csf-benches --bench reply_check`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use csf_loadgen::{
    jsonrpc,
    reply::{self, Json},
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

/// The JSON-RPC reply line to a tool call, as the server writes it.
fn reply_line(server: &CsfServer, rt: &tokio::runtime::Runtime, tool: &str, a: Value) -> String {
    let result = rt.block_on(server.call(tool, args(a))).expect("tool");
    serde_json::to_string(&json!({"jsonrpc":"2.0","id":42,"result": result})).expect("encode")
}

fn reply_check(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = CsfServer::new(Arc::new(Context::in_memory().expect("store")));
    let id_check = |id: &str| Call {
        tool: String::new(),
        arguments: Value::Null,
        expect: vec![Expect::equals("/result/structuredContent/id", json!(id))],
    };
    let replies = [
        (
            "lookup-summary",
            reply_line(
                &server,
                &rt,
                "csf_lookup",
                json!({"id": "GV.OC-01", "detail": "summary"}),
            ),
            id_check("GV.OC-01"),
        ),
        (
            "lookup-full",
            reply_line(
                &server,
                &rt,
                "csf_lookup",
                json!({"id": "PR.AA-01", "detail": "full"}),
            ),
            id_check("PR.AA-01"),
        ),
        (
            "search-50",
            reply_line(
                &server,
                &rt,
                "search_framework",
                json!({"query": "risk", "limit": 50}),
            ),
            Call {
                tool: String::new(),
                arguments: Value::Null,
                expect: vec![Expect::at_least("/result/structuredContent/results", 1)],
            },
        ),
    ];
    for (name, line, call) in &replies {
        eprintln!("reply_check/{name}: {} bytes", line.len());
        c.bench_function(&format!("reply_check/{name}/serde_json"), |b| {
            b.iter(|| {
                let v: Value = serde_json::from_str(black_box(line)).unwrap();
                jsonrpc::check_tool_reply(&v, call).unwrap();
                jsonrpc::response_id(&v)
            })
        });
        let mut buf = Vec::with_capacity(line.len());
        c.bench_function(&format!("reply_check/{name}/simd-json"), |b| {
            b.iter(|| {
                buf.clear();
                buf.extend_from_slice(black_box(line).as_bytes());
                let v = reply::parse(&mut buf).unwrap();
                jsonrpc::check_tool_reply(&v, call).unwrap();
                jsonrpc::response_id(&v)
            })
        });
    }

    // A large import request: an assessment of every active subcategory with long notes, as
    // JSON content (invented text). rmcp decodes requests with serde_json; this says what
    // simd-json would change there.
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
    c.bench_function("decode/import-body/serde_json", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&body)).unwrap())
    });
    let mut buf = Vec::with_capacity(body.len());
    c.bench_function("decode/import-body/simd-json", |b| {
        b.iter(|| {
            buf.clear();
            buf.extend_from_slice(black_box(&body).as_bytes());
            reply::parse(&mut buf).unwrap().array_len()
        })
    });
}

criterion_group!(benches, reply_check);
criterion_main!(benches);
