//! Fuzz targets of nist-csf-mcp: one function per target, taking the raw fuzz input.
//!
//! [`harness`] is the `csf-fuzz-harness` crate (fuzz/harness), shared with the server's replay
//! test, which runs every committed seed and regression through it under plain `cargo test`,
//! without libFuzzer or nightly. [`router`] drives csf-transport's HTTP router in process and
//! needs tower, so it lives here only.

pub use csf_fuzz_harness as harness;
pub mod router;
