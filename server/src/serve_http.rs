//! `serve --http`: the MCP handler behind csf-transport's Streamable HTTP stack (auth, limits,
//! health, metrics), on a small multi-threaded runtime.

use std::sync::Arc;

use anyhow::Context as _;
use csf_transport::{config::HttpConfig, http};

use crate::caller::Caller;
use crate::context::Context;
use crate::mcp::{toolset, CsfServer};

fn how_to_connect(config: &HttpConfig, console: bool) {
    let url = format!("http://{}/mcp", config.bind).replace("0.0.0.0", "127.0.0.1");
    eprintln!(
        "nist-csf-mcp: MCP over Streamable HTTP at {url}\n\
         \x20 MCP Inspector: npx @modelcontextprotocol/inspector@0.15.0 --cli {url} --transport http --method tools/list\n\
         \x20 Claude Code:   claude mcp add --transport http nist-csf {url}\n\
         \x20 curl:          curl -s {url} -H 'Content-Type: application/json' \\\n\
         \x20                  -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2025-11-25' \\\n\
         \x20                  -d '{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"csf_lookup\",\"arguments\":{{\"id\":\"GV.OC-01\"}}}}}}'\n\
         \x20 health: {}/healthz  readiness: /readyz  metrics: /metrics",
        url.trim_end_matches("/mcp")
    );
    if console {
        eprintln!(
            "  web console: {}/ui/  (turn it off with --no-console)",
            url.trim_end_matches("/mcp")
        );
    }
}

pub fn run(
    ctx: Arc<Context>,
    config: HttpConfig,
    console: Option<crate::console::ConsoleOptions>,
) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(std::thread::available_parallelism().map_or(2, |n| n.get().min(4)))
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        let server = CsfServer::new(ctx.clone());
        let service = ctx.service.clone();
        let hooks = http::Hooks::new(toolset::class_of)
            .with_readiness(move || {
                let service = service.clone();
                async move {
                    service
                        .health_check()
                        .await
                        .map_err(|e| format!("store: {e}"))
                }
            })
            .on_authenticated(|principal, extensions| {
                extensions.insert(Caller(Arc::from(principal.name.as_str())));
            });
        let hooks = match console {
            Some(options) => {
                let service = ctx.service.clone();
                hooks
                    .with_routes(move |auth| crate::console::routes(service.clone(), options, auth))
            }
            None => hooks,
        };
        how_to_connect(&config, console.is_some());
        http::serve(
            config,
            move || server.clone(),
            hooks,
            http::shutdown_signal(),
        )
        .await
        .context("HTTP server failed")?;
        tracing::info!("HTTP server stopped; closing the store");
        drop(ctx);
        Ok(())
    })
}
