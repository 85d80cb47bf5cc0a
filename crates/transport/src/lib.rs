//! Production transports for an rmcp MCP server, generic over any [`rmcp::ServerHandler`]:
//!
//! - [`http`]: Streamable HTTP at `/mcp` (stateless JSON by default, sessions + SSE by flag),
//!   `Host`/`Origin` allowlists, authentication ([`auth`]: none on loopback, hashed API keys,
//!   OAuth 2.1 JWT), scope enforcement per tool class ([`scope`]), limits (body size, timeout,
//!   concurrency with 503 + `Retry-After`, per-principal rate limit and shares of the slots and
//!   sessions, connections per client address, idle connections closed), `/healthz`,
//!   `/readyz`, `/metrics` ([`metrics`], labels from fixed sets only) and graceful shutdown;
//! - [`stdio`]: a stdio transport that stops reading while too many requests are in flight;
//! - [`healthcheck`]: a dependency-free probe for container health checks;
//! - [`config`]: the flags and `CSF_*` variables, validated.
//!
//! ```no_run
//! # use rmcp::ServerHandler;
//! # #[derive(Clone)] struct Demo;
//! # impl ServerHandler for Demo {}
//! # async fn demo() -> Result<(), csf_transport::http::HttpError> {
//! use csf_transport::{config::HttpConfig, http, scope::ToolClass};
//! let config = HttpConfig::new("127.0.0.1:8080".parse().unwrap());
//! let hooks = http::Hooks::new(|tool| match tool {
//!     "lookup" => Some(ToolClass::Read),
//!     _ => None,
//! });
//! http::serve(config, || Demo, hooks, http::shutdown_signal()).await
//! # }
//! ```

pub mod auth;
pub mod config;
mod config_error;
pub mod healthcheck;
pub mod hosts;
pub mod http;
pub mod limits;
pub mod logging;
pub mod metrics;
mod process_metrics;
pub mod rpc_inspect;
pub mod scope;
pub mod stdio;
mod text;

pub use auth::api_key::hash_key;
pub use auth::Principal;
pub use config::{ConnectionLimits, HttpArgs, HttpConfig};
pub use http::{Hooks, Lifecycle};
pub use metrics::Metrics;
pub use scope::ToolClass;
