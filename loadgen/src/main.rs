//! `csf-loadgen`: the load generator and verifier behind `make bench` and `make bench-gate`.
//!
//! It speaks raw newline-delimited JSON-RPC (stdio) and raw HTTP/1.1 (Streamable HTTP) to an
//! MCP server, checks every reply against the answer the scenario expects, and records
//! latency (HDR histograms), throughput, RSS, cold start, instruction counts and image size,
//! for our server and for the rmcp floor server side by side, as ratios.
//!
//! ```text
//! csf-loadgen run --profile standard benches/scenarios/*.toml     # all scenarios -> results/<arch>/
//! csf-loadgen gate --results DIR                          # compare with baseline + targets
//! csf-loadgen stdio -n 8 --requests 10000 --tool echo --args '{"text":"x"}' -- rmcp-floor
//! csf-loadgen cold-start --runs 50 --export-json cs.json -- nist-csf-mcp serve
//! csf-loadgen soak --duration 600                        # steady mixed load, RSS slope
//! csf-loadgen flood --quick                               # overload, slowloris, stdio floods
//! ```

mod cli;
mod cold_start;
mod flood;
mod gate;
mod history;
mod http_load;
mod icount;
mod image_size;
mod jsonrpc;
mod machine;
mod procfs;
mod raw_http;
mod record;
mod runner;
mod scenario;
mod server;
mod soak;
mod stats;
mod stdio_load;
mod summary;

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    match cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("csf-loadgen: error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}
