//! The method statement every output carries: what was computed, how, and with which
//! assumptions (each assumption is an input whose value and default are echoed back).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a figure was computed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Method {
    /// Short name of the method, e.g. `gap-analysis/v1`.
    pub name: String,
    /// The computation in words and formulas.
    pub description: String,
    /// Every assumption used, with the value applied and its documented default.
    pub assumptions: Vec<Assumption>,
}

/// One assumption: an input with a documented default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Assumption {
    /// Parameter name as the caller passes it.
    pub name: String,
    /// The value applied in this computation.
    pub value: String,
    /// The documented default.
    pub default: String,
    /// True when the caller supplied the value (false: the default was used).
    pub from_caller: bool,
}

impl Method {
    pub(crate) fn new(name: &str, description: &str) -> Self {
        Method {
            name: name.to_owned(),
            description: description.to_owned(),
            assumptions: Vec::new(),
        }
    }

    /// Adds an assumption; `given` is the caller's value if any.
    pub(crate) fn assume(
        mut self,
        name: &str,
        given: Option<String>,
        default: impl Into<String>,
    ) -> Self {
        let default = default.into();
        self.assumptions.push(Assumption {
            name: name.to_owned(),
            from_caller: given.is_some(),
            value: given.unwrap_or_else(|| default.clone()),
            default,
        });
        self
    }
}

/// The shared scale statement used by several methods.
pub const SCALE: &str =
    "Implementation levels: not_implemented=0, partially=1, largely=2, fully=3 \
(score = level/3: 0, 0.3333, 0.6667, 1); not_applicable is excluded from every mean and gap. \
Priority weights: high=3, medium=2, low=1.";
