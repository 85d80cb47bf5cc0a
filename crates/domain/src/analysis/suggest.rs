//! `suggest_next_actions`: the open gaps that give the most priority-weighted progress per
//! unit of effort, within the caller's capacity, each with its reasoning.

use crate::analysis::effort::{EffortClass, EffortModel, EffortSource};
use crate::analysis::gap::GapAnalysis;
use crate::analysis::method::Method;
use crate::analysis::scale::round4;
use crate::error::{Error, Result};
use csf_store::{ImplementationStatus, Priority};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The ranking rule, stated in every result.
pub const RANKING: &str = "Open gaps are ranked by value per effort: impact per work unit \
     (impact = gap_steps × priority weight, divided by effort). Ties in impact per unit: higher \
     impact first, then official CSF order.";

/// Documented default of [`SuggestParams::limit`].
pub const DEFAULT_SUGGESTIONS: u32 = 10;

/// Inputs of [`suggest_next_actions`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SuggestParams {
    /// Work units available (> 0), in the effort model's unit.
    pub capacity: f64,
    /// Effort model (default: the subcategory's default class, independent of the gap size).
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
    /// Where the effort came from: override, class (default by category) or gap_steps.
    pub effort_source: EffortSource,
    /// impact / effort: the value per work unit it is ranked by.
    pub impact_per_unit: f64,
    /// When other open gaps have the same impact per unit: which, and the rule that ordered
    /// them (higher impact first, then official CSF order).
    pub tie_break: Option<String>,
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
    /// The ranking rule, in words: value per effort first, then the tie-breaks.
    pub ranking: String,
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
            let (e, src) = effort.source_of(r);
            (i, r, e, src, f64::from(r.weighted_gap) / e)
        })
        .collect();
    // Best value per unit first; ties: higher impact, then official order.
    cands.sort_by(|a, b| {
        b.4.total_cmp(&a.4)
            .then(b.1.weighted_gap.cmp(&a.1.weighted_gap))
            .then(a.0.cmp(&b.0))
    });
    let ties: Vec<Option<String>> = cands
        .iter()
        .map(|(_, r, _, _, d)| {
            let others: Vec<&str> = cands
                .iter()
                .filter(|(_, o, _, _, od)| {
                    o.subcategory_id != r.subcategory_id && (od - d).abs() < 1e-9
                })
                .map(|(_, o, _, _, _)| o.subcategory_id.as_str())
                .collect();
            (!others.is_empty()).then(|| {
                format!(
                    "ties at {} impact per unit with {}; among them higher impact comes first, \
                     then official CSF order",
                    round4(*d),
                    others.join(", ")
                )
            })
        })
        .collect();
    let mut used = 0.0;
    let mut suggestions = Vec::new();
    let mut deferred = Vec::new();
    for ((_, r, e, src, density), tie_break) in cands.into_iter().zip(ties) {
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
        let effort_src = match src {
            EffortSource::Override => "caller's estimate".to_owned(),
            EffortSource::Class => format!(
                "default {} class of {}",
                EffortClass::of(&r.subcategory_id).as_str(),
                &r.category_id
            ),
            EffortSource::GapSteps => format!("model: {} step(s) × units per step", r.gap_steps),
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
            effort_source: src,
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
            tie_break,
        });
    }
    let method = Method::new(
        "next-actions/v2",
        &format!(
            "{RANKING} Effort comes from the effort model (default: the subcategory's class by \
             category, independent of the gap size). Actions are taken in that order while \
             their effort fits the capacity left; one that does not fit is deferred and smaller \
             ones after it may still be taken."
        ),
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
        ranking: RANKING.to_owned(),
        capacity: cap,
        used: round4(used),
        suggestions,
        deferred,
    })
}
