//! Domain logic over the catalog and stored assessments: validation of CSF ids for
//! assessments, the question bank, imports, tier guidance. Pure functions, unit-tested without
//! a server; nothing here knows about MCP.

pub mod import;
pub mod questions;
pub mod subcategory;
pub mod tiers;
