//! HTTP body decode end to end: a POST to `/mcp` through csf-transport's real router (gate,
//! scope check, rmcp's Streamable HTTP service in stateless JSON mode) with the real server on
//! an in-memory store, in process via `oneshot` (no socket).
//!
//! Properties: every body gets an answer, never a 5xx (a body is the client's fault or fine).

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::Router;
use csf_transport::{config::HttpConfig, http};
use http_body_util::BodyExt;
use nist_csf_mcp::mcp::toolset;
use nist_csf_mcp::{Context, CsfServer};
use tower::ServiceExt;


/// Built once: the store persists across inputs like a long-running server's would.
fn router() -> &'static Router {
    static ROUTER: OnceLock<Router> = OnceLock::new();
    ROUTER.get_or_init(|| {
        let ctx = Arc::new(Context::in_memory().expect("an in-memory store opens"));
        let server = CsfServer::new(ctx);
        let config = HttpConfig::new(([127, 0, 0, 1], 8080).into());
        let lifecycle = http::Lifecycle::new();
        // Called inside `block_on`, so anything the router spawns while built finds the runtime.
        http::app(
            &config,
            move || server.clone(),
            http::Hooks::new(toolset::class_of),
            &lifecycle,
        )
        .expect("the default HTTP configuration is valid")
    })
}

pub fn run(body: &[u8]) {
    crate::harness::http_decode::run(body);
    let request = ::http::Request::post("/mcp")
        .header("host", "127.0.0.1:8080")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
        .body(Body::from(body.to_vec()))
        .expect("a fixed request builds");
    crate::harness::runtime::block_on(async {
        let response = router()
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        assert!(
            !status.is_server_error(),
            "HTTP {status} for a client body: {}",
            String::from_utf8_lossy(&bytes)
        );
    });
}
