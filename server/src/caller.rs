//! The identity an HTTP transport attaches to a request (as an `http` extension) so that tool
//! calls record who made them. Kept free of transport types: the binary's HTTP wiring inserts it.

use std::sync::Arc;

/// Name of the authenticated caller (API key name or `oauth:<subject>`).
#[derive(Debug, Clone)]
pub struct Caller(pub Arc<str>);
