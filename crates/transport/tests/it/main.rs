//! Integration tests of csf-transport against a tiny MCP server (tests/common/handler.rs).
// A test fails by panicking: unwrap and friends are its assertions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/handler.rs"]
mod handler;
mod support;

mod api_key;
mod auth_headers;
mod connections;
mod hosts;
mod limits;
mod oauth;
mod ops;
mod quotas;
mod serve;
mod sessions;
mod stdio_flood;
