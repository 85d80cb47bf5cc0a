//! Integration tests of csf-catalog: fidelity of the compiled tables to NIST's files (read at
//! run time), the build script's OSCAL reader on an invented catalog, and search quality against
//! the project's evaluation sets.
// A test fails by panicking: unwrap and friends are its assertions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod nist_data;

mod fidelity;
mod generator_fixture;
mod references_fidelity;
mod search_quality;
