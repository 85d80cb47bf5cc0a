//! Implementation plans: built from gaps, stored, tracked with progress.

mod model;
pub mod plan;
pub mod progress;
mod service;

pub(crate) use service::plan_body;
pub use service::{
    CreatePlanRequest, GetPlanRequest, ListPlansOutput, ListPlansRequest, PlanOutput, PlanSummary,
    TrackOutput, TrackRequest,
};
