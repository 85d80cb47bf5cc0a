//! Test-only MCP server behind csf-transport, for the transport's flood test, real MCP clients
//! (scripts/test-http-clients.sh) and the wrk benchmark (not the product).
//!
//! `transport-test-server --http [ADDR] [transport flags]` serves Streamable HTTP;
//! `transport-test-server --stdio [--max-concurrent N]` serves bounded stdio;
//! `transport-test-server --stdio-unbounded` serves rmcp's plain stdio (for comparison only);
//! `transport-test-server --raw-rmcp-http ADDR` serves rmcp alone (the benchmark's floor).

use anyhow::Context;
use clap::Parser;
use csf_transport::config::LogFormat;
use csf_transport::{http, logging, stdio, HttpArgs};
use csf_transport_test_server as handler;
use rmcp::ServiceExt;

#[derive(Parser)]
struct Cli {
    /// Serve bounded stdio instead of HTTP.
    #[arg(long)]
    stdio: bool,
    /// Serve rmcp's unbounded stdio (comparison for the flood test).
    #[arg(long)]
    stdio_unbounded: bool,
    /// Serve rmcp's Streamable HTTP without our gate at ADDR (benchmark baseline only).
    #[arg(long, value_name = "ADDR")]
    raw_rmcp_http: Option<String>,
    /// Log format on stderr.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(flatten)]
    transport: HttpArgs,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    logging::init(cli.log_format, "warn");
    let server = handler::TestServer::new();
    if cli.stdio || cli.stdio_unbounded {
        let running = if cli.stdio_unbounded {
            server.serve(rmcp::transport::stdio()).await?
        } else {
            server
                .serve(stdio::stdio(cli.transport.max_concurrent))
                .await?
        };
        running.waiting().await?;
        return Ok(());
    }
    if let Some(addr) = cli.raw_rmcp_http {
        return raw_rmcp_http(&addr, server).await;
    }
    let config = cli
        .transport
        .to_config()?
        .context("give --http [ADDR] or --stdio")?;
    let hooks = http::Hooks::new(handler::classify);
    http::serve(
        config,
        move || server.clone(),
        hooks,
        http::shutdown_signal(),
    )
    .await?;
    Ok(())
}

/// The floor: rmcp's service alone (stateless JSON, TCP_NODELAY), no allowlists, auth,
/// limits or metrics. Measuring both side by side gives the gate's cost as a ratio.
async fn raw_rmcp_http(addr: &str, server: handler::TestServer) -> anyhow::Result<()> {
    use axum::serve::ListenerExt;
    use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
    use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .disable_allowed_hosts();
    let service = StreamableHttpService::new(
        move || Ok(server.clone()),
        std::sync::Arc::new(NeverSessionManager::default()),
        config,
    );
    let router = axum::Router::new().route_service("/mcp", service);
    let listener = tokio::net::TcpListener::bind(addr).await?.tap_io(|s| {
        let _ = s.set_nodelay(true);
    });
    axum::serve(listener, router)
        .with_graceful_shutdown(http::shutdown_signal())
        .await?;
    Ok(())
}
