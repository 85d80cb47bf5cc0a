//! What the analysis operations take. The doc comments are the input schema a caller reads.

use csf_store::{OrgSize, Priority};
use schemars::JsonSchema;
use serde::Deserialize;

use super::cost::HoursOverride;
use super::effort::EffortModel;
use super::risk::FunctionWeight;
use super::trend::Period;

/// The maturity of one profile.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaturityRequest {
    /// The profile (prof_…).
    pub profile_id: String,
    /// Function, category or subcategory ids to cover (e.g. ["GV", "PR.AA"]); default: the
    /// profile's own scope.
    pub scope: Option<Vec<String>>,
}

/// What every Current → Target request has; `GapBasis::of` reads them.
pub(crate) struct GapBasis<'a> {
    pub current_profile_id: &'a str,
    pub target_profile_id: &'a str,
    pub scope: Option<Vec<String>>,
    pub default_priority: Option<Priority>,
}

/// Fields every Current → Target request takes, then its own.
macro_rules! gap_request {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        $(#[$m])*
        #[derive(Debug, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// The Current profile (prof_…).
            pub current_profile_id: String,
            /// The Target profile (prof_…), of the same organization.
            pub target_profile_id: String,
            /// Function, category or subcategory ids to analyse (e.g. ["GV", "PR.AA",
            /// "DE.CM-01"]); default: the functions both profiles cover.
            pub scope: Option<Vec<String>>,
            /// Priority assumed where the target entry has none: high, medium or low (default
            /// medium).
            pub default_priority: Option<Priority>,
            $($(#[$fm])* pub $f: $t,)*
        }

        impl $name {
            /// The pair and gap options; takes `scope`.
            pub(crate) fn basis(&mut self) -> GapBasis<'_> {
                GapBasis {
                    current_profile_id: &self.current_profile_id,
                    target_profile_id: &self.target_profile_id,
                    scope: self.scope.take(),
                    default_priority: self.default_priority,
                }
            }
        }
    };
}

gap_request! {
    /// A gap analysis between a Current and a Target profile.
    pub struct GapRequest {}
}

gap_request! {
    /// The gaps placed in impact/effort quadrants.
    pub struct MatrixRequest {
        /// Effort model: work units per gap step (default 1.0) and per-subcategory overrides.
        pub effort: Option<EffortModel>,
        /// Impact (weighted gap) at or above which a gap is high impact (default 4).
        pub impact_threshold: Option<u32>,
        /// Effort at or above which a gap is high effort (default 2.0 work units).
        pub effort_threshold: Option<f64>,
    }
}

gap_request! {
    /// A parametric cost estimate of closing the gaps.
    pub struct CostRequest {
        /// Cost of one hour in `currency` (≥ 0). Required: the model has no default rate.
        pub hourly_rate: f64,
        /// Currency label shown as given (e.g. "EUR"); no conversion is made.
        pub currency: String,
        /// small, medium, large or enterprise (default: the organization's declared size, else
        /// medium). Sets the default hours per gap step: 16, 40, 80 or 160.
        pub size: Option<OrgSize>,
        /// Hours per gap step, replacing the size default.
        pub hours_per_step: Option<f64>,
        /// Known hours for particular subcategories, replacing the model for them.
        pub hours_overrides: Option<Vec<HoursOverride>>,
    }
}

gap_request! {
    /// The exposure index of the open gaps.
    pub struct RiskRequest {
        /// Weight per function (≥ 0; default 1.0 for every function not listed; 0 excludes it).
        pub function_weights: Option<Vec<FunctionWeight>>,
    }
}

gap_request! {
    /// The next actions that fit a capacity.
    pub struct SuggestRequest {
        /// Work units available (> 0), in the effort model's unit (e.g. person-weeks).
        pub capacity: f64,
        /// Effort model: work units per gap step (default 1.0) and per-subcategory overrides.
        pub effort: Option<EffortModel>,
        /// Most suggestions (default 10, 1–106).
        pub limit: Option<u32>,
    }
}

/// A profile's maturity over time.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrendRequest {
    /// The profile (prof_…).
    pub profile_id: String,
    /// month or quarter (default quarter; calendar periods, UTC).
    pub period: Option<Period>,
    /// Function, category or subcategory ids to cover; default: the profile's own scope.
    pub scope: Option<Vec<String>>,
    /// Extend the periods up to the one holding this date (YYYY-MM-DD, e.g. today); default:
    /// stop at the last change.
    pub until: Option<String>,
}

/// Several profiles side by side.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    /// 2 to 5 profiles (prof_…), in the order to show them.
    pub profile_ids: Vec<String>,
    /// Function, category or subcategory ids; default: the functions every profile covers.
    pub scope: Option<Vec<String>>,
}
