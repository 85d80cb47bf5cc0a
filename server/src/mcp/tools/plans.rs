//! Implementation plans: built from the gaps between a Current and a Target profile, stored
//! with a revision, read back, and updated with progress (compare-and-set on the revision).
//! Thin adapters over the domain service.

use csf_domain::plans::{
    CreatePlanRequest, GetPlanRequest, ListPlansOutput, ListPlansRequest, PlanOutput, TrackOutput,
    TrackRequest,
};

use crate::mcp::error::ToolError;
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};

pub struct CreateImplementationPlan;
impl CsfTool for CreateImplementationPlan {
    const META: ToolMeta = ToolMeta {
        name: "create_implementation_plan",
        title: "Create and store an implementation plan",
        description: "Turn the open gaps between a Current and a Target profile into phases: gaps \
            ordered by priority, then gap size, then CSF order, filled into phases of \
            phase_length_days up to capacity_per_phase work units (effort = your per-subcategory \
            effort, else the default class of its category: light 1, moderate 2, heavy 4), one milestone per phase. The plan is stored; read it with \
            get_implementation_plan and report progress with track_progress.",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = CreatePlanRequest;
    type Output = PlanOutput;
    async fn call(call: Call, p: CreatePlanRequest) -> Result<PlanOutput, ToolError> {
        Ok(call
            .service
            .create_implementation_plan(&call.actor, p)
            .await?)
    }
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
    type Params = GetPlanRequest;
    type Output = PlanOutput;
    async fn call(call: Call, p: GetPlanRequest) -> Result<PlanOutput, ToolError> {
        Ok(call.service.get_implementation_plan(p).await?)
    }
}

pub struct TrackProgress;
impl CsfTool for TrackProgress {
    const META: ToolMeta = ToolMeta {
        name: "track_progress",
        title: "Report progress on a plan",
        description: "Apply item status changes and milestone date/note changes to a stored plan, \
            all or nothing, and recompute milestones (reached when every item is done or dropped, \
            overdue when past due with items open) and progress, by items and by effort, each \
            in figures and words (by_items, by_effort), per phase. With apply_to_profile true, \
            each item this call marks done also records its target status in the plan's \
            Current profile (dated as_of; history and audit trail show it). Compare-and-set on \
            the plan's revision.",
        class: ToolClass::Write,
        idempotent: true,
    };
    type Params = TrackRequest;
    type Output = TrackOutput;
    async fn call(call: Call, p: TrackRequest) -> Result<TrackOutput, ToolError> {
        Ok(call.service.track_progress(&call.actor, p).await?)
    }
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
    type Params = ListPlansRequest;
    type Output = ListPlansOutput;
    async fn call(call: Call, p: ListPlansRequest) -> Result<ListPlansOutput, ToolError> {
        Ok(call.service.list_implementation_plans(p).await?)
    }
}
