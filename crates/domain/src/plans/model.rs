//! A [`Plan`] and its parts: plain data (serde both ways) that the service stores as one JSON
//! document, [`super::plan::implementation_plan`] builds and [`super::progress`] updates. Apart
//! from both, so building and tracking depend on the data, not on each other.

use crate::analysis::effort::EffortModel;
use crate::analysis::method::Method;
use chrono::NaiveDate;
use csf_store::{ImplementationStatus, Priority};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Documented default phase length in days.
pub const DEFAULT_PHASE_DAYS: u32 = 90;
/// Documented default number of phases; items beyond it are listed as unscheduled.
pub const DEFAULT_MAX_PHASES: u32 = 8;
/// Documented default plan name.
pub const DEFAULT_PLAN_NAME: &str = "CSF implementation plan";

/// Inputs of [`implementation_plan`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanParams {
    /// Plan id; default: a UUID derived from the name, start date and gap rows.
    pub id: Option<String>,
    /// Plan name (default "CSF implementation plan").
    pub name: Option<String>,
    /// Work units the team can deliver per phase (> 0), in the effort model's unit.
    pub capacity_per_phase: f64,
    /// Days per phase (default 90, 1..=366).
    pub phase_length_days: Option<u32>,
    /// First day of phase 1.
    pub start_date: NaiveDate,
    /// Most phases to plan (default 8, 1..=40); what does not fit is listed as unscheduled.
    pub max_phases: Option<u32>,
    /// Effort model (default: 1 work unit per gap step).
    #[serde(default)]
    pub effort: EffortModel,
}

/// State of a plan item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Not started.
    Planned,
    /// Work under way.
    InProgress,
    /// Target level reached.
    Done,
    /// Waiting on something.
    Blocked,
    /// Removed from the plan (excluded from progress).
    Dropped,
}

impl ItemStatus {
    /// Words for reports.
    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::Planned => "planned",
            ItemStatus::InProgress => "in progress",
            ItemStatus::Done => "done",
            ItemStatus::Blocked => "blocked",
            ItemStatus::Dropped => "dropped",
        }
    }

    /// Done or dropped.
    pub fn is_closed(self) -> bool {
        matches!(self, ItemStatus::Done | ItemStatus::Dropped)
    }
}

/// One gap to close.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanItem {
    /// Stable id within the plan: `I-<subcategory id>`.
    pub id: String,
    /// Subcategory.
    pub subcategory_id: String,
    /// Its function.
    pub function_id: String,
    /// Its category.
    pub category_id: String,
    /// Phase number (1-based); None when unscheduled.
    pub phase: Option<u32>,
    /// Priority applied.
    pub priority: Priority,
    /// Gap steps.
    pub gap_steps: u8,
    /// Current status when planned.
    pub from_status: Option<ImplementationStatus>,
    /// Target status.
    pub to_status: Option<ImplementationStatus>,
    /// Effort in work units.
    pub effort: f64,
    /// True when the effort came from a caller override.
    pub effort_overridden: bool,
    /// True when the item alone exceeds the capacity of a phase (it gets a phase to itself).
    pub over_capacity: bool,
    /// Owner (from the gap row).
    pub owner: Option<String>,
    /// State.
    pub status: ItemStatus,
    /// Last note given with an update.
    pub note: Option<String>,
    /// Date it was reported done.
    pub completed_on: Option<NaiveDate>,
}

/// One phase.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Phase {
    /// 1-based number.
    pub number: u32,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Effort planned into it.
    pub planned_effort: f64,
    /// Items in it, in plan order.
    pub item_ids: Vec<String>,
    /// Its milestone.
    pub milestone_id: String,
}

/// State of a milestone (computed, never set directly).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    /// Not all items closed, not yet due.
    Open,
    /// Every item done or dropped.
    Reached,
    /// Past its due date with items still open.
    Overdue,
}

