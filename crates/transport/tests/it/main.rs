//! Integration tests of csf-transport against a tiny MCP server (`csf_transport_test_server`).
//! The bounded-stdio flood test drives that server as a process, so it sits beside its binary
//! (crates/transport/test-server/tests).
// A test fails by panicking: unwrap and friends are its assertions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use csf_transport_test_server as handler;
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
