//! Integration tests of csf-loadgen: the binaries end to end against the rmcp floor server, and
//! the regression gate against the committed baseline.
// A test fails by panicking: unwrap and friends are its assertions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod end_to_end;
mod gate;
