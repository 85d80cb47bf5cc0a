//! `implementation_plan`: phases filled from the gaps by priority then gap size within a
//! capacity, one milestone per phase.
//!
//! A [`Plan`] is plain data (serde both ways): the service stores it as one JSON document and
//! passes it back to [`super::progress::track_progress`], which returns the updated plan.

pub use super::model::*;
use super::progress::recompute;
use crate::analysis::gap::GapAnalysis;
use crate::analysis::method::Method;
use crate::analysis::scale::round4;
use crate::error::{Error, Result};
use chrono::{Days, NaiveDate};

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
