//! Assessments: the question bank and its mapping to entries, and imports.

pub mod import;
pub mod questions;
