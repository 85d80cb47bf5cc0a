//! The MCP layer: thin handlers that parse arguments, call the domain, and shape answers.
//! Nothing below this module knows about MCP.

mod arg_path;
mod completion;
pub mod error;
mod instructions;
pub mod prompts;
pub mod registry;
pub mod resources;
mod round_trip;
mod sampling;
mod schema;
mod server;
mod structured;
pub mod tools;
pub mod toolset;

pub use registry::Call;
pub use server::CsfServer;
