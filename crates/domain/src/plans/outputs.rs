//! What the plan tools return: a stored plan, a tracked plan with the profile entries it
//! recorded, and a page of plan summaries.

use csf_store::{EntryWrite, StoredPlan, Timestamp};
use schemars::JsonSchema;
use serde::Serialize;

use super::plan::{Plan, PlanProgress};
use super::stored::plan_body;
use crate::error::{Error, Result};

/// A stored plan as the tools return it: the store's bookkeeping and the plan itself.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PlanOutput {
    pub plan_id: String,
    pub org_id: String,
    pub current_profile_id: String,
    pub target_profile_id: String,
    /// Stored revision (1 when created, +1 per update); pass it as `expected_revision` to
    /// track_progress.
    pub revision: i64,
    pub created_at: Timestamp,
    pub created_by: String,
    pub updated_at: Timestamp,
    pub updated_by: String,
    pub plan: Plan,
}

impl TryFrom<StoredPlan> for PlanOutput {
    type Error = Error;
    fn try_from(stored: StoredPlan) -> Result<Self> {
        let plan = plan_body(&stored)?;
        Ok(PlanOutput {
            plan_id: stored.id,
            org_id: stored.org_id.to_string(),
            current_profile_id: stored.current_profile_id.to_string(),
            target_profile_id: stored.target_profile_id.to_string(),
            revision: stored.revision,
            created_at: stored.created_at,
            created_by: stored.created_by,
            updated_at: stored.updated_at,
            updated_by: stored.updated_by,
            plan,
        })
    }
}

/// What a track_progress call recorded in the Current profile (apply_to_profile).
#[derive(Debug, Serialize, JsonSchema)]
pub struct AppliedToProfile {
    /// The Current profile (prof_…).
    pub profile_id: String,
    /// One per item newly done with a target status, as record_assessment reports it.
    pub written: Vec<EntryWrite>,
}

/// A plan after track_progress, and the Current profile entries it updated if asked.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TrackOutput {
    #[serde(flatten)]
    pub stored: PlanOutput,
    /// Present when `apply_to_profile` was true.
    pub applied_to_profile: Option<AppliedToProfile>,
}

// A stored plan in a listing (no doc comment: it would become the schema's description).
#[derive(Debug, Serialize, JsonSchema)]
pub struct PlanSummary {
    pub plan_id: String,
    pub name: String,
    pub org_id: String,
    pub current_profile_id: String,
    pub target_profile_id: String,
    pub revision: i64,
    pub updated_at: Timestamp,
    /// The plan's progress figures (absent if the stored body is unreadable).
    pub progress: Option<PlanProgress>,
}

impl From<StoredPlan> for PlanSummary {
    fn from(stored: StoredPlan) -> Self {
        PlanSummary {
            progress: plan_body(&stored).ok().map(|p| p.progress),
            plan_id: stored.id,
            name: stored.name,
            org_id: stored.org_id.to_string(),
            current_profile_id: stored.current_profile_id.to_string(),
            target_profile_id: stored.target_profile_id.to_string(),
            revision: stored.revision,
            updated_at: stored.updated_at,
        }
    }
}

/// Plans in creation order.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListPlansOutput {
    pub plans: Vec<PlanSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
