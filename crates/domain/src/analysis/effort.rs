//! The effort model shared by the priority matrix, the plan and the suggestions: effort in
//! abstract work units (a team-defined unit, e.g. person-weeks), by default one per gap step.

use crate::analysis::gap::GapRow;
use crate::analysis::method::Method;
use crate::error::{Error, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Documented default of [`EffortModel::units_per_step`].
pub const DEFAULT_UNITS_PER_STEP: f64 = 1.0;

/// How effort is estimated: `gap_steps × units_per_step`, unless overridden per subcategory.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EffortModel {
    /// Work units per gap step (default 1.0; must be > 0).
    pub units_per_step: Option<f64>,
    /// Per-subcategory effort in work units, replacing the model for that subcategory.
    #[serde(default)]
    pub overrides: Vec<EffortOverride>,
}

/// The effort of one subcategory, as the caller knows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EffortOverride {
    /// Subcategory id.
    pub subcategory_id: String,
    /// Effort in work units (> 0).
    pub units: f64,
}

/// A validated effort model.
pub(crate) struct Effort {
    per_step: f64,
    overrides: HashMap<&'static str, f64>,
}

impl EffortModel {
    pub(crate) fn validate(&self) -> Result<Effort> {
        let per_step = self.units_per_step.unwrap_or(DEFAULT_UNITS_PER_STEP);
        if !(per_step.is_finite() && per_step > 0.0) {
            return Err(Error::invalid(
                "units_per_step",
                format!("{per_step} must be a number > 0"),
            ));
        }
        let mut overrides = HashMap::new();
        for o in &self.overrides {
            let id = csf_catalog::ids::subcategory(&o.subcategory_id)?.id;
            if !(o.units.is_finite() && o.units > 0.0) {
                return Err(Error::invalid(
                    "overrides.units",
                    format!("{} for {id} must be a number > 0", o.units),
                ));
            }
            overrides.insert(id, o.units);
        }
        Ok(Effort {
            per_step,
            overrides,
        })
    }

    /// Adds this model's assumptions to a method statement.
    pub(crate) fn describe(&self, m: Method) -> Method {
        m.assume(
            "effort.units_per_step",
            self.units_per_step.map(|u| u.to_string()),
            DEFAULT_UNITS_PER_STEP.to_string(),
        )
        .assume(
            "effort.overrides",
            (!self.overrides.is_empty()).then(|| {
                self.overrides
                    .iter()
                    .map(|o| format!("{}={}", o.subcategory_id, o.units))
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
            "none",
        )
    }
}

impl Effort {
    /// Effort of a gap row and whether it came from an override.
    pub(crate) fn of(&self, row: &GapRow) -> (f64, bool) {
        match self.overrides.get(row.subcategory_id.as_str()) {
            Some(u) => (*u, true),
            None => (f64::from(row.gap_steps) * self.per_step, false),
        }
    }
}
