//! Assessment analysis (placeholder until the analysis issue lands).
