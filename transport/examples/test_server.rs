//! Test-only MCP server for the transport's client and flood tests (not the product).
//!
//! `test_server --http [ADDR] [transport flags]` serves Streamable HTTP;
//! `test_server --stdio [--max-concurrent N]` serves bounded stdio;
//! `test_server --stdio-unbounded` serves rmcp's plain stdio (for comparison only).

#[path = "../tests/common/handler.rs"]
#[allow(dead_code)] // the write counter is read by the tests only
mod handler;

use anyhow::Context;
use clap::Parser;
use csf_transport::{http, logging, stdio, HttpArgs};
use rmcp::ServiceExt;

#[derive(Parser)]
struct Cli {
    /// Serve bounded stdio instead of HTTP.
    #[arg(long)]
    stdio: bool,
    /// Serve rmcp's unbounded stdio (comparison for the flood test).
    #[arg(long)]
    stdio_unbounded: bool,
    #[command(flatten)]
    transport: HttpArgs,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    logging::init(cli.transport.log_format, "warn");
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
