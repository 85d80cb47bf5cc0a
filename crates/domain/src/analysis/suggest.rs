//! `suggest_next_actions`: the open gaps that give the most priority-weighted progress per
//! unit of effort, within the caller's capacity, each with its reasoning.

use crate::analysis::effort::EffortModel;
use crate::analysis::gap::GapAnalysis;
use crate::analysis::method::Method;
use crate::analysis::scale::round4;
use crate::error::{Error, Result};
use csf_store::{ImplementationStatus, Priority};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Documented default of [`SuggestParams::limit`].
pub const DEFAULT_SUGGESTIONS: u32 = 10;

/// Inputs of [`suggest_next_actions`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SuggestParams {
    /// Work units available (> 0), in the effort model's unit.
    pub capacity: f64,
    /// Effort model (default: 1 work unit per gap step).
    #[serde(default)]
    pub effort: EffortModel,
    /// Most suggestions (default 10, 1..=106).
    pub limit: Option<u32>,
}

/// One suggested action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Suggestion {
    /// 1-based rank.
    pub rank: u32,
    /// Subcategory.
    pub subcategory_id: String,
    /// Function.
    pub function_id: String,
    /// Priority applied.
    pub priority: Priority,
    /// From status.
    pub from_status: Option<ImplementationStatus>,
    /// To status.
    pub to_status: Option<ImplementationStatus>,
    /// Impact = gap_steps × priority weight.
    pub impact: u32,
    /// Effort in work units.
    pub effort: f64,
    /// impact / effort.
    pub impact_per_unit: f64,
    /// Capacity used including this action.
    pub cumulative_effort: f64,
    /// Why it is suggested, in words with the numbers.
    pub explanation: String,
}

/// An open gap that was not suggested, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Deferred {
    /// Subcategory.
    pub subcategory_id: String,
    /// Effort it needs.
    pub effort: f64,
    /// Why it was not suggested now.
    pub reason: String,
}

/// Result of [`suggest_next_actions`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Suggestions {
    /// How they were chosen.
    pub method: Method,
    /// Capacity given.
    pub capacity: f64,
    /// Capacity used by the suggestions.
    pub used: f64,
    /// Suggested actions, best first.
    pub suggestions: Vec<Suggestion>,
    /// Open gaps not suggested (capacity or limit), best first.
    pub deferred: Vec<Deferred>,
}

/// Chooses the next actions within `capacity`.
pub fn suggest_next_actions(gaps: &GapAnalysis, params: &SuggestParams) -> Result<Suggestions> {
    let effort = params.effort.validate()?;
    let cap = params.capacity;
    if !(cap.is_finite() && cap > 0.0) {
        return Err(Error::invalid(
            "capacity",
            format!("{cap} must be a number > 0"),
        ));
    }
    let limit = params.limit.unwrap_or(DEFAULT_SUGGESTIONS);
    if !(1..=106).contains(&limit) {
        return Err(Error::invalid(
            "limit",
            format!("{limit} is out of range: use 1..=106"),
        ));
    }
    let mut cands: Vec<_> = gaps
        .gaps()
        .enumerate()
        .map(|(i, r)| {
            let (e, ov) = effort.of(r);
            (i, r, e, ov, f64::from(r.weighted_gap) / e)
        })
        .collect();
    // Best value per unit first; ties: higher impact, then official order.
    cands.sort_by(|a, b| {
        b.4.total_cmp(&a.4)
            .then(b.1.weighted_gap.cmp(&a.1.weighted_gap))
            .then(a.0.cmp(&b.0))
    });
    let mut used = 0.0;
    let mut suggestions = Vec::new();
    let mut deferred = Vec::new();
    for (_, r, e, ov, density) in cands {
        let left = cap - used;
        if suggestions.len() as u32 >= limit {
            deferred.push(Deferred {
                subcategory_id: r.subcategory_id.clone(),
                effort: round4(e),
                reason: format!("limit of {limit} suggestions reached"),
            });
            continue;
        }
        if e > left + 1e-9 {
            deferred.push(Deferred {
                subcategory_id: r.subcategory_id.clone(),
                effort: round4(e),
                reason: format!(
                    "needs {} work units, {} left of {cap}",
                    round4(e),
                    round4(left)
                ),
            });
            continue;
        }
        used += e;
        let from = r
            .current_status
            .map_or("unassessed", ImplementationStatus::label);
        let to = r.target_status.map_or("unset", ImplementationStatus::label);
        let effort_src = if ov {
            "caller's estimate".to_owned()
        } else {
            format!("model: {} step(s) × units per step", r.gap_steps)
        };
        suggestions.push(Suggestion {
            rank: suggestions.len() as u32 + 1,
            subcategory_id: r.subcategory_id.clone(),
            function_id: r.function_id.clone(),
            priority: r.priority,
            from_status: r.current_status,
            to_status: r.target_status,
            impact: r.weighted_gap,
            effort: round4(e),
            impact_per_unit: round4(density),
            cumulative_effort: round4(used),
            explanation: format!(
                "{}: {from} → {to} is {} step(s) at {} priority{} (weight {}), impact {}; \
                 effort {} work units ({effort_src}); {} impact per unit; {} of {cap} units \
                 used after it.",
                r.subcategory_id,
                r.gap_steps,
                r.priority.as_str(),
                if r.priority_defaulted {
                    " (default, target entry has none)"
                } else {
                    ""
                },
                r.priority_weight,
                r.weighted_gap,
                round4(e),
                round4(density),
                round4(used),
            ),
        });
    }
    let method = Method::new(
        "next-actions/v1",
        "Open gaps are ranked by impact per work unit (impact = gap_steps × priority weight; \
         effort from the effort model), ties by higher impact then official order. Actions are \
         taken in that order while their effort fits the capacity left; one that does not fit \
         is deferred and smaller ones after it may still be taken.",
    );
    let method = params
        .effort
        .describe(method)
        .assume("capacity", Some(cap.to_string()), "required")
        .assume(
            "limit",
            params.limit.map(|l| l.to_string()),
            DEFAULT_SUGGESTIONS.to_string(),
        );
    Ok(Suggestions {
        method,
        capacity: cap,
        used: round4(used),
        suggestions,
        deferred,
    })
}
