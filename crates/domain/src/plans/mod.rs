//! Implementation plans: built from gaps, stored, tracked with progress.

mod model;
mod outputs;
pub mod plan;
pub mod progress;
mod requests;
mod service;
#[cfg(test)]
mod service_tests;
mod stored;
mod tracking;

pub use outputs::{ListPlansOutput, PlanOutput, PlanSummary, TrackOutput};
pub use requests::{CreatePlanRequest, GetPlanRequest, ListPlansRequest, TrackRequest};
pub(crate) use stored::plan_body;
