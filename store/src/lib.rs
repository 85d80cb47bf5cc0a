//! Persistence for nist-csf-mcp (placeholder until the store issue lands).
