//! Replays every committed fuzz input — the seeds in `fuzz/seeds/<target>` and crash reproducers in
//! `fuzz/regressions/<target>` — through the very harness functions the
//! fuzz targets call (the `csf-fuzz-harness` crate, fuzz/harness), under plain `cargo test`:
//! no libFuzzer, no nightly. A crash found once stays fixed.
//!
//! HTTP bodies also go through the real router over loopback (the fuzz target does that in
//! process with tower's `oneshot`; tower is not a dependency here, so a socket stands in).

use csf_fuzz_harness as harness;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use csf_testkit::http::{Answer, Request};
use csf_transport::{config::HttpConfig, http};
use nist_csf_mcp::mcp::toolset;
use nist_csf_mcp::{Context, CsfServer};

/// Every committed input of `target`, seeds first; fails if the target has no seeds at all
/// (a renamed directory must not turn this test into one that cannot fail).
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut out = Vec::new();
    // The merged corpus (fuzz/corpus) is a local or CI cache, not committed: replaying it here
    // would make the test depend on the machine.
    for kind in ["seeds", "regressions"] {
        let Ok(dir) = std::fs::read_dir(root.join(kind).join(target)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.is_file()) {
            let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.push((path, data));
        }
    }
    let seeds = root.join("seeds").join(target);
    assert!(
        out.iter().any(|(p, _)| p.starts_with(&seeds)),
        "no seed inputs for `{target}` in {}",
        seeds.display()
    );
    out
}

/// Runs `check` on every input; reports every failing file, not just the first.
fn replay(target: &str, check: impl Fn(&[u8])) {
    let failures: Vec<String> = inputs(target)
        .iter()
        .filter(|(_, data)| catch_unwind(AssertUnwindSafe(|| check(data))).is_err())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        failures.is_empty(),
        "{target}: {} input(s) fail: {failures:#?}",
        failures.len()
    );
}

#[test]
fn stdio_framing() {
    replay("stdio_framing", harness::stdio_framing::run);
}

#[test]
fn tool_arguments() {
    replay("tool_arguments", harness::tool_calls::run);
}

#[test]
fn import_parse() {
    replay("import_parse", harness::import::run);
}

#[test]
fn id_normalisation() {
    replay("id_normalisation", harness::ids::run);
}

#[test]
fn search_queries() {
    replay("search_queries", harness::search::run);
}

#[test]
fn http_body() {
    let server = LoopbackServer::start();
    replay("http_body", |body| {
        harness::http_decode::run(body);
        let answer = server.post(body);
        assert!(
            answer.status < 500,
            "HTTP {} for a client body: {}\n{}",
            answer.status,
            answer.head,
            answer.body
        );
    });
}

/// csf-transport's router with the real server on an in-memory store, on 127.0.0.1:<free>.
struct LoopbackServer {
    addr: std::net::SocketAddr,
    _runtime: tokio::runtime::Runtime,
}

impl LoopbackServer {
    fn start() -> LoopbackServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("loopback port");
        let addr = listener.local_addr().expect("bound address");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let config = HttpConfig::new(addr);
        let server = CsfServer::new(Arc::new(Context::in_memory().expect("in-memory store")));
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            let lifecycle = http::Lifecycle::new();
            let router = http::app(
                &config,
                move || server.clone(),
                http::Hooks::new(toolset::class_of),
                &lifecycle,
            )
            .expect("default HTTP config is valid");
            let never = std::future::pending::<()>();
            let _ = http::run(listener, router, lifecycle, never, Duration::from_secs(1)).await;
        });
        LoopbackServer {
            addr,
            _runtime: runtime,
        }
    }

    /// One `POST /mcp` on a fresh connection.
    fn post(&self, body: &[u8]) -> Answer {
        Request::mcp(body)
            .send_within(&self.addr.to_string(), Duration::from_secs(30))
            .unwrap_or_else(|e| panic!("POST to the loopback server: {e}"))
    }
}
