//! Analysis over stored assessments: maturity, gaps, priority matrix, cost and risk models,
//! trend, comparison, next actions. Thin: read the profiles from the store, call csf-analysis,
//! return its result (each carries the method and every assumption applied).

use csf_domain::{
    assess_maturity, compare_profiles, estimate_cost, gap_analysis, maturity_trend,
    priority_matrix, risk_score, suggest_next_actions, CostEstimate, CostParams, EffortModel,
    FunctionWeight, GapAnalysis, GapParams, HoursOverride, MatrixParams, MaturityAssessment,
    MaturityTrend, Period, PriorityMatrix, ProfileComparison, ProfileInput, RiskParams, RiskScore,
    SuggestParams, Suggestions, TrendParams,
};
use csf_store::{OrgSize, Priority};
use schemars::JsonSchema;
use serde::Deserialize;

use super::analysis_inputs::{
    all_history, date, load_pair, load_profile, load_profiles, scope_for, Pair,
};
use super::store_call::{profile_id, with_store};
use crate::mcp::error::{check_len, ToolError};
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};

// ---------------------------------------------------------------- assess_maturity

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaturityParams {
    /// The profile (prof_…).
    pub profile_id: String,
    /// Function, category or subcategory ids to cover (e.g. ["GV", "PR.AA"]); default: the
    /// profile's own scope.
    pub scope: Option<Vec<String>>,
}

pub struct AssessMaturity;
impl CsfTool for AssessMaturity {
    const META: ToolMeta = ToolMeta {
        name: "assess_maturity",
        title: "Assess a profile's maturity",
        description: "Per function and category of a profile: coverage (assessed / in scope), \
            entries per implementation status, implementation score (mean of status level / 3, \
            N/A excluded), mean maturity over entries that have one, confidence counts and the \
            unassessed subcategories (listed, never scored as zero). States its method. CSF Tiers \
            are not computed.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = MaturityParams;
    type Output = MaturityAssessment;
    async fn call(call: Call, p: MaturityParams) -> Result<MaturityAssessment, ToolError> {
        let loaded = load_profile(&call, &p.profile_id).await?;
        let scope = scope_for(p.scope, &[&loaded.profile])?;
        Ok(assess_maturity(&loaded.entries, &scope)?)
    }
}

// ---------------------------------------------------------------- gap-based tools

/// Fields every Current → Target tool takes.
macro_rules! gap_fields {
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
            /// Loads the pair and its gap analysis (see `gaps_of`); takes `scope`.
            async fn gaps(&mut self, call: &Call) -> Result<(Pair, GapAnalysis), ToolError> {
                gaps_of(
                    call,
                    &self.current_profile_id,
                    &self.target_profile_id,
                    self.scope.take(),
                    self.default_priority.clone(),
                )
                .await
            }
        }
    };
}

/// Loads the pair and computes the gap analysis every gap-based tool starts from.
async fn gaps_of(
    call: &Call,
    current: &str,
    target: &str,
    scope: Option<Vec<String>>,
    default_priority: Option<Priority>,
) -> Result<(Pair, GapAnalysis), ToolError> {
    let pair = load_pair(call, current, target).await?;
    let scope = scope_for(scope, &[&pair.current.profile, &pair.target.profile])?;
    let gaps = gap_analysis(
        &pair.current.entries,
        &pair.target.entries,
        &GapParams {
            scope,
            default_priority,
        },
    )?;
    Ok((pair, gaps))
}

gap_fields! {
    pub struct GapToolParams {}
}

