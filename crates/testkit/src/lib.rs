//! Test code shared by the workspace's test binaries (a dev-dependency only, never shipped).
//!
//! - [`stdio`] and [`http_server`]: an MCP server as a child process, over stdio or HTTP, with
//!   every wait bounded and the process killed when the handle is dropped. The caller builds the
//!   command (the binary's path comes from `env!("CARGO_BIN_EXE_…")` in the test that owns it).
//! - [`http`]: the one HTTP/1.1 client of the tests (std sockets, one request per connection).
//! - [`rpc`]: JSON-RPC messages, and [`rpc::McpClient`], one way to call tools over any transport.
//! - [`store_dump`]: a SQLite store file read directly (tables, audit rows, integrity).
//! - [`sample`] and [`catalog`]: invented fixtures and catalog ids chosen at run time.
//! - [`env`]: settings of a test run (PostgreSQL URL, round counts, unique names).
//!
//! The transport's test server (an MCP server behind csf-transport) is a package of its own,
//! `crates/transport/test-server`, so that the tests of the store and the domain do not build the
//! HTTP stack.
// A test kit fails the test that called it by panicking: unwrap and friends are its assertions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod catalog;
pub mod env;
pub mod http;
pub mod http_server;
pub mod rpc;
pub mod sample;
pub mod stdio;
pub mod store_dump;

pub use rpc::McpClient;
