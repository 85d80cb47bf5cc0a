//! A tiny MCP server for the transport's tests: read tools (`echo`, `wait`, `whoami`) and one
//! write tool (`record`) that counts its calls, so tests can prove a refused write wrote nothing.
//! The transport's tests run it in process; the `transport-test-server` binary serves it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::Extension;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{Implementation, ServerCapabilities, ServerConfig};
use rmcp::{tool, tool_handler, tool_router, ServerHandler};
use schemars::JsonSchema;
use serde::Deserialize;

use csf_transport::ToolClass;

#[derive(Debug, Deserialize, JsonSchema)]
pub struct EchoArgs {
    /// Text to send back.
    pub text: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct WaitArgs {
    /// Milliseconds to sleep (at most 5000).
    pub ms: u64,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct RecordArgs {
    /// Value to record.
    pub value: String,
}

/// A server-side type a `Hooks::on_authenticated` hook may attach to requests.
#[derive(Clone)]
pub struct CallerTag(pub String);

/// Cheap to clone: the router is built once and shared, as the stateless factory clones per request.
#[derive(Clone)]
pub struct TestServer {
    writes: Arc<AtomicUsize>,
    tool_router: Arc<ToolRouter<TestServer>>,
}

impl Default for TestServer {
    fn default() -> Self {
        TestServer::new()
    }
}

#[tool_router(router = tool_router)]
impl TestServer {
    pub fn new() -> TestServer {
        TestServer {
            writes: Arc::new(AtomicUsize::new(0)),
            tool_router: Arc::new(Self::tool_router()),
        }
    }

    /// How many times `record` ran.
    pub fn writes(&self) -> usize {
        self.writes.load(Ordering::SeqCst)
    }

    /// Returns its input (read-only).
    #[tool(annotations(read_only_hint = true))]
    async fn echo(&self, Parameters(args): Parameters<EchoArgs>) -> String {
        args.text
    }

    /// Sleeps, then answers (read-only; for overload and timeout tests).
    #[tool(annotations(read_only_hint = true))]
    async fn wait(&self, Parameters(args): Parameters<WaitArgs>) -> String {
        tokio::time::sleep(std::time::Duration::from_millis(args.ms.min(5000))).await;
        "waited".to_string()
    }

    /// Names the authenticated caller (HTTP only: the transport puts a `Principal` in the
    /// request parts rmcp hands to handlers).
    #[tool(annotations(read_only_hint = true))]
    async fn whoami(&self, Extension(parts): Extension<http::request::Parts>) -> String {
        parts
            .extensions
            .get::<CallerTag>()
            .map(|tag| tag.0.clone())
            .or_else(|| {
                parts
                    .extensions
                    .get::<csf_transport::Principal>()
                    .map(|p| p.name.clone())
            })
            .unwrap_or_else(|| "nobody".to_string())
    }

    /// Records a value (a write).
    #[tool(annotations(read_only_hint = false, destructive_hint = false))]
    async fn record(&self, Parameters(args): Parameters<RecordArgs>) -> String {
        let n = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
        format!("recorded {} (write #{n})", args.value.len())
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for TestServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build()).with_server_info(
            Implementation::new("csf-transport-test", env!("CARGO_PKG_VERSION")),
        )
    }
}

/// The classifier the transport uses for this server.
pub fn classify(tool: &str) -> Option<ToolClass> {
    match tool {
        "echo" | "wait" | "whoami" => Some(ToolClass::Read),
        "record" => Some(ToolClass::Write),
        _ => None,
    }
}
