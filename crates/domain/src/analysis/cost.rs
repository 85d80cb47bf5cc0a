//! `estimate_cost`: a transparent parametric model — hours per gap step by organisation size,
//! times the caller's hourly rate. It is an estimate from a model, not survey or benchmark data.

use crate::analysis::gap::GapAnalysis;
use crate::analysis::method::Method;
use crate::analysis::scale::{default_hours_per_step, round4};
use crate::error::{Error, Result};
use csf_store::OrgSize;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Documented default size when the organisation declared none.
pub const DEFAULT_SIZE: OrgSize = OrgSize::Medium;

/// Inputs of the cost model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CostParams {
    /// Organisation size (default: medium).
    pub size: Option<OrgSize>,
    /// Hours per gap step, replacing the size default.
    pub hours_per_step: Option<f64>,
    /// Cost of one hour, in `currency` (≥ 0; required: the model has no default rate).
    pub hourly_rate: f64,
    /// Currency label shown as given (e.g. "EUR"); no conversion is made.
    pub currency: String,
    /// Per-subcategory hours, replacing the model for that subcategory.
    #[serde(default)]
    pub hours_overrides: Vec<HoursOverride>,
}

/// Known hours for one subcategory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursOverride {
    /// Subcategory id.
    pub subcategory_id: String,
    /// Hours (≥ 0).
    pub hours: f64,
}

/// One costed gap; every input is on the line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CostLine {
    /// Subcategory.
    pub subcategory_id: String,
    /// Function.
    pub function_id: String,
    /// Gap steps.
    pub gap_steps: u8,
    /// Hours per step applied (None when the hours were overridden).
    pub hours_per_step: Option<f64>,
    /// True when the hours came from an override.
    pub hours_overridden: bool,
    /// hours = gap_steps × hours_per_step, or the override.
    pub hours: f64,
    /// Rate applied.
    pub hourly_rate: f64,
    /// hours × hourly_rate.
    pub cost: f64,
}

/// Totals of one function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CostByFunction {
    /// Function id.
    pub function_id: String,
    /// Σ hours.
    pub hours: f64,
    /// Σ cost.
    pub cost: f64,
}

/// Result of [`estimate_cost`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CostEstimate {
    /// Always "estimate from a parametric model".
    pub label: String,
    /// How it was computed, with every assumption.
    pub method: Method,
    /// Currency as given.
    pub currency: String,
    /// One line per open gap, in official order.
    pub lines: Vec<CostLine>,
    /// Per function.
    pub functions: Vec<CostByFunction>,
    /// Σ hours.
    pub total_hours: f64,
    /// Σ cost.
    pub total_cost: f64,
}

/// Costs every open gap of `gaps`.
pub fn estimate_cost(gaps: &GapAnalysis, params: &CostParams) -> Result<CostEstimate> {
    let size = params.size.unwrap_or(DEFAULT_SIZE);
    let hps = params
        .hours_per_step
        .unwrap_or_else(|| default_hours_per_step(size));
    check_non_negative("hours_per_step", hps)?;
    check_non_negative("hourly_rate", params.hourly_rate)?;
    let currency = params.currency.trim();
    if currency.is_empty() || currency.chars().count() > 16 {
        return Err(Error::invalid(
            "currency",
            "give a currency label of 1..=16 characters, e.g. \"EUR\"",
        ));
    }
    let mut overrides = HashMap::new();
    for o in &params.hours_overrides {
        check_non_negative("hours_overrides.hours", o.hours)?;
        overrides.insert(
            csf_catalog::ids::subcategory(&o.subcategory_id)?.id,
            o.hours,
        );
    }
    let rate = params.hourly_rate;
    let mut lines = Vec::new();
    let mut functions: Vec<CostByFunction> = Vec::new();
    for r in gaps.gaps() {
        let ov = overrides.get(r.subcategory_id.as_str()).copied();
        let hours = ov.unwrap_or(f64::from(r.gap_steps) * hps);
        let cost = hours * rate;
        if functions
            .last()
            .is_none_or(|f| f.function_id != r.function_id)
        {
            functions.push(CostByFunction {
                function_id: r.function_id.clone(),
                hours: 0.0,
                cost: 0.0,
            });
        }
        if let Some(f) = functions.last_mut() {
            f.hours += hours;
            f.cost += cost;
        }
        lines.push(CostLine {
            subcategory_id: r.subcategory_id.clone(),
            function_id: r.function_id.clone(),
            gap_steps: r.gap_steps,
            hours_per_step: ov.is_none().then_some(hps),
            hours_overridden: ov.is_some(),
            hours: round4(hours),
            hourly_rate: rate,
            cost: round2(cost),
        });
    }
    for f in &mut functions {
        f.hours = round4(f.hours);
        f.cost = round2(f.cost);
    }
    let total_hours = round4(lines.iter().map(|l| l.hours).sum());
    let total_cost = round2(functions.iter().map(|f| f.cost).sum());
    // Huge rates or hours overflow to infinity, which JSON cannot carry (it would become null
    // where the schema promises a number): refuse them rather than answer with a broken total.
    if !(total_cost.is_finite() && total_hours.is_finite()) {
        return Err(Error::invalid(
            "hourly_rate",
            "hours × hourly_rate is too large to compute: give smaller hourly_rate, hours_per_step or hours_overrides",
        ));
    }
    let method = Method::new(
        "cost-estimate/v1",
        "hours = gap_steps × hours_per_step (by organisation size unless hours_per_step is \
         given; per-subcategory overrides replace the product); cost = hours × hourly_rate. \
         Default hours per step: small 16, medium 40, large 80, enterprise 160 — model \
         parameters to calibrate, not measured or survey data. Costs rounded to 2 decimals. \
         No conversion between currencies.",
    )
    .assume(
        "size",
        params.size.map(|s| s.as_str().to_owned()),
        DEFAULT_SIZE.as_str(),
    )
    .assume(
        "hours_per_step",
        params.hours_per_step.map(|h| h.to_string()),
        default_hours_per_step(size).to_string(),
    )
    .assume("hourly_rate", Some(rate.to_string()), "required")
    .assume("currency", Some(currency.to_owned()), "required")
    .assume(
        "hours_overrides",
        (!params.hours_overrides.is_empty()).then(|| {
            params
                .hours_overrides
                .iter()
                .map(|o| format!("{}={}", o.subcategory_id, o.hours))
                .collect::<Vec<_>>()
                .join(", ")
        }),
        "none",
    );
    Ok(CostEstimate {
        label: "Estimate from a parametric model (not a quote, not benchmark data)".to_owned(),
        method,
        currency: currency.to_owned(),
        lines,
        functions,
        total_hours,
        total_cost,
    })
}

fn check_non_negative(field: &'static str, v: f64) -> Result<()> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("{v} must be a number ≥ 0")))
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
