//! Fuzz harnesses for nist-csf-mcp: one function per target, taking the raw fuzz input.
//!
//! The functions in [`harness`] use only crates the server itself depends on, so
//! `server/tests/fuzz_regressions.rs` compiles the same files (`#[path]`) and replays every
//! committed corpus and regression file under plain `cargo test`, without libFuzzer or nightly.
//! [`router`] drives csf-transport's HTTP router in process and needs tower, so it lives here only.

pub mod harness;
pub mod router;
