//! The fuzz harness of nist-csf-mcp: each module turns fuzz bytes into calls on the code under
//! test and checks the properties that must hold for any input (besides not panicking).
//!
//! One crate, two users: the fuzz targets (`fuzz/`, cargo-fuzz on nightly) and the replay test
//! `server/tests/it/fuzz_regressions.rs`, which runs every committed input through the same
//! functions under plain `cargo test`. It uses only crates the server itself depends on, so the
//! workspace never builds libFuzzer.
// A broken property is reported the way libFuzzer and the replay test see it: a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod http_decode;
pub mod ids;
pub mod import;
pub mod runtime;
pub mod search;
pub mod stdio_framing;
pub mod tool_calls;
