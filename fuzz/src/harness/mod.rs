//! The shared harness: each module turns fuzz bytes into calls on the code under test and
//! checks the properties that must hold for any input (besides not panicking).

pub mod http_decode;
pub mod ids;
pub mod import;
pub mod runtime;
pub mod search;
pub mod stdio_framing;
pub mod tool_calls;
