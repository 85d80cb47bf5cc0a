//! `risk_score`: a documented exposure index over gaps and priorities, with per-function
//! contributions and optional caller weights per function.

use crate::analysis::gap::GapAnalysis;
use crate::analysis::method::Method;
use crate::analysis::scale::{ratio, round4, MAX_LEVEL};
use crate::error::{Error, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of the risk score.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RiskParams {
    /// Weight per function (≥ 0; default 1.0 for every function not listed).
    #[serde(default)]
    pub function_weights: Vec<FunctionWeight>,
}

/// The weight of one function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionWeight {
    /// Function id (GV, ID, PR, DE, RS, RC).
    pub function_id: String,
    /// Weight ≥ 0.
    pub weight: f64,
}

/// Documented default function weight.
pub const DEFAULT_FUNCTION_WEIGHT: f64 = 1.0;

/// Score band (labels of score ranges only; they carry no other meaning).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskBand {
    /// score < 20.
    Low,
    /// 20 ≤ score < 40.
    Moderate,
    /// 40 ≤ score < 60.
    Elevated,
    /// score ≥ 60.
    High,
}

impl RiskBand {
    fn of(score: f64) -> Self {
        if score < 20.0 {
            RiskBand::Low
        } else if score < 40.0 {
            RiskBand::Moderate
        } else if score < 60.0 {
            RiskBand::Elevated
        } else {
            RiskBand::High
        }
    }
}

/// One function's part of the score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FunctionRisk {
    /// Function id.
    pub function_id: String,
    /// Weight applied.
    pub weight: f64,
    /// Σ (gap_steps / 3) × priority weight over its compared rows.
    pub exposure: f64,
    /// Σ priority weight over its compared rows (the exposure if every row were fully open).
    pub max_exposure: f64,
    /// 100 × exposure / max_exposure (the function on its own, unweighted).
    pub function_score: Option<f64>,
    /// Points this function adds to the overall score (contributions sum to the score).
    pub contribution: f64,
    /// Rows compared.
    pub compared: u32,
    /// Rows not scored (missing on a side, or applicability mismatch).
    pub not_scored: u32,
}

/// Result of [`risk_score`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RiskScore {
    /// How it was computed.
    pub method: Method,
    /// 0 (no open gap) .. 100 (every compared outcome entirely unimplemented).
    pub score: f64,
    /// Band of the score.
    pub band: RiskBand,
    /// Per function.
    pub functions: Vec<FunctionRisk>,
    /// Rows not scored across the scope: the score says nothing about them.
    pub not_scored: u32,
}

/// Computes the exposure index of `gaps`.
pub fn risk_score(gaps: &GapAnalysis, params: &RiskParams) -> Result<RiskScore> {
    let mut weights: Vec<(&str, f64)> = Vec::new();
    for w in &params.function_weights {
        let f = csf_catalog::ids::function(&w.function_id)?;
        if !(w.weight.is_finite() && w.weight >= 0.0) {
            return Err(Error::invalid(
                "function_weights.weight",
                format!("{} for {} must be a number ≥ 0", w.weight, f.id),
            ));
        }
        weights.push((f.id, w.weight));
    }
    let weight_of = |id: &str| {
        weights
            .iter()
            .rev()
            .find(|(f, _)| *f == id)
            .map_or(DEFAULT_FUNCTION_WEIGHT, |(_, w)| *w)
    };
    let mut functions: Vec<FunctionRisk> = Vec::new();
    for r in &gaps.rows {
        if functions
            .last()
            .is_none_or(|f| f.function_id != r.function_id)
        {
            functions.push(FunctionRisk {
                function_id: r.function_id.clone(),
                weight: weight_of(&r.function_id),
                exposure: 0.0,
                max_exposure: 0.0,
                function_score: None,
                contribution: 0.0,
                compared: 0,
                not_scored: 0,
            });
        }
        let Some(f) = functions.last_mut() else {
            continue;
        };
        if r.is_compared() {
            f.compared += 1;
            let w = f64::from(r.priority_weight);
            f.exposure += f64::from(r.gap_steps) / f64::from(MAX_LEVEL) * w;
            f.max_exposure += w;
        } else if r.state != crate::analysis::gap::GapState::NotApplicable {
            f.not_scored += 1;
        }
    }
    let denom: f64 = functions.iter().map(|f| f.weight * f.max_exposure).sum();
    // Infinite weights would turn every share into NaN (null in JSON, against the schema).
    if !denom.is_finite() {
        return Err(Error::invalid(
            "function_weights",
            "weights are too large to compute with: give weights such as 0.5, 1 or 2",
        ));
    }
    if denom <= 0.0 && functions.iter().any(|f| f.compared > 0) {
        return Err(Error::invalid(
            "function_weights",
            "every compared function has weight 0: give at least one a weight > 0",
        ));
    }
    let mut score = 0.0;
    for f in &mut functions {
        f.contribution = if denom > 0.0 {
            round4(100.0 * (f.weight * f.exposure / denom))
        } else {
            0.0
        };
        score += if denom > 0.0 {
            100.0 * (f.weight * f.exposure / denom)
        } else {
            0.0
        };
        f.function_score = ratio(100.0 * f.exposure, f.max_exposure);
        f.exposure = round4(f.exposure);
    }
    let score = round4(score);
    let method = Method::new(
        "risk-score/v1",
        "For each function f over its compared rows (both sides assessed and applicable): \
         exposure_f = Σ (gap_steps / 3) × priority_weight; max_exposure_f = Σ priority_weight. \
         score = 100 × Σ_f (W_f × exposure_f) / Σ_f (W_f × max_exposure_f), where W_f is the \
         function weight. contribution_f = 100 × W_f × exposure_f / Σ_f (W_f × max_exposure_f) \
         (contributions sum to the score). Bands: low < 20 ≤ moderate < 40 ≤ elevated < 60 ≤ \
         high. Rows missing on either side are not scored and are counted in not_scored. This \
         is an index of open, priority-weighted gaps, not a probability of loss.",
    )
    .assume(
        "function_weights",
        (!weights.is_empty()).then(|| {
            weights
                .iter()
                .map(|(f, w)| format!("{f}={w}"))
                .collect::<Vec<_>>()
                .join(", ")
        }),
        format!("every function {DEFAULT_FUNCTION_WEIGHT}"),
    );
    Ok(RiskScore {
        method,
        band: RiskBand::of(score),
        score,
        not_scored: functions.iter().map(|f| f.not_scored).sum(),
        functions,
    })
}
