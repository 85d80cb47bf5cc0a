//! `track_progress`: item and milestone updates applied to a [`Plan`], all or nothing, and
//! the milestone states and progress figures recomputed from the items.

use super::model::{ItemStatus, MilestoneStatus, PhaseProgress, Plan, PlanProgress};
use crate::analysis::scale::{ratio, round4};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Updates to apply to a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProgressUpdates {
    /// Date the updates are reported (drives done dates and overdue milestones).
    pub as_of: NaiveDate,
    /// Item state changes.
    #[serde(default)]
    pub items: Vec<ItemUpdate>,
    /// Milestone changes.
    #[serde(default)]
    pub milestones: Vec<MilestoneUpdate>,
}

/// A change to one item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemUpdate {
    /// Item id (`I-<subcategory id>`; a bare subcategory id is accepted too).
    pub item_id: String,
    /// New state.
    pub status: ItemStatus,
    /// Note (replaces the previous note when given).
    pub note: Option<String>,
}

/// A change to one milestone (its state is always computed from its items).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneUpdate {
    /// Milestone id (`M1`, …).
    pub milestone_id: String,
    /// New due date.
    pub due: Option<NaiveDate>,
    /// Note (replaces the previous note when given).
    pub note: Option<String>,
}

/// Applies updates (all or nothing: any unknown id fails the whole batch) and recomputes
/// milestone states and progress. Returns the new plan; the input is not changed.
pub fn track_progress(plan: &Plan, updates: &ProgressUpdates) -> Result<Plan> {
    let mut p = plan.clone();
    for u in &updates.items {
        let idx = p
            .items
            .iter()
            .position(|i| i.id == u.item_id || i.subcategory_id == u.item_id)
            .or_else(|| {
                let canon = csf_catalog::canonical_id(&u.item_id)?;
                p.items.iter().position(|i| i.subcategory_id == canon)
            })
            .ok_or_else(|| Error::UnknownId {
                kind: "plan item",
                input: u.item_id.clone(),
                suggestions: p.items.iter().take(5).map(|i| i.id.clone()).collect(),
            })?;
        let item = &mut p.items[idx];
        if u.status == ItemStatus::Done && item.status != ItemStatus::Done {
            item.completed_on = Some(updates.as_of);
        } else if u.status != ItemStatus::Done {
            item.completed_on = None;
        }
        item.status = u.status;
        if u.note.is_some() {
            item.note.clone_from(&u.note);
        }
    }
    for u in &updates.milestones {
        let m = p
            .milestones
            .iter_mut()
            .find(|m| m.id.eq_ignore_ascii_case(&u.milestone_id))
            .ok_or_else(|| Error::UnknownId {
                kind: "milestone",
                input: u.milestone_id.clone(),
                suggestions: plan.milestones.iter().map(|m| m.id.clone()).collect(),
            })?;
        if let Some(d) = u.due {
            m.due = d;
        }
        if u.note.is_some() {
            m.note.clone_from(&u.note);
        }
    }
    p.revision += 1;
    recompute(&mut p, Some(updates.as_of));
    Ok(p)
}

/// Recomputes milestone states and the progress block.
pub(crate) fn recompute(p: &mut Plan, as_of: Option<NaiveDate>) {
    let as_of = as_of.or(p.progress.as_of);
    for m in &mut p.milestones {
        let closed = m.item_ids.iter().all(|id| {
            p.items
                .iter()
                .find(|i| &i.id == id)
                .is_some_and(|i| i.status.is_closed())
        });
        if closed {
            m.status = MilestoneStatus::Reached;
            if m.reached_on.is_none() {
                m.reached_on = as_of;
            }
        } else {
            m.reached_on = None;
            m.status = match as_of {
                Some(d) if d > m.due => MilestoneStatus::Overdue,
                _ => MilestoneStatus::Open,
            };
        }
    }
    let mut g = PlanProgress {
        as_of,
        items_total: p.items.len() as u32,
        ..PlanProgress::default()
    };
    for i in &p.items {
        match i.status {
            ItemStatus::Planned => g.planned += 1,
            ItemStatus::InProgress => g.in_progress += 1,
            ItemStatus::Done => g.done += 1,
            ItemStatus::Blocked => g.blocked += 1,
            ItemStatus::Dropped => g.dropped += 1,
        }
        if i.status != ItemStatus::Dropped {
            g.effort_total += i.effort;
        }
        if i.status == ItemStatus::Done {
            g.effort_done += i.effort;
        }
    }
    g.effort_total = round4(g.effort_total);
    g.effort_done = round4(g.effort_done);
    g.effort_ratio = ratio(g.effort_done, g.effort_total);
    g.item_ratio = ratio(f64::from(g.done), f64::from(g.items_total - g.dropped));
    g.phases = p
        .phases
        .iter()
        .map(|ph| {
            let its = p.items.iter().filter(|i| i.phase == Some(ph.number));
            let (mut t, mut d) = (0.0, 0.0);
            for i in its {
                if i.status != ItemStatus::Dropped {
                    t += i.effort;
                }
                if i.status == ItemStatus::Done {
                    d += i.effort;
                }
            }
            PhaseProgress {
                phase: ph.number,
                effort_total: round4(t),
                effort_done: round4(d),
                ratio: ratio(d, t),
            }
        })
        .collect();
    g.milestones_reached = p
        .milestones
        .iter()
        .filter(|m| m.status == MilestoneStatus::Reached)
        .count() as u32;
    g.milestones_overdue = p
        .milestones
        .iter()
        .filter(|m| m.status == MilestoneStatus::Overdue)
        .count() as u32;
    g.label();
    p.progress = g;
}
