//! The analysis operations: read the profiles (see [`super::inputs`]), choose the scope, run
//! the pure analysis. Every result carries its method and the assumptions applied.

use std::sync::Arc;

use super::compare::{compare_profiles, ProfileComparison, ProfileInput};
use super::cost::{estimate_cost, CostEstimate, CostParams};
use super::function_level::function_level;
use super::gap::{gap_analysis, GapAnalysis, GapParams};
use super::inputs::{date_arg, Loaded, Pair};
use super::matrix::{priority_matrix, MatrixParams, PriorityMatrix};
use super::maturity::{assess_maturity, MaturityAssessment};
use super::requests::{
    CompareRequest, CostRequest, GapBasis, GapRequest, MatrixRequest, MaturityRequest, RiskRequest,
    SuggestRequest, TrendRequest,
};
use super::risk::{risk_score, RiskParams, RiskScore};
use super::scope::ScopeFilter;
use super::suggest::{suggest_next_actions, SuggestParams, Suggestions};
use super::trend::{maturity_trend, MaturityTrend, TrendParams};
use crate::error::{check_len, Error, Result};
use crate::service::Service;

/// A Current/Target pair, the scope chosen for it and the gaps between them.
pub(crate) struct PairGaps {
    pub pair: Pair,
    pub scope: ScopeFilter,
    pub gaps: GapAnalysis,
}

impl Service {
    /// Coverage, implementation score and maturity of one profile, per function and category.
    pub async fn assess_maturity(
        self: &Arc<Self>,
        req: MaturityRequest,
    ) -> Result<MaturityAssessment> {
        let loaded = self.load_profile(&req.profile_id).await?;
        let scope = ScopeFilter::for_profiles(req.scope, &[&loaded.profile])?;
        self.maturity_with_quick(&loaded, &scope).await
    }

    /// The maturity of a loaded profile with its function-level answers beside it.
    pub(crate) async fn maturity_with_quick(
        self: &Arc<Self>,
        loaded: &Loaded,
        scope: &ScopeFilter,
    ) -> Result<MaturityAssessment> {
        let id = loaded.profile.id.clone();
        let answers = self.read(move |s| Ok(s.quick_answers(&id)?)).await?;
        Ok(assess_maturity(&loaded.entries, scope)?
            .with_function_level(function_level(&answers, scope)?))
    }

    /// Reads a Current/Target pair, chooses the scope and computes the gap analysis every
    /// gap-based operation starts from.
    pub(crate) async fn gaps(self: &Arc<Self>, b: GapBasis<'_>) -> Result<PairGaps> {
        let pair = self
            .load_pair(b.current_profile_id, b.target_profile_id)
            .await?;
        let scope =
            ScopeFilter::for_profiles(b.scope, &[&pair.current.profile, &pair.target.profile])?;
        let gaps = gap_analysis(
            &pair.current.entries,
            &pair.target.entries,
            &GapParams {
                scope: scope.clone(),
                default_priority: b.default_priority,
            },
        )?;
        Ok(PairGaps { pair, scope, gaps })
    }

    /// The gaps between a Current and a Target profile, per subcategory with totals.
    pub async fn generate_gap_analysis(
        self: &Arc<Self>,
        mut req: GapRequest,
    ) -> Result<GapAnalysis> {
        let PairGaps {
            pair,
            scope,
            mut gaps,
        } = self.gaps(req.basis()).await?;
        let id = pair.current.profile.id.clone();
        let answers = self.read(move |s| Ok(s.quick_answers(&id)?)).await?;
        gaps.current_function_level = function_level(&answers, &scope)?;
        Ok(gaps)
    }

    /// Every open gap in an impact/effort quadrant.
    pub async fn generate_priority_matrix(
        self: &Arc<Self>,
        mut req: MatrixRequest,
    ) -> Result<PriorityMatrix> {
        let gaps = self.gaps(req.basis()).await?.gaps;
        priority_matrix(
            &gaps,
            &MatrixParams {
                effort: req.effort.unwrap_or_default(),
                impact_threshold: req.impact_threshold,
                effort_threshold: req.effort_threshold,
            },
        )
    }

    /// A parametric estimate of the cost of closing the gaps; the organization's declared size
    /// applies unless the request names one.
    pub async fn estimate_implementation_cost(
        self: &Arc<Self>,
        mut req: CostRequest,
    ) -> Result<CostEstimate> {
        check_len("currency", &req.currency, 16)?;
        let PairGaps { pair, gaps, .. } = self.gaps(req.basis()).await?;
        estimate_cost(
            &gaps,
            &CostParams {
                size: req.size.or(pair.org.size),
                hours_per_step: req.hours_per_step,
                hourly_rate: req.hourly_rate,
                currency: req.currency,
                hours_overrides: req.hours_overrides.unwrap_or_default(),
            },
        )
    }

    /// The exposure index 0–100 of the open gaps.
    pub async fn calculate_risk_score(self: &Arc<Self>, mut req: RiskRequest) -> Result<RiskScore> {
        let gaps = self.gaps(req.basis()).await?.gaps;
        risk_score(
            &gaps,
            &RiskParams {
                function_weights: req.function_weights.unwrap_or_default(),
            },
        )
    }

    /// The open gaps with the most progress per effort that fit the capacity.
    pub async fn suggest_next_actions(
        self: &Arc<Self>,
        mut req: SuggestRequest,
    ) -> Result<Suggestions> {
        let gaps = self.gaps(req.basis()).await?.gaps;
        suggest_next_actions(
            &gaps,
            &SuggestParams {
                capacity: req.capacity,
                effort: req.effort.unwrap_or_default(),
                limit: req.limit,
            },
        )
    }

    /// A profile's figures at the end of each period, replayed from its history.
    pub async fn calculate_maturity_trend(
        self: &Arc<Self>,
        req: TrendRequest,
    ) -> Result<MaturityTrend> {
        let until = req
            .until
            .as_deref()
            .map(|d| date_arg("until", d))
            .transpose()?;
        let (profile, history) = self.load_history(&req.profile_id).await?;
        let scope = ScopeFilter::for_profiles(req.scope, &[&profile])?;
        maturity_trend(
            &history,
            &TrendParams {
                period: req.period,
                scope,
                until,
            },
        )
    }

    /// 2 to 5 profiles scored over the same scope.
    pub async fn compare_profiles(
        self: &Arc<Self>,
        req: CompareRequest,
    ) -> Result<ProfileComparison> {
        let n = req.profile_ids.len();
        if !(2..=5).contains(&n) {
            return Err(Error::Invalid(format!(
                "`profile_ids` has {n} ids; compare 2 to 5 profiles"
            )));
        }
        let loaded = self.load_profiles(&req.profile_ids).await?;
        let profiles: Vec<_> = loaded.iter().map(|l| &l.profile).collect();
        let scope = ScopeFilter::for_profiles(req.scope, &profiles)?;
        let inputs: Vec<ProfileInput<'_>> = loaded
            .iter()
            .map(|l| ProfileInput {
                profile: &l.profile,
                entries: &l.entries,
            })
            .collect();
        compare_profiles(&inputs, &scope)
    }
}
