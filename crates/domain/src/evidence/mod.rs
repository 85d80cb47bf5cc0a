//! The evidence register: evidence items an organization holds (metadata only — the server
//! never opens a location), their links to assessment entries, and the lists an auditor asks
//! for first: stale evidence, subcategories claimed as implemented without evidence, and
//! evidence no entry uses.

pub mod lists;
pub mod requests;
mod service;

pub use lists::*;
pub use requests::*;
