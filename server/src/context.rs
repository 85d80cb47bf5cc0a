//! What every request handler can reach: shared, immutable after start-up.

/// Shared services for tool handlers. The catalog is static; the store joins here.
#[derive(Debug, Default)]
pub struct Context {}