pub struct GenerateGapAnalysis;
impl CsfTool for GenerateGapAnalysis {
    const META: ToolMeta = ToolMeta {
        name: "generate_gap_analysis",
        title: "Gap analysis: Current vs Target",
        description: "Compare a Current and a Target profile per subcategory: state (gap, met, \
            exceeds, not applicable, applicability mismatch, missing on a side), gap steps \
            (target level − current level on not/partially/largely/fully = 0..3), weighted gap \
            (steps × priority weight high 3 / medium 2 / low 1), maturity gap; totals per \
            function, category and scope with target attainment. Missing entries are listed, \
            not scored. Works on any partial scope.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = GapToolParams;
    type Output = GapAnalysis;
    async fn call(call: Call, mut p: GapToolParams) -> Result<GapAnalysis, ToolError> {
        let (_, gaps) = p.gaps(&call).await?;
        Ok(gaps)
    }
}

gap_fields! {
    pub struct MatrixToolParams {
        /// Effort model: work units per gap step (default 1.0) and per-subcategory overrides.
        pub effort: Option<EffortModel>,
        /// Impact (weighted gap) at or above which a gap is high impact (default 4).
        pub impact_threshold: Option<u32>,
        /// Effort at or above which a gap is high effort (default 2.0 work units).
        pub effort_threshold: Option<f64>,
    }
}

pub struct GeneratePriorityMatrix;
impl CsfTool for GeneratePriorityMatrix {
    const META: ToolMeta = ToolMeta {
        name: "generate_priority_matrix",
        title: "Priority matrix (impact × effort)",
        description: "Place every open gap between a Current and a Target profile in an \
            impact/effort quadrant: quick win, major project, fill-in, reconsider. Impact = gap \
            steps × priority weight; effort = gap steps × units per step (default 1 work unit) \
            unless you give a per-subcategory effort. Thresholds are inputs with stated defaults.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = MatrixToolParams;
    type Output = PriorityMatrix;
    async fn call(call: Call, mut p: MatrixToolParams) -> Result<PriorityMatrix, ToolError> {
        let (_, gaps) = p.gaps(&call).await?;
        Ok(priority_matrix(
            &gaps,
            &MatrixParams {
                effort: p.effort.unwrap_or_default(),
                impact_threshold: p.impact_threshold,
                effort_threshold: p.effort_threshold,
            },
        )?)
    }
}

gap_fields! {
    pub struct CostToolParams {
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

pub struct EstimateImplementationCost;
impl CsfTool for EstimateImplementationCost {
    const META: ToolMeta = ToolMeta {
        name: "estimate_implementation_cost",
        title: "Estimate the cost of closing gaps",
        description: "An estimate from a transparent parametric model (not a quote, not \
            benchmark data): hours = gap steps × hours per step (by organization size: small 16, \
            medium 40, large 80, enterprise 160 — calibrate them) or your per-subcategory hours; \
            cost = hours × your hourly rate, in the currency label you give. Every line shows its \
            inputs; totals per function.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = CostToolParams;
    type Output = CostEstimate;
    async fn call(call: Call, mut p: CostToolParams) -> Result<CostEstimate, ToolError> {
        check_len("currency", &p.currency, 16)?;
        let (pair, gaps) = p.gaps(&call).await?;
        let size = p.size.or(pair.org.size);
        Ok(estimate_cost(
            &gaps,
            &CostParams {
                size,
                hours_per_step: p.hours_per_step,
                hourly_rate: p.hourly_rate,
                currency: p.currency,
                hours_overrides: p.hours_overrides.unwrap_or_default(),
            },
        )?)
    }
}

gap_fields! {
    pub struct RiskToolParams {
        /// Weight per function (≥ 0; default 1.0 for every function not listed; 0 excludes it).
        pub function_weights: Option<Vec<FunctionWeight>>,
    }
}

pub struct CalculateRiskScore;
impl CsfTool for CalculateRiskScore {
    const META: ToolMeta = ToolMeta {
        name: "calculate_risk_score",
        title: "Risk index of open gaps",
        description: "A documented exposure index 0–100 over the gaps between a Current and a \
            Target profile: per function, exposure = Σ (gap steps / 3) × priority weight and \
            max = Σ priority weight; score = 100 × Σ W·exposure / Σ W·max with optional function \
            weights W (default 1). Returns per-function contributions (they sum to the score) and \
            a band. It ranks open gaps; it is not a probability of loss.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = RiskToolParams;
    type Output = RiskScore;
    async fn call(call: Call, mut p: RiskToolParams) -> Result<RiskScore, ToolError> {
        let (_, gaps) = p.gaps(&call).await?;
        Ok(risk_score(
            &gaps,
            &RiskParams {
                function_weights: p.function_weights.unwrap_or_default(),
            },
        )?)
    }
}

gap_fields! {
    pub struct SuggestToolParams {
        /// Work units available (> 0), in the effort model's unit (e.g. person-weeks).
        pub capacity: f64,
        /// Effort model: work units per gap step (default 1.0) and per-subcategory overrides.
        pub effort: Option<EffortModel>,
        /// Most suggestions (default 10, 1–106).
        pub limit: Option<u32>,
    }
}

pub struct SuggestNextActions;
impl CsfTool for SuggestNextActions {
    const META: ToolMeta = ToolMeta {
        name: "suggest_next_actions",
        title: "Suggest next actions within capacity",
        description: "The open gaps (Current → Target) that give the most priority-weighted \
            progress per unit of effort, ranked by impact / effort, taken while they fit the \
            capacity you give. Each suggestion explains its numbers; gaps that do not fit are \
            returned as deferred with the reason.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = SuggestToolParams;
    type Output = Suggestions;
    async fn call(call: Call, mut p: SuggestToolParams) -> Result<Suggestions, ToolError> {
        let (_, gaps) = p.gaps(&call).await?;
        Ok(suggest_next_actions(
            &gaps,
            &SuggestParams {
                capacity: p.capacity,
                effort: p.effort.unwrap_or_default(),
                limit: p.limit,
            },
        )?)
    }
}

// ---------------------------------------------------------------- calculate_maturity_trend

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrendToolParams {
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

pub struct CalculateMaturityTrend;
impl CsfTool for CalculateMaturityTrend {
    const META: ToolMeta = ToolMeta {
        name: "calculate_maturity_trend",
        title: "Maturity trend from history",
        description: "A profile's coverage, implementation score and mean maturity at the end of \
            each month or quarter, rebuilt by replaying its stored change history; overall and \
            per function, with the number of changes per period.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = TrendToolParams;
    type Output = MaturityTrend;
    async fn call(call: Call, p: TrendToolParams) -> Result<MaturityTrend, ToolError> {
        let until = p.until.as_deref().map(|d| date("until", d)).transpose()?;
        let id = profile_id(&p.profile_id)?;
        let (profile, history) = with_store(&call, move |s, _| {
            Ok((s.get_profile(&id)?, all_history(s, &id)?))
        })
        .await?;
        let scope = scope_for(p.scope, &[&profile])?;
        Ok(maturity_trend(
            &history,
            &TrendParams {
                period: p.period,
                scope,
                until,
            },
        )?)
    }
}

// ---------------------------------------------------------------- compare_profiles

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareParams {
    /// 2 to 5 profiles (prof_…), in the order to show them.
    pub profile_ids: Vec<String>,
    /// Function, category or subcategory ids; default: the functions every profile covers.
    pub scope: Option<Vec<String>>,
}

pub struct CompareProfiles;
impl CsfTool for CompareProfiles {
    const META: ToolMeta = ToolMeta {
        name: "compare_profiles",
        title: "Compare 2–5 profiles",
        description: "Score 2 to 5 profiles over the same scope: coverage, implementation score \
            and mean maturity per profile and per function, the spread between the highest and \
            lowest score per function, and every subcategory whose status differs between them.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = CompareParams;
    type Output = ProfileComparison;
    async fn call(call: Call, p: CompareParams) -> Result<ProfileComparison, ToolError> {
        let n = p.profile_ids.len();
        if !(2..=5).contains(&n) {
            return Err(ToolError::InvalidValue(format!(
                "`profile_ids` has {n} ids; compare 2 to 5 profiles"
            )));
        }
        let loaded = load_profiles(&call, &p.profile_ids).await?;
        let profiles: Vec<_> = loaded.iter().map(|l| &l.profile).collect();
        let scope = scope_for(p.scope, &profiles)?;
        let inputs: Vec<ProfileInput<'_>> = loaded
            .iter()
            .map(|l| ProfileInput {
                profile: &l.profile,
                entries: &l.entries,
            })
            .collect();
        Ok(compare_profiles(&inputs, &scope)?)
    }
}
