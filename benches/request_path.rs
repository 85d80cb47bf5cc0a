//! Server hot paths, in process: JSON-RPC decode/encode of real MCP messages (serde_json, which
//! rmcp uses, against simd-json), tool dispatch through the registry, and store writes/reads on
//! SQLite. `cargo bench -p csf-benches`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use nist_csf_mcp::{Context, CsfServer};
use rmcp::model::JsonObject;
use serde_json::{json, Value};

const LOOKUP_REQUEST: &str = r#"{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"csf_lookup","arguments":{"id":"PR.AA-03","detail":"standard"}}}"#;

fn args(v: Value) -> JsonObject {
    match v {
        Value::Object(o) => o,
        _ => JsonObject::new(),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn codec(c: &mut Criterion) {
    let rt = runtime();
    let server = CsfServer::new(Arc::new(Context::in_memory().expect("store")));
    let result = rt
        .block_on(server.call("csf_lookup", args(json!({"id": "PR.AA-03"}))))
        .expect("tool");
    let response =
        serde_json::to_string(&json!({"jsonrpc":"2.0","id":42,"result": result})).expect("encode");

    c.bench_function("decode/request/serde_json", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(LOOKUP_REQUEST)))
    });
    c.bench_function("decode/request/simd-json", |b| {
        b.iter_batched(
            || LOOKUP_REQUEST.as_bytes().to_vec(),
            |mut bytes| simd_json::serde::from_slice::<Value>(black_box(&mut bytes)),
            BatchSize::SmallInput,
        )
    });
    let parsed: Value = serde_json::from_str(&response).expect("json");
    c.bench_function("decode/response/serde_json", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&response)))
    });
    c.bench_function("decode/response/simd-json", |b| {
        b.iter_batched(
            || response.as_bytes().to_vec(),
            |mut bytes| simd_json::serde::from_slice::<Value>(black_box(&mut bytes)),
            BatchSize::SmallInput,
        )
    });
    c.bench_function("encode/response/serde_json", |b| {
        b.iter(|| serde_json::to_string(black_box(&parsed)))
    });
    c.bench_function("encode/response/simd-json", |b| {
        b.iter(|| simd_json::to_string(black_box(&parsed)))
    });
}

fn dispatch(c: &mut Criterion) {
    let rt = runtime();
    let server = CsfServer::new(Arc::new(Context::in_memory().expect("store")));
    for (name, tool, a) in [
        (
            "dispatch/csf_lookup",
            "csf_lookup",
            json!({"id": "PR.AA-03"}),
        ),
        (
            "dispatch/search_framework",
            "search_framework",
            json!({"query": "supply chain risk"}),
        ),
        (
            "dispatch/get_informative_references",
            "get_informative_references",
            json!({"id": "ia-2"}),
        ),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| rt.block_on(server.call(tool, args(a.clone()))))
        });
    }
}

fn store(c: &mut Criterion) {
    let rt = runtime();
    let dir = std::env::temp_dir().join(format!("csf-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let db = dir.join("bench.db");
    let server = CsfServer::new(Arc::new(Context::new(db.to_string_lossy(), "bench")));
    let call = |tool: &str, a: Value| {
        rt.block_on(server.call(tool, args(a)))
            .and_then(|r| r.structured_content)
            .unwrap_or(Value::Null)
    };
    let org = call("create_organization", json!({"name": "Bench"}));
    let profile = call(
        "create_profile",
        json!({"org_id": org["organization"]["id"], "kind": "current", "name": "p"}),
    );
    let pid = profile["profile"]["id"].clone();
    let subs: Vec<&str> = csf_catalog::subcategories()
        .iter()
        .filter(|s| !s.withdrawn)
        .map(|s| s.id)
        .collect();
    let mut flip = false;
    c.bench_function("store/record_10_entries (SQLite file)", |b| {
        b.iter(|| {
            flip = !flip;
            let status = if flip { "partially" } else { "largely" };
            let entries: Vec<Value> = subs[..10]
                .iter()
                .map(|s| json!({"subcategory_id": s, "status": status}))
                .collect();
            call(
                "record_assessment",
                json!({"profile_id": pid, "entries": entries}),
            )
        })
    });
    c.bench_function("store/get_assessment (SQLite file)", |b| {
        b.iter(|| call("get_assessment", json!({"profile_id": pid})))
    });
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, codec, dispatch, store);
criterion_main!(benches);
