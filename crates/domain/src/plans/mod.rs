//! Implementation plans: built from gaps, tracked with progress.

pub mod plan;
pub mod progress;
