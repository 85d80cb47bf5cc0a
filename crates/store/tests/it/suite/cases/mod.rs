//! The cases of the shared suite, by topic. Each takes a [`Ctx`](super::Ctx) and must pass
//! on every backend.

mod audit;
mod campaigns;
mod concurrency;
mod documents;
mod entries;
mod evidence;
mod history;
mod orgs;
mod plans;
mod profiles;
mod quick;

pub use audit::*;
pub use campaigns::*;
pub use concurrency::*;
pub use documents::*;
pub use entries::*;
pub use evidence::*;
pub use history::*;
pub use orgs::*;
pub use plans::*;
pub use profiles::*;
pub use quick::*;
