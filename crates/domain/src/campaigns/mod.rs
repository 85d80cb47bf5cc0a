//! Assessment campaigns: a guided, resumable assessment of one profile by several assessors,
//! reviewed and signed off into a dated cycle of the profile.
//!
//! The campaign's settings and state machine are in `model`, which questions it asks and how
//! far it has come in `flow`, what each question shows in `context`, the reviewer's view in
//! `review`, the elicitation forms in `forms`, the runs of forms in `run` (one at a time) and
//! `rounds` (a round of forms per call, for stateless clients), and the operations in
//! `setup`, `answering` and `states` over the shared plumbing of `service`.

mod answering;
pub mod context;
pub mod flow;
pub mod forms;
pub mod model;
mod requests;
pub mod review;
pub mod rounds;
pub mod run;
pub mod service;
mod setup;
mod signoff;
mod states;

pub use model::{Assessor, CampaignScope, CampaignState, Settings};
pub use rounds::{RoundForm, RoundReplies, RoundState, RoundStep, FORMS_PER_ROUND};
pub use run::{FormAsker, FormReply, RunQuestionsOutput, RunQuestionsRequest};
pub use service::*;
