//! Assessments: recording entries (one by one, in batches, by import), reading them back,
//! function-level quick answers, and the question bank with its mapping to entries.

pub mod entries;
pub mod import;
pub mod questionnaire;
pub mod questions;
pub mod quick;
pub mod read;
