//! The effort model shared by the priority matrix, the plan and the suggestions: effort in
//! abstract work units (a team-defined unit, e.g. person-weeks). By default effort is its own
//! input, independent of the gap size: each subcategory has a documented default class (by its
//! category) that the caller can override per subcategory. The older model, gap steps × units
//! per step, stays available when asked for.

use crate::analysis::gap::GapRow;
use crate::analysis::method::Method;
use crate::error::{Error, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Documented default of [`EffortModel::units_per_step`] (basis `gap_steps` only).
pub const DEFAULT_UNITS_PER_STEP: f64 = 1.0;

/// Where effort comes from when no override names the subcategory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EffortBasis {
    /// The subcategory's default effort class (light 1, moderate 2, heavy 4 work units, by
    /// category), whatever the size of its gap.
    #[default]
    Outcome,
    /// gap_steps × units_per_step.
    GapSteps,
}

/// Default effort class of an outcome, set by its category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EffortClass {
    /// Written decisions, roles, policies, communication: 1 work unit.
    Light,
    /// Processes people run repeatedly: 2 work units.
    Moderate,
    /// Technology deployed or changed across the estate: 4 work units.
    Heavy,
}

impl EffortClass {
    /// Work units of the class.
    pub fn units(self) -> f64 {
        match self {
            EffortClass::Light => 1.0,
            EffortClass::Moderate => 2.0,
            EffortClass::Heavy => 4.0,
        }
    }

    /// Its name as in the schema.
    pub fn as_str(self) -> &'static str {
        match self {
            EffortClass::Light => "light",
            EffortClass::Moderate => "moderate",
            EffortClass::Heavy => "heavy",
        }
    }

    /// The default class of a subcategory (or category) id, by its category.
    pub fn of(id: &str) -> EffortClass {
        match id.get(..5).unwrap_or(id) {
            "GV.OC" | "GV.RR" | "GV.PO" | "GV.OV" | "ID.IM" | "RS.CO" | "RC.CO" => {
                EffortClass::Light
            }
            "ID.AM" | "PR.AA" | "PR.DS" | "PR.PS" | "PR.IR" | "DE.CM" => EffortClass::Heavy,
            // GV.RM, GV.SC, ID.RA, PR.AT, DE.AE, RS.MA, RS.AN, RS.MI, RC.RP
            _ => EffortClass::Moderate,
        }
    }
}

/// The categories of each default class, as stated in methods.
pub const DEFAULT_CLASSES: &str = "light (1 unit): GV.OC, GV.RR, GV.PO, GV.OV, ID.IM, RS.CO, \
     RC.CO; moderate (2 units): GV.RM, GV.SC, ID.RA, PR.AT, DE.AE, RS.MA, RS.AN, RS.MI, RC.RP; \
     heavy (4 units): ID.AM, PR.AA, PR.DS, PR.PS, PR.IR, DE.CM";

/// How effort is estimated: the caller's override for the subcategory, else the basis
/// (default `outcome`: the subcategory's default class, independent of the gap size).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EffortModel {
    /// outcome (default; the subcategory's class: light 1, moderate 2, heavy 4 work units, by
    /// category) or gap_steps (gap_steps × units_per_step). Giving `units_per_step` alone
    /// selects gap_steps.
    pub basis: Option<EffortBasis>,
    /// Work units per gap step for basis gap_steps (default 1.0; must be > 0).
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

/// Where one effort figure came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EffortSource {
    /// The caller's override for the subcategory.
    Override,
    /// The default class of the subcategory's category.
    Class,
    /// gap_steps × units_per_step.
    GapSteps,
}

/// A validated effort model.
pub(crate) struct Effort {
    basis: EffortBasis,
    per_step: f64,
    overrides: HashMap<&'static str, f64>,
}

impl EffortModel {
    /// The gap-steps model with 1 work unit per step.
    pub fn gap_steps() -> Self {
        EffortModel {
            basis: Some(EffortBasis::GapSteps),
            ..EffortModel::default()
        }
    }

    /// The basis applied: as given, else gap_steps when only `units_per_step` is given.
    pub fn basis(&self) -> EffortBasis {
        self.basis.unwrap_or(if self.units_per_step.is_some() {
            EffortBasis::GapSteps
        } else {
            EffortBasis::Outcome
        })
    }

    pub(crate) fn validate(&self) -> Result<Effort> {
        let per_step = self.units_per_step.unwrap_or(DEFAULT_UNITS_PER_STEP);
        if !(per_step.is_finite() && per_step > 0.0) {
            return Err(Error::invalid(
                "units_per_step",
                format!("{per_step} must be a number > 0"),
            ));
        }
        if self.basis == Some(EffortBasis::Outcome) && self.units_per_step.is_some() {
            return Err(Error::invalid(
                "units_per_step",
                "applies to basis gap_steps only; drop it or use basis gap_steps",
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
            basis: self.basis(),
            per_step,
            overrides,
        })
    }

    /// Adds this model's assumptions to a method statement.
    pub(crate) fn describe(&self, m: Method) -> Method {
        let basis = match self.basis() {
            EffortBasis::Outcome => {
                format!("outcome: default class by category, {DEFAULT_CLASSES}")
            }
            EffortBasis::GapSteps => "gap_steps × units_per_step".to_owned(),
        };
        let m = m.assume(
            "effort.basis",
            (self.basis.is_some() || self.units_per_step.is_some()).then(|| basis.clone()),
            basis,
        );
        let m = if self.basis() == EffortBasis::GapSteps {
            m.assume(
                "effort.units_per_step",
                self.units_per_step.map(|u| u.to_string()),
                DEFAULT_UNITS_PER_STEP.to_string(),
            )
        } else {
            m
        };
        m.assume(
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
    /// Effort of a gap row and where it came from.
    pub(crate) fn source_of(&self, row: &GapRow) -> (f64, EffortSource) {
        match (self.overrides.get(row.subcategory_id.as_str()), self.basis) {
            (Some(u), _) => (*u, EffortSource::Override),
            (None, EffortBasis::Outcome) => (
                EffortClass::of(&row.subcategory_id).units(),
                EffortSource::Class,
            ),
            (None, EffortBasis::GapSteps) => (
                f64::from(row.gap_steps) * self.per_step,
                EffortSource::GapSteps,
            ),
        }
    }

    /// Effort of a gap row and whether it came from an override.
    pub(crate) fn of(&self, row: &GapRow) -> (f64, bool) {
        let (e, src) = self.source_of(row);
        (e, src == EffortSource::Override)
    }
}
