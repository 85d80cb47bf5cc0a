//! Integration tests of csf-domain on the hand-computed fixture (`fixture`) and the invented
//! sample organisation of the test kit.
// A test fails by panicking: unwrap and friends are its assertions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod fixture;

mod planning;
mod reports;
mod scores;
