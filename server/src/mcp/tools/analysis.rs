//! Analysis over stored assessments: maturity, gaps, priority matrix, cost and risk models,
//! trend, comparison, next actions. Thin adapters over the domain service; each result carries
//! the method and every assumption applied.

use csf_domain::analysis::requests::{
    CompareRequest, CostRequest, GapRequest, MatrixRequest, MaturityRequest, RiskRequest,
    SuggestRequest, TrendRequest,
};
use csf_domain::{
    CostEstimate, GapAnalysis, MaturityAssessment, MaturityTrend, PriorityMatrix,
    ProfileComparison, RiskScore, Suggestions,
};

use crate::mcp::error::ToolError;
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};

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
    type Params = MaturityRequest;
    type Output = MaturityAssessment;
    async fn call(call: Call, p: MaturityRequest) -> Result<MaturityAssessment, ToolError> {
        Ok(call.service.assess_maturity(p).await?)
    }
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
    type Params = GapRequest;
    type Output = GapAnalysis;
    async fn call(call: Call, p: GapRequest) -> Result<GapAnalysis, ToolError> {
        Ok(call.service.generate_gap_analysis(p).await?)
    }
}

pub struct GeneratePriorityMatrix;
impl CsfTool for GeneratePriorityMatrix {
    const META: ToolMeta = ToolMeta {
        name: "generate_priority_matrix",
        title: "Priority matrix (impact × effort)",
        description: "Place every open gap between a Current and a Target profile in an \
            impact/effort quadrant: quick win, major project, fill-in, reconsider. Impact = gap \
            steps × priority weight; effort is its own input, not the gap size: your \
            per-subcategory effort, else the documented default class of the subcategory's \
            category (light 1, moderate 2, heavy 4 work units; basis gap_steps restores gap \
            steps × units per step). Defaults: high impact ≥ 3 (every high-priority gap), high \
            effort ≥ 2, so a high-priority gap of a light outcome is a quick win. Thresholds are \
            inputs with stated defaults.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = MatrixRequest;
    type Output = PriorityMatrix;
    async fn call(call: Call, p: MatrixRequest) -> Result<PriorityMatrix, ToolError> {
        Ok(call.service.generate_priority_matrix(p).await?)
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
    type Params = CostRequest;
    type Output = CostEstimate;
    async fn call(call: Call, p: CostRequest) -> Result<CostEstimate, ToolError> {
        Ok(call.service.estimate_implementation_cost(p).await?)
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
    type Params = RiskRequest;
    type Output = RiskScore;
    async fn call(call: Call, p: RiskRequest) -> Result<RiskScore, ToolError> {
        Ok(call.service.calculate_risk_score(p).await?)
    }
}

pub struct SuggestNextActions;
impl CsfTool for SuggestNextActions {
    const META: ToolMeta = ToolMeta {
        name: "suggest_next_actions",
        title: "Suggest next actions within capacity",
        description: "The open gaps (Current → Target) that give the most priority-weighted \
            progress per unit of effort, ranked by value per effort (impact / effort, effort from \
            the same model as the priority matrix), ties by higher impact then official CSF \
            order, taken while they fit the capacity you give. Each suggestion explains its \
            numbers and any tie; gaps that do not fit are returned as deferred with the reason.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = SuggestRequest;
    type Output = Suggestions;
    async fn call(call: Call, p: SuggestRequest) -> Result<Suggestions, ToolError> {
        Ok(call.service.suggest_next_actions(p).await?)
    }
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
    type Params = TrendRequest;
    type Output = MaturityTrend;
    async fn call(call: Call, p: TrendRequest) -> Result<MaturityTrend, ToolError> {
        Ok(call.service.calculate_maturity_trend(p).await?)
    }
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
    type Params = CompareRequest;
    type Output = ProfileComparison;
    async fn call(call: Call, p: CompareRequest) -> Result<ProfileComparison, ToolError> {
        Ok(call.service.compare_profiles(p).await?)
    }
}
