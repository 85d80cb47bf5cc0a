//! The floor server (binary `rmcp-floor`): the smallest honest MCP server rmcp can make, used
//! as the floor that nist-csf-mcp's figures are divided by.
//!
//! It has one tool, `echo` (text in, the same text out, as text content and as
//! `structuredContent`), and the same build as the product: release profile, mimalloc,
//! the same rmcp version, and for the image comparison the same static musl target and
//! size profile (`scripts/image/build-binaries.sh --floor`). Every millisecond or megabyte it
//! costs is the price of the SDK, the runtime and the process; whatever the product costs
//! above it is ours.
//!
//! ```text
//! rmcp-floor                     # MCP over stdio (newline-delimited JSON-RPC)
//! rmcp-floor --http 127.0.0.1:0  # Streamable HTTP at /mcp, stateless, JSON responses
//! ```
//! With `--http`, the bound address is printed to stderr as `listening on ADDR`.

use std::{net::SocketAddr, sync::Arc};

use anyhow::Context as _;
use axum::serve::ListenerExt as _;
use clap::Parser;
use rmcp::{
    handler::server::{router::tool::ToolRouter, wrapper::Parameters},
    model::{Implementation, ServerCapabilities, ServerConfig},
    tool, tool_handler, tool_router,
    transport::streamable_http_server::{
        session::{local::LocalSessionManager, never::NeverSessionManager},
        StreamableHttpServerConfig, StreamableHttpService,
    },
    Json, ServiceExt as _,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Parser)]
#[command(
    name = "rmcp-floor",
    about = "Minimal rmcp server with one echo tool (benchmark floor)"
)]
struct Args {
    /// Serve Streamable HTTP (stateless, JSON responses) at ADDR instead of stdio.
    #[arg(long, value_name = "ADDR")]
    http: Option<SocketAddr>,
    /// With --http: keep legacy sessions (initialize -> Mcp-Session-Id) instead of stateless.
    #[arg(long, requires = "http")]
    session: bool,
}

/// Arguments of the `echo` tool.
#[derive(Deserialize, JsonSchema)]
struct EchoArgs {
    /// Text to send back unchanged.
    text: String,
}

/// Result of the `echo` tool.
#[derive(Serialize, JsonSchema)]
struct EchoOutput {
    /// The text that was sent.
    text: String,
}

/// The floor handler: one router built once, cloned cheaply per HTTP request.
#[derive(Clone)]
struct Floor {
    tool_router: Arc<ToolRouter<Floor>>,
}

#[tool_router]
impl Floor {
    fn new() -> Self {
        Self {
            tool_router: Arc::new(Self::tool_router()),
        }
    }

    /// Return the given text unchanged.
    #[tool(name = "echo", annotations(read_only_hint = true))]
    async fn echo(&self, Parameters(args): Parameters<EchoArgs>) -> Json<EchoOutput> {
        Json(EchoOutput { text: args.text })
    }
}

#[tool_handler(router = self.tool_router)]
impl rmcp::ServerHandler for Floor {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("rmcp-floor", env!("CARGO_PKG_VERSION")))
    }
}

/// Runs the floor server from the process arguments.
pub fn main() -> std::process::ExitCode {
    match run(Args::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rmcp-floor: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    match args.http {
        // stdio is one sequential stream: a single-threaded runtime, as the product uses.
        None => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(serve_stdio()),
        // HTTP takes concurrent connections: one worker per core.
        Some(addr) => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(serve_http(addr, args.session)),
    }
}

async fn serve_stdio() -> anyhow::Result<()> {
    let running = Floor::new()
        .serve(rmcp::transport::stdio())
        .await
        .context("stdio handshake")?;
    running.waiting().await?;
    Ok(())
}

async fn serve_http(addr: SocketAddr, session: bool) -> anyhow::Result<()> {
    let floor = Floor::new();
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(session)
        .with_json_response(true)
        .with_sse_keep_alive(None);
    let factory = move || Ok(floor.clone());
    let app = if session {
        let sessions = Arc::new(LocalSessionManager::default());
        axum::Router::new().nest_service(
            "/mcp",
            StreamableHttpService::new(factory, sessions, config),
        )
    } else {
        let sessions = Arc::new(NeverSessionManager::default());
        axum::Router::new().nest_service(
            "/mcp",
            StreamableHttpService::new(factory, sessions, config),
        )
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("bind {addr}"))?;
    eprintln!("listening on {}", listener.local_addr()?);
    // Without TCP_NODELAY, Nagle + delayed ACK caps a keep-alive connection at ~25 req/s.
    let listener = listener.tap_io(|tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            eprintln!("rmcp-floor: TCP_NODELAY: {err}");
        }
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
