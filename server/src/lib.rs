//! nist-csf-mcp: a Model Context Protocol server for the NIST Cybersecurity Framework 2.0.
//!
//! Layers, with data flowing one way: `transport` (the binary's `serve`) -> [`mcp`] (thin
//! handlers) -> catalog ([`csf_catalog`]) and domain -> store.

pub mod caller;
pub mod cli;
pub mod console;
pub mod context;
pub mod mcp;
pub mod serve;
mod serve_http;

pub use context::Context;
pub use mcp::CsfServer;
