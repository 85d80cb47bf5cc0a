//! Implementation plans: built from the gaps between a Current and a Target profile, stored as
//! one JSON document with a revision, read back, and updated with progress (compare-and-set on
//! the revision, so two callers never overwrite each other's updates).

use csf_domain::{
    implementation_plan, track_progress, EffortModel, ItemUpdate, MilestoneUpdate, Plan,
    PlanParams, PlanProgress, ProgressUpdates,
};
use csf_store::Priority;
use csf_store::{NewPlan, OrgId, StoredPlan, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::analysis_inputs::{date, load_pair, scope_for};
use super::store_call::{org_id, page, with_store};
use crate::mcp::error::{check_len, ToolError};
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};

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

fn output(stored: StoredPlan) -> Result<PlanOutput, ToolError> {
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

/// The stored body as a plan. Only this server writes plan bodies, so a body that does not
/// parse is damage in the store, not a caller mistake.
pub fn plan_body(stored: &StoredPlan) -> Result<Plan, ToolError> {
    serde_json::from_value(stored.body.clone()).map_err(|e| {
        ToolError::Internal(format!(
            "stored plan {} is not a readable implementation plan ({e}); create a new plan",
            stored.id
        ))
    })
}

/// Reads one stored plan.
pub async fn load_plan(call: &Call, plan_id: &str) -> Result<StoredPlan, ToolError> {
    check_len("plan_id", plan_id, csf_store::MAX_PLAN_ID)?;
    let id = plan_id.trim().to_owned();
    with_store(call, move |s, _| s.get_plan(&id)).await
}

/// `plan_` + a ULID: unique and increasing, like the store's other ids.
fn new_plan_id() -> String {
    let org = OrgId::generate();
    format!("plan_{}", &org.as_str()[OrgId::PREFIX.len()..])
}

// ---------------------------------------------------------------- create_implementation_plan

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlanParams {
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

pub struct CreateImplementationPlan;
impl CsfTool for CreateImplementationPlan {
    const META: ToolMeta = ToolMeta {
        name: "create_implementation_plan",
        title: "Create and store an implementation plan",
        description: "Turn the open gaps between a Current and a Target profile into phases: gaps \
            ordered by priority, then gap size, then CSF order, filled into phases of \
            phase_length_days up to capacity_per_phase work units (effort = gap steps × units per \
            step unless overridden), one milestone per phase. The plan is stored; read it with \
            get_implementation_plan and report progress with track_progress.",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = CreatePlanParams;
    type Output = PlanOutput;
    async fn call(call: Call, p: CreatePlanParams) -> Result<PlanOutput, ToolError> {
        if let Some(n) = &p.name {
            check_len("name", n, 200)?;
        }
        let start_date = date("start_date", &p.start_date)?;
        let pair = load_pair(&call, &p.current_profile_id, &p.target_profile_id).await?;
        let scope = scope_for(p.scope, &[&pair.current.profile, &pair.target.profile])?;
        let gaps = csf_domain::gap_analysis(
            &pair.current.entries,
            &pair.target.entries,
            &csf_domain::GapParams {
                scope,
                default_priority: p.default_priority,
            },
        )?;
        let id = new_plan_id();
        let plan = implementation_plan(
            &gaps,
            &PlanParams {
                id: Some(id.clone()),
                name: p.name,
                capacity_per_phase: p.capacity_per_phase,
                phase_length_days: p.phase_length_days,
                start_date,
                max_phases: p.max_phases,
                effort: p.effort.unwrap_or_default(),
            },
        )?;
        let body = serde_json::to_value(&plan).map_err(|e| ToolError::Internal(e.to_string()))?;
        let new = NewPlan {
            id,
            org_id: pair.org.id,
            current_profile_id: pair.current.profile.id,
            target_profile_id: pair.target.profile.id,
            name: plan.name.clone(),
            body,
        };
        let stored = with_store(&call, move |s, by| s.create_plan(&new, by)).await?;
        output(stored)
    }
}

// ---------------------------------------------------------------- get_implementation_plan

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetPlanParams {
    /// The plan (plan_…).
    pub plan_id: String,
}

pub struct GetImplementationPlan;
impl CsfTool for GetImplementationPlan {
    const META: ToolMeta = ToolMeta {
        name: "get_implementation_plan",
        title: "Read an implementation plan",
        description: "A stored implementation plan: phases, items (status, effort, owner, notes), \
            milestones (open, reached or overdue), progress ratios and its revision.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = GetPlanParams;
    type Output = PlanOutput;
    async fn call(call: Call, p: GetPlanParams) -> Result<PlanOutput, ToolError> {
        output(load_plan(&call, &p.plan_id).await?)
    }
}

// ---------------------------------------------------------------- track_progress

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackParams {
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
}

pub struct TrackProgress;
impl CsfTool for TrackProgress {
    const META: ToolMeta = ToolMeta {
        name: "track_progress",
        title: "Report progress on a plan",
        description: "Apply item status changes and milestone date/note changes to a stored plan, \
            all or nothing, and recompute milestones (reached when every item is done or dropped, \
            overdue when past due with items open) and progress (effort and item ratios, per \
            phase). Compare-and-set on the plan's revision.",
        class: ToolClass::Write,
        idempotent: true,
    };
    type Params = TrackParams;
    type Output = PlanOutput;
    async fn call(call: Call, p: TrackParams) -> Result<PlanOutput, ToolError> {
        let as_of = date("as_of", &p.as_of)?;
        if p.items.is_empty() && p.milestones.is_empty() {
            return Err(ToolError::InvalidValue(
                "give at least one change in `items` or `milestones`".into(),
            ));
        }
        for (i, u) in p.items.iter().enumerate() {
            if let Some(n) = &u.note {
                check_len(&format!("items[{i}].note"), n, 2000)?;
            }
        }
        for (i, u) in p.milestones.iter().enumerate() {
            if let Some(n) = &u.note {
                check_len(&format!("milestones[{i}].note"), n, 2000)?;
            }
        }
        let stored = load_plan(&call, &p.plan_id).await?;
        let plan = plan_body(&stored)?;
        let updated = track_progress(
            &plan,
            &ProgressUpdates {
                as_of,
                items: p.items,
                milestones: p.milestones,
            },
        )?;
        let body =
            serde_json::to_value(&updated).map_err(|e| ToolError::Internal(e.to_string()))?;
        let expected = p.expected_revision.unwrap_or(stored.revision);
        let id = stored.id;
        let stored =
            with_store(&call, move |s, by| s.update_plan(&id, expected, &body, by)).await?;
        output(stored)
    }
}

// ---------------------------------------------------------------- list_implementation_plans

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListPlansParams {
    /// Only this organization's plans (org_…).
    pub org_id: Option<String>,
    /// Items per page, 1–200 (default 50).
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

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

#[derive(Debug, Serialize, JsonSchema)]
pub struct ListPlansOutput {
    pub plans: Vec<PlanSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

pub struct ListImplementationPlans;
impl CsfTool for ListImplementationPlans {
    const META: ToolMeta = ToolMeta {
        name: "list_implementation_plans",
        title: "List implementation plans",
        description: "Stored implementation plans (of one organization, or all) in creation \
            order, each with its profiles, revision and progress figures; paginated.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = ListPlansParams;
    type Output = ListPlansOutput;
    async fn call(call: Call, p: ListPlansParams) -> Result<ListPlansOutput, ToolError> {
        let org = p.org_id.as_deref().map(org_id).transpose()?;
        let req = page(p.limit, p.cursor.as_ref())?;
        let found = with_store(&call, move |s, _| s.list_plans(org.as_ref(), &req)).await?;
        Ok(ListPlansOutput {
            plans: found
                .items
                .into_iter()
                .map(|stored| PlanSummary {
                    progress: plan_body(&stored).ok().map(|p| p.progress),
                    plan_id: stored.id,
                    name: stored.name,
                    org_id: stored.org_id.to_string(),
                    current_profile_id: stored.current_profile_id.to_string(),
                    target_profile_id: stored.target_profile_id.to_string(),
                    revision: stored.revision,
                    updated_at: stored.updated_at,
                })
                .collect(),
            next_cursor: found.next_cursor,
        })
    }
}
