//! `implementation_plan`: phases filled from the gaps by priority then gap size within a
//! capacity, one milestone per phase.
//!
//! A [`Plan`] is plain data (serde both ways): the service stores it as one JSON document and
//! passes it back to [`super::progress::track_progress`], which returns the updated plan.

use super::progress::recompute;
use crate::analysis::effort::EffortModel;
use crate::analysis::gap::GapAnalysis;
use crate::analysis::method::Method;
use crate::analysis::scale::round4;
use crate::error::{Error, Result};
use chrono::{Days, NaiveDate};
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

/// Builds a plan from the open gaps of `gaps`.
pub fn implementation_plan(gaps: &GapAnalysis, params: &PlanParams) -> Result<Plan> {
    let effort = params.effort.validate()?;
    let cap = params.capacity_per_phase;
    if !(cap.is_finite() && cap > 0.0) {
        return Err(Error::invalid(
            "capacity_per_phase",
            format!("{cap} must be a number > 0"),
        ));
    }
    let days = params.phase_length_days.unwrap_or(DEFAULT_PHASE_DAYS);
    if !(1..=366).contains(&days) {
        return Err(Error::invalid(
            "phase_length_days",
            format!("{days} is out of range: use 1..=366"),
        ));
    }
    let max_phases = params.max_phases.unwrap_or(DEFAULT_MAX_PHASES);
    if !(1..=40).contains(&max_phases) {
        return Err(Error::invalid(
            "max_phases",
            format!("{max_phases} is out of range: use 1..=40"),
        ));
    }
    // Order: priority weight (desc), gap steps (desc), then official order (stable sort).
    let mut rows: Vec<_> = gaps.gaps().collect();
    rows.sort_by(|a, b| {
        b.priority_weight
            .cmp(&a.priority_weight)
            .then(b.gap_steps.cmp(&a.gap_steps))
    });
    let mut items = Vec::with_capacity(rows.len());
    let mut phase_effort: Vec<f64> = vec![0.0];
    for r in rows {
        let (e, overridden) = effort.of(r);
        let over = e > cap;
        let mut p = phase_effort.len();
        let used = phase_effort[p - 1];
        // Strict order: an item that does not fit opens the next phase (no back-filling, so a
        // lower-priority item never lands before a higher-priority one).
        if used > 0.0 && (over || used + e > cap + 1e-9) {
            phase_effort.push(0.0);
            p += 1;
        }
        let scheduled = p as u32 <= max_phases;
        if scheduled {
            phase_effort[p - 1] += e;
        }
        items.push(PlanItem {
            id: format!("I-{}", r.subcategory_id),
            subcategory_id: r.subcategory_id.clone(),
            function_id: r.function_id.clone(),
            category_id: r.category_id.clone(),
            phase: scheduled.then_some(p as u32),
            priority: r.priority,
            gap_steps: r.gap_steps,
            from_status: r.current_status,
            to_status: r.target_status,
            effort: round4(e),
            effort_overridden: overridden,
            over_capacity: over,
            owner: r.owner.clone(),
            status: ItemStatus::Planned,
            note: None,
            completed_on: None,
        });
        if over && scheduled {
            // The oversized item fills its phase alone.
            phase_effort.push(0.0);
        }
    }
    let used_phases = items.iter().filter_map(|i| i.phase).max().unwrap_or(0);
    let mut phases = Vec::new();
    let mut milestones = Vec::new();
    for n in 1..=used_phases {
        let start = add_days(params.start_date, u64::from((n - 1) * days))?;
        let end = add_days(start, u64::from(days - 1))?;
        let ids: Vec<String> = items
            .iter()
            .filter(|i| i.phase == Some(n))
            .map(|i| i.id.clone())
            .collect();
        let planned: f64 = items
            .iter()
            .filter(|i| i.phase == Some(n))
            .map(|i| i.effort)
            .sum();
        phases.push(Phase {
            number: n,
            start,
            end,
            planned_effort: round4(planned),
            item_ids: ids.clone(),
            milestone_id: format!("M{n}"),
        });
        milestones.push(Milestone {
            id: format!("M{n}"),
            title: format!("Phase {n} outcomes reached ({} items)", ids.len()),
            phase: n,
            due: end,
            item_ids: ids,
            status: MilestoneStatus::Open,
            reached_on: None,
            note: None,
        });
    }
    let unscheduled = items
        .iter()
        .filter(|i| i.phase.is_none())
        .map(|i| i.id.clone())
        .collect();
    let name = params
        .name
        .clone()
        .unwrap_or_else(|| DEFAULT_PLAN_NAME.to_owned());
    let id = params.id.clone().unwrap_or_else(|| {
        let key = format!(
            "{name}|{}|{}",
            params.start_date,
            items
                .iter()
                .map(|i| format!("{}:{}", i.id, i.effort))
                .collect::<Vec<_>>()
                .join(",")
        );
        crate::ids::stable_uuid("plan", &key)
    });
    let method = Method::new(
        "implementation-plan/v1",
        "Open gaps are ordered by priority weight (desc), then gap steps (desc), then official \
         CSF order. Phases are filled in that order up to capacity_per_phase work units; an \
         item that does not fit starts the next phase (no back-filling, so order is kept); an \
         item larger than the capacity gets a phase of its own and is flagged over_capacity. \
         Each phase lasts phase_length_days and ends with a milestone that is reached when \
         every item in it is done or dropped. Items beyond max_phases are unscheduled.",
    );
    let method = params
        .effort
        .describe(method)
        .assume("capacity_per_phase", Some(cap.to_string()), "required")
        .assume(
            "start_date",
            Some(params.start_date.to_string()),
            "required",
        )
        .assume(
            "phase_length_days",
            params.phase_length_days.map(|d| d.to_string()),
            DEFAULT_PHASE_DAYS.to_string(),
        )
        .assume(
            "max_phases",
            params.max_phases.map(|d| d.to_string()),
            DEFAULT_MAX_PHASES.to_string(),
        );
    let mut plan = Plan {
        id,
        name,
        method,
        scope: gaps.scope.clone(),
        start_date: params.start_date,
        phase_length_days: days,
        capacity_per_phase: cap,
        phases,
        items,
        milestones,
        unscheduled,
        progress: PlanProgress::default(),
        revision: 0,
    };
    recompute(&mut plan, None);
    Ok(plan)
}

fn add_days(d: NaiveDate, n: u64) -> Result<NaiveDate> {
    d.checked_add_days(Days::new(n))
        .ok_or_else(|| Error::invalid("start_date", "the plan runs past year 262143"))
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
