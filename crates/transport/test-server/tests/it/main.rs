//! Tests that drive the `transport-test-server` binary as a process.
// A test fails by panicking: unwrap and friends are its assertions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod stdio_flood;
