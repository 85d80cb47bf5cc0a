//! Function-level results: a profile's quick-assessment answers shown as what they are, one
//! figure per function, labelled, never spread over the function's subcategories.

use crate::analysis::scale::{ratio, round4, status_score};
use crate::analysis::scope::ScopeFilter;
use crate::error::Result;
use csf_store::{ImplementationStatus, QuickAnswer};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Label carried by every function-level figure.
pub const FUNCTION_LEVEL: &str =
    "function-level (quick assessment): one answer for the whole function, not spread over its \
     subcategories";

/// What the figures of an assessment rest on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentBasis {
    /// Subcategory entries only.
    Subcategory,
    /// Function-level quick answers only: the subcategory figures are empty by design.
    FunctionLevel,
    /// Both: subcategory figures, and function-level answers beside them.
    Mixed,
    /// Nothing recorded in scope.
    #[default]
    None,
}

/// One function's quick answer as a result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FunctionLevelResult {
    /// Function id.
    pub function_id: String,
    /// Its title from the catalog.
    pub title: String,
    /// The answer for the function as a whole.
    pub status: ImplementationStatus,
    /// level / 3 (not_applicable: none).
    pub implementation_score: Option<f64>,
    /// Maturity 0..5, if answered.
    pub maturity: Option<u8>,
    /// Always [`FUNCTION_LEVEL`].
    pub label: String,
}

/// Function-level figures over the functions in scope.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FunctionLevelSummary {
    /// Functions in scope.
    pub functions_in_scope: u32,
    /// Of them, answered.
    pub answered: u32,
    /// Mean implementation score over answered functions not not_applicable.
    pub implementation_score: Option<f64>,
    /// Mean maturity over answered functions with one.
    pub mean_maturity: Option<f64>,
    /// Per function, in official order.
    pub results: Vec<FunctionLevelResult>,
    /// Always [`FUNCTION_LEVEL`].
    pub label: String,
}

/// The quick answers of functions the scope covers, in official order.
pub fn function_level(
    answers: &[QuickAnswer],
    scope: &ScopeFilter,
) -> Result<FunctionLevelSummary> {
    let subs = scope.subcategories()?;
    let mut out = FunctionLevelSummary {
        label: FUNCTION_LEVEL.to_owned(),
        ..FunctionLevelSummary::default()
    };
    let (mut score, mut scored, mut mat, mut mat_n) = (0.0, 0u32, 0u32, 0u32);
    for f in csf_catalog::functions() {
        if !subs.iter().any(|s| s.category().function().id == f.id) {
            continue;
        }
        out.functions_in_scope += 1;
        let Some(a) = answers.iter().find(|a| a.function_id == f.id) else {
            continue;
        };
        out.answered += 1;
        let s = status_score(a.status);
        if let Some(v) = s {
            score += v;
            scored += 1;
        }
        let m = a.maturity.map(|m| m.get());
        if let Some(v) = m {
            mat += u32::from(v);
            mat_n += 1;
        }
        out.results.push(FunctionLevelResult {
            function_id: f.id.to_owned(),
            title: f.title.to_owned(),
            status: a.status,
            implementation_score: s.map(round4),
            maturity: m,
            label: FUNCTION_LEVEL.to_owned(),
        });
    }
    out.implementation_score = ratio(score, f64::from(scored));
    out.mean_maturity = ratio(f64::from(mat), f64::from(mat_n));
    Ok(out)
}

/// The basis of an assessment with `assessed` subcategory entries and these answers.
pub fn basis(assessed: u32, function_level: &FunctionLevelSummary) -> AssessmentBasis {
    match (assessed > 0, function_level.answered > 0) {
        (true, true) => AssessmentBasis::Mixed,
        (true, false) => AssessmentBasis::Subcategory,
        (false, true) => AssessmentBasis::FunctionLevel,
        (false, false) => AssessmentBasis::None,
    }
}
