//! The load generator and verifier behind `make bench` and `make bench-gate`, as a library.
//!
//! It speaks raw newline-delimited JSON-RPC (stdio) and raw HTTP/1.1 (Streamable HTTP) to an
//! MCP server, checks every reply against the answer the scenario expects, and records
//! latency (HDR histograms), throughput, RSS/PSS, cold start, page faults, instruction counts
//! and image size, for each build of our server and for the rmcp floor server side by side,
//! with bootstrap confidence intervals on medians and ratios.
//!
//! Two thin binaries sit on top: `csf-loadgen` ([`cli::main`]) and `rmcp-floor`
//! ([`floor::main`]). Tests drive the library directly:
//!
//! ```no_run
//! use csf_loadgen::{adhoc::AdHoc, scenario::Kind};
//!
//! let mut run = AdHoc::new(vec!["target/release/rmcp-floor".into()]);
//! run.load.runs = 5;
//! let row = csf_loadgen::adhoc::measure(Kind::ColdStart, &run).unwrap();
//! assert!(row.metrics["cold_start_median_ms"] > 0.0);
//! ```
//!
//! ```text
//! csf-loadgen run --profile standard benches/scenarios/*.toml     # all scenarios -> results/<arch>/
//! csf-loadgen gate --results DIR                          # compare with baseline + targets
//! csf-loadgen stdio -n 8 --requests 10000 --tool echo --args '{"text":"x"}' -- rmcp-floor
//! csf-loadgen cold-start --runs 50 --export-json cs.json -- nist-csf-mcp serve
//! csf-loadgen soak --duration 600                        # steady mixed load, RSS slope
//! csf-loadgen flood --quick                               # overload, slowloris, stdio floods
//! ```

pub mod adhoc;
pub mod cli;
pub mod cold_start;
pub mod flood;
pub mod floor;
pub mod gate;
pub mod history;
pub mod http_load;
pub mod hyperfine;
pub mod icount;
pub mod image_size;
pub mod jsonrpc;
pub mod machine;
pub mod procfs;
pub mod raw_http;
pub mod record;
pub mod reply;
pub mod runner;
pub mod scenario;
pub mod server;
pub mod soak;
pub mod stats;
pub mod stdio_load;
pub mod stop;
pub mod summary;
