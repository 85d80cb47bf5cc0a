//! Integration tests of csf-store: the shared suite on every backend (SQLite always, PostgreSQL
//! when a database is given), SQLite specifics, open errors, several processes on one file and
//! a writer killed mid-batch.
// A test fails by panicking: unwrap and friends are its assertions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod suite;

mod multiprocess;
mod open_errors;
mod postgres_suite;
#[cfg(feature = "postgres-tls")]
mod postgres_tls;
mod sqlite_specific;
mod sqlite_suite;