impl MilestoneStatus {
    /// Words for reports.
    pub fn label(self) -> &'static str {
        match self {
            MilestoneStatus::Open => "open",
            MilestoneStatus::Reached => "reached",
            MilestoneStatus::Overdue => "overdue",
        }
    }
}

/// The end of a phase.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Milestone {
    /// `M<phase>`.
    pub id: String,
    /// What it marks.
    pub title: String,
    /// Its phase.
    pub phase: u32,
    /// Due date (the phase's last day unless rescheduled).
    pub due: NaiveDate,
    /// Items that must be closed.
    pub item_ids: Vec<String>,
    /// State.
    pub status: MilestoneStatus,
    /// When it was first seen reached.
    pub reached_on: Option<NaiveDate>,
    /// Last note given with an update.
    pub note: Option<String>,
}

/// Progress of one phase.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PhaseProgress {
    /// Phase number.
    pub phase: u32,
    /// Effort of its items that are not dropped.
    pub effort_total: f64,
    /// Effort of its done items.
    pub effort_done: f64,
    /// effort_done / effort_total.
    pub ratio: Option<f64>,
}

/// Progress of the whole plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanProgress {
    /// Date of the last update (None before any).
    pub as_of: Option<NaiveDate>,
    /// Items in the plan (scheduled or not).
    pub items_total: u32,
    /// Items per state.
    pub planned: u32,
    /// In progress.
    pub in_progress: u32,
    /// Done.
    pub done: u32,
    /// Blocked.
    pub blocked: u32,
    /// Dropped.
    pub dropped: u32,
    /// Σ effort of items not dropped.
    pub effort_total: f64,
    /// Σ effort of done items.
    pub effort_done: f64,
    /// effort_done / effort_total.
    pub effort_ratio: Option<f64>,
    /// done / (items_total − dropped).
    pub item_ratio: Option<f64>,
    /// Progress by items, in words: "1 of 74 items done (1.35%)" (dropped items left out).
    #[serde(default)]
    pub by_items: String,
    /// Progress by effort, in words: "1.5 of 97 work units done (1.55%)".
    #[serde(default)]
    pub by_effort: String,
    /// Per phase.
    pub phases: Vec<PhaseProgress>,
    /// Milestones reached.
    pub milestones_reached: u32,
    /// Milestones overdue.
    pub milestones_overdue: u32,
}

/// A stored implementation plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Plan {
    /// Plan id.
    pub id: String,
    /// Name.
    pub name: String,
    /// How it was built, with every assumption.
    pub method: Method,
    /// Scope of the gap analysis it came from.
    pub scope: String,
    /// First day of phase 1.
    pub start_date: NaiveDate,
    /// Days per phase.
    pub phase_length_days: u32,
    /// Work units per phase.
    pub capacity_per_phase: f64,
    /// Phases in order.
    pub phases: Vec<Phase>,
    /// Items in plan order (scheduled first, then unscheduled).
    pub items: Vec<PlanItem>,
    /// One per phase.
    pub milestones: Vec<Milestone>,
    /// Items that did not fit in max_phases.
    pub unscheduled: Vec<String>,
    /// Progress, recomputed by every update.
    pub progress: PlanProgress,
    /// 0 when created, +1 per applied update batch.
    pub revision: u32,
}

/// A ratio as a percentage with two decimals, "n/a" when undefined.
fn pct2(r: Option<f64>) -> String {
    r.map_or("n/a".to_owned(), |v| format!("{:.2}%", v * 100.0))
}

impl PlanProgress {
    /// Sets the worded progress by items and by effort from the figures.
    pub(crate) fn label(&mut self) {
        self.by_items = format!(
            "{} of {} items done ({}){}",
            self.done,
            self.items_total - self.dropped,
            pct2(self.item_ratio),
            if self.dropped > 0 {
                format!("; {} dropped left out", self.dropped)
            } else {
                String::new()
            }
        );
        self.by_effort = format!(
            "{} of {} work units done ({})",
            self.effort_done,
            self.effort_total,
            pct2(self.effort_ratio)
        );
    }
}
