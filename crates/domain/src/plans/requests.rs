//! What the plan tools take: create, get, track progress, list.

use csf_store::Priority;
use schemars::JsonSchema;
use serde::Deserialize;

use super::progress::{ItemUpdate, MilestoneUpdate};
use crate::analysis::effort::EffortModel;

/// A new plan from the gaps between two profiles.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlanRequest {
    /// The Current profile (prof_…).
    pub current_profile_id: String,
    /// The Target profile (prof_…), of the same organization.
    pub target_profile_id: String,
    /// Work units the team can deliver per phase (> 0), in the effort model's unit (e.g.
    /// person-weeks).
    pub capacity_per_phase: f64,
    /// First day of phase 1, YYYY-MM-DD.
    pub start_date: String,
    /// Days per phase (default 90, 1–366).
    pub phase_length_days: Option<u32>,
    /// Most phases (default 8, 1–40); gaps that do not fit are listed as unscheduled.
    pub max_phases: Option<u32>,
    /// Plan name (default "CSF implementation plan").
    pub name: Option<String>,
    /// Function, category or subcategory ids to plan for; default: the functions both profiles
    /// cover.
    pub scope: Option<Vec<String>>,
    /// Priority assumed where the target entry has none (default medium).
    pub default_priority: Option<Priority>,
    /// Effort model: work units per gap step (default 1.0) and per-subcategory overrides.
    pub effort: Option<EffortModel>,
}

/// One stored plan.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetPlanRequest {
    /// The plan (plan_…).
    pub plan_id: String,
}

/// Progress to apply to a stored plan.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackRequest {
    /// The plan (plan_…).
    pub plan_id: String,
    /// Date the progress is reported, YYYY-MM-DD (drives done dates and overdue milestones).
    pub as_of: String,
    /// Item changes: item_id (I-GV.OC-01, or the bare subcategory id), status (planned,
    /// in_progress, done, blocked, dropped), optional note.
    #[serde(default)]
    pub items: Vec<ItemUpdate>,
    /// Milestone changes: milestone_id (M1 …), new due date and/or note.
    #[serde(default)]
    pub milestones: Vec<MilestoneUpdate>,
    /// The revision you read; on mismatch nothing is stored (default: the current revision).
    pub expected_revision: Option<i64>,
    /// Also record, in the plan's Current profile, the target status of each item this call
    /// marks done (dated `as_of`; other fields kept). Default false: the plan alone changes.
    /// The entry changes appear in the profile's history and in this call's audit row.
    #[serde(default)]
    pub apply_to_profile: bool,
}

/// Which plans to list.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListPlansRequest {
    /// Only this organization's plans (org_…).
    pub org_id: Option<String>,
    /// Items per page, 1–200 (default 50).
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}
