//! The evidence register: metadata about evidence an organization holds (policies, logs,
//! reports, …) and its links to the entries (profile + subcategory) it supports.
//!
//! Metadata only: a location is kept as text and never opened, fetched or resolved, and a
//! location that names a local file is refused (see [`check`]).

pub(crate) mod check;
mod types;

pub use types::*;
