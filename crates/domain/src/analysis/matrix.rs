//! `priority_matrix`: each open gap placed in an impact/effort quadrant.

use crate::analysis::effort::{EffortModel, EffortSource};
use crate::analysis::gap::{GapAnalysis, GapRow};
use crate::analysis::method::Method;
use crate::analysis::scale::round4;
use crate::error::{Error, Result};
use csf_store::Priority;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Documented default: impact (weighted gap) at or above this is "high impact": every
/// high-priority gap (weight 3), a medium one of 2+ steps, a low one of 3 steps.
pub const DEFAULT_IMPACT_THRESHOLD: u32 = 3;
/// Documented default: effort (work units) at or above this is "high effort": the moderate
/// (2) and heavy (4) default classes; light (1) is low effort.
pub const DEFAULT_EFFORT_THRESHOLD: f64 = 2.0;

/// Inputs of the priority matrix.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MatrixParams {
    /// Effort model (default: the subcategory's default class, independent of the gap size).
    #[serde(default)]
    pub effort: EffortModel,
    /// Impact at or above which a gap is high impact (default 3).
    pub impact_threshold: Option<u32>,
    /// Effort at or above which a gap is high effort (default 2.0 work units).
    pub effort_threshold: Option<f64>,
}

/// Impact/effort quadrant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// High impact, low effort: do first.
    QuickWin,
    /// High impact, high effort: plan as a project.
    MajorProject,
    /// Low impact, low effort: fill spare capacity.
    FillIn,
    /// Low impact, high effort: reconsider the target or the approach.
    Reconsider,
}

impl Quadrant {
    /// All quadrants in reading order.
    pub const ALL: [Quadrant; 4] = [
        Quadrant::QuickWin,
        Quadrant::MajorProject,
        Quadrant::FillIn,
        Quadrant::Reconsider,
    ];

    /// Words for reports.
    pub fn label(self) -> &'static str {
        match self {
            Quadrant::QuickWin => "Quick win (high impact, low effort)",
            Quadrant::MajorProject => "Major project (high impact, high effort)",
            Quadrant::FillIn => "Fill-in (low impact, low effort)",
            Quadrant::Reconsider => "Reconsider (low impact, high effort)",
        }
    }
}

/// One open gap in the matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MatrixItem {
    /// Subcategory id.
    pub subcategory_id: String,
    /// Its function.
    pub function_id: String,
    /// Priority applied.
    pub priority: Priority,
    /// Gap steps.
    pub gap_steps: u8,
    /// Impact = gap_steps × priority weight.
    pub impact: u32,
    /// Effort in work units.
    pub effort: f64,
    /// True when the effort came from a caller override.
    pub effort_overridden: bool,
    /// Where the effort came from: override, class (default by category) or gap_steps.
    pub effort_source: EffortSource,
    /// Quadrant.
    pub quadrant: Quadrant,
}

/// Items of one quadrant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuadrantSummary {
    /// Quadrant.
    pub quadrant: Quadrant,
    /// Number of items.
    pub count: u32,
    /// Subcategory ids, highest impact first.
    pub subcategory_ids: Vec<String>,
}

/// Result of [`priority_matrix`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PriorityMatrix {
    /// How it was computed.
    pub method: Method,
    /// Every open gap, by quadrant, then impact (desc), effort (asc), official order.
    pub items: Vec<MatrixItem>,
    /// The four quadrants.
    pub quadrants: Vec<QuadrantSummary>,
}

/// Places every open gap of `gaps` in an impact/effort quadrant.
pub fn priority_matrix(gaps: &GapAnalysis, params: &MatrixParams) -> Result<PriorityMatrix> {
    let effort = params.effort.validate()?;
    let it = params.impact_threshold.unwrap_or(DEFAULT_IMPACT_THRESHOLD);
    let et = params.effort_threshold.unwrap_or(DEFAULT_EFFORT_THRESHOLD);
    if !(et.is_finite() && et > 0.0) {
        return Err(Error::invalid(
            "effort_threshold",
            format!("{et} must be a number > 0"),
        ));
    }
    let mut items: Vec<(usize, MatrixItem)> = gaps
        .gaps()
        .enumerate()
        .map(|(i, r): (usize, &GapRow)| {
            let (e, source) = effort.source_of(r);
            let quadrant = match (r.weighted_gap >= it, e >= et) {
                (true, false) => Quadrant::QuickWin,
                (true, true) => Quadrant::MajorProject,
                (false, false) => Quadrant::FillIn,
                (false, true) => Quadrant::Reconsider,
            };
            let item = MatrixItem {
                subcategory_id: r.subcategory_id.clone(),
                function_id: r.function_id.clone(),
                priority: r.priority,
                gap_steps: r.gap_steps,
                impact: r.weighted_gap,
                effort: round4(e),
                effort_overridden: source == EffortSource::Override,
                effort_source: source,
                quadrant,
            };
            (i, item)
        })
        .collect();
    items.sort_by(|(ia, a), (ib, b)| {
        qidx(a.quadrant)
            .cmp(&qidx(b.quadrant))
            .then(b.impact.cmp(&a.impact))
            .then(a.effort.total_cmp(&b.effort))
            .then(ia.cmp(ib))
    });
    let items: Vec<MatrixItem> = items.into_iter().map(|(_, m)| m).collect();
    let quadrants = Quadrant::ALL
        .iter()
        .map(|q| {
            let ids: Vec<String> = items
                .iter()
                .filter(|m| m.quadrant == *q)
                .map(|m| m.subcategory_id.clone())
                .collect();
            QuadrantSummary {
                quadrant: *q,
                count: ids.len() as u32,
                subcategory_ids: ids,
            }
        })
        .collect();
    let method = Method::new(
        "priority-matrix/v2",
        "impact = gap_steps × priority weight (high 3, medium 2, low 1); effort = caller \
         override for the subcategory, else by effort.basis: outcome (default) = the \
         subcategory's default class by category (light 1, moderate 2, heavy 4 work units), \
         independent of the gap size; gap_steps = gap_steps × effort.units_per_step. \
         High impact when impact ≥ impact_threshold; high effort when effort ≥ \
         effort_threshold. quick_win = high impact & low effort; major_project = high & high; \
         fill_in = low & low; reconsider = low impact & high effort. Only rows with an open \
         gap are placed.",
    );
    let method = params
        .effort
        .describe(method)
        .assume(
            "impact_threshold",
            params.impact_threshold.map(|v| v.to_string()),
            DEFAULT_IMPACT_THRESHOLD.to_string(),
        )
        .assume(
            "effort_threshold",
            params.effort_threshold.map(|v| v.to_string()),
            DEFAULT_EFFORT_THRESHOLD.to_string(),
        );
    Ok(PriorityMatrix {
        method,
        items,
        quadrants,
    })
}

fn qidx(q: Quadrant) -> usize {
    Quadrant::ALL.iter().position(|x| *x == q).unwrap_or(0)
}
