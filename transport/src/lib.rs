//! Transports for nist-csf-mcp (placeholder until the HTTP issue lands).
