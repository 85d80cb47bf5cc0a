//! The report operation: reads the profiles (and plan, and history for a progress report),
//! computes every figure the report kind shows, renders it and bounds its size. The report is
//! returned as content; nothing is written to a path the caller chooses.

use std::sync::Arc;

use chrono::{SecondsFormat, Utc};
use csf_store::{OrgId, Organization, Priority, Profile, ProfileId};
use schemars::JsonSchema;
use serde::Deserialize;

use super::output::{summary, ReportOutput};
use super::{
    render_report, title, RenderedReport, ReportData, ReportFormat, ReportKind, ReportSubject,
};
use crate::analysis::cost::{estimate_cost, CostParams};
use crate::analysis::gap::GapAnalysis;
use crate::analysis::inputs::Loaded;
use crate::analysis::matrix::{priority_matrix, MatrixParams};
use crate::analysis::maturity::assess_maturity;
use crate::analysis::requests::GapBasis;
use crate::analysis::risk::{risk_score, RiskParams};
use crate::analysis::scope::ScopeFilter;
use crate::analysis::service::PairGaps;
use crate::analysis::suggest::{suggest_next_actions, SuggestParams};
use crate::analysis::trend::{maturity_trend, Period, TrendParams};
use crate::documents::document_uri;
use crate::error::{check_len, Error, Result};
use crate::plans::plan_body;
use crate::records::entry_records;
use crate::service::{Actor, Service};
use csf_store::NewDocument;

/// Largest report embedded in a tool result; a larger one is kept all the same and read as
/// its resource. The sample reports of a fully assessed profile (106 entries) are 10–45 KB.
pub const MAX_REPORT_BYTES: usize = crate::documents::MAX_INLINE_BYTES;

/// A document's content when it fits in one call, else an error with `advice`.
pub(crate) fn bounded(content: String, max: usize, advice: &str) -> Result<String> {
    if content.len() > max {
        return Err(Error::Invalid(format!(
            "the document is {} bytes, more than the {max} returned in one call; {advice}",
            content.len()
        )));
    }
    Ok(content)
}

/// A report of a profile.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// executive (board summary), technical (every figure), audit (every entry with
    /// evidence) or progress (plan progress and trend).
    pub kind: ReportKind,
    /// markdown, json (the data) or html (one self-contained page with inline SVG charts).
    pub format: ReportFormat,
    /// The assessed (Current) profile (prof_…); default: the plan's Current profile.
    pub profile_id: Option<String>,
    /// A Target profile of the same organization: adds the gap analysis, gap heat map, risk
    /// index and priority matrix. Required for the technical report.
    pub target_profile_id: Option<String>,
    /// A stored implementation plan (plan_…): required for the progress report, shown by the
    /// others when given.
    pub plan_id: Option<String>,
    /// Function, category or subcategory ids to cover; default: the functions the profiles
    /// cover.
    pub scope: Option<Vec<String>>,
    /// Priority assumed where a target entry has none (default medium).
    pub default_priority: Option<Priority>,
    /// Work units available: adds the suggested next actions (needs a target).
    pub capacity: Option<f64>,
    /// Hourly rate: adds the cost estimate (needs a target and `currency`).
    pub hourly_rate: Option<f64>,
    /// Currency label for the cost estimate, shown as given.
    pub currency: Option<String>,
    /// Trend period for the progress report: month or quarter (default quarter).
    pub period: Option<Period>,
    /// Report title (default: the kind and the organization's name).
    pub title: Option<String>,
}

/// Each kind's own arguments, named before anything is read.
fn required_arguments(req: &ReportRequest) -> Result<()> {
    let missing = |arg: &str, what: &str| {
        Err(Error::Invalid(format!(
            "the {} report needs `{arg}` ({what})",
            req.kind.label().to_lowercase().trim_end_matches(" report")
        )))
    };
    match req.kind {
        ReportKind::Technical if req.target_profile_id.is_none() => missing(
            "target_profile_id",
            "a Target profile of the same organization, for the gap analysis",
        ),
        ReportKind::Progress if req.plan_id.is_none() => missing(
            "plan_id",
            "a stored implementation plan, plan_…, whose progress it reports",
        ),
        _ => Ok(()),
    }
}

fn subject(org: &Organization, current: &Profile, target: Option<&Profile>) -> ReportSubject {
    ReportSubject {
        organization: Some(org.name.clone()),
        sector: org.sector.clone(),
        size: org.size,
        governance_tier: org.governance_tier.map(|t| t.get()),
        risk_management_tier: org.risk_management_tier.map(|t| t.get()),
        current_profile: Some(current.name.clone()),
        target_profile: target.map(|p| p.name.clone()),
    }
}

/// The figures that need a Target: target maturity, gaps, risk, matrix, and — when asked —
/// next actions and the cost estimate.
fn gap_sections(
    req: &ReportRequest,
    org: &Organization,
    target: &Loaded,
    scope: &ScopeFilter,
    gaps: GapAnalysis,
    data: &mut ReportData,
) -> Result<()> {
    data.target_maturity = Some(assess_maturity(&target.entries, scope)?);
    data.risk = Some(risk_score(&gaps, &RiskParams::default())?);
    data.matrix = Some(priority_matrix(&gaps, &MatrixParams::default())?);
    if let Some(capacity) = req.capacity {
        data.suggestions = Some(suggest_next_actions(
            &gaps,
            &SuggestParams {
                capacity,
                effort: Default::default(),
                limit: None,
            },
        )?);
    }
    match (req.hourly_rate, &req.currency) {
        (Some(rate), Some(currency)) => {
            data.cost = Some(estimate_cost(
                &gaps,
                &CostParams {
                    size: org.size,
                    hours_per_step: None,
                    hourly_rate: rate,
                    currency: currency.clone(),
                    hours_overrides: Vec::new(),
                },
            )?);
        }
        (None, None) => {}
        _ => {
            return Err(Error::Invalid(
                "give both `hourly_rate` and `currency` for a cost estimate, or neither".into(),
            ))
        }
    }
    data.gaps = Some(gaps);
    Ok(())
}

/// The register items linked to entries shown in the report, with only those links.
fn report_evidence(
    items: Vec<csf_store::EvidenceItem>,
    profile: &ProfileId,
    shown: &[crate::records::EntryRecord],
) -> Vec<csf_store::EvidenceItem> {
    items
        .into_iter()
        .filter_map(|mut i| {
            i.links.retain(|l| {
                &l.profile_id == profile
                    && shown.iter().any(|e| e.subcategory_id == l.subcategory_id)
            });
            (!i.links.is_empty()).then_some(i)
        })
        .collect()
}

/// A rendered report with what keeping it needs.
struct BuiltReport {
    report: RenderedReport,
    title: String,
    summary: String,
    org_id: OrgId,
    profile_id: ProfileId,
}

impl Service {
    /// An executive, technical, audit or progress report as Markdown, JSON or HTML, kept as a
    /// document (readable later as its resource) and returned with a short summary.
    pub async fn generate_report(
        self: &Arc<Self>,
        actor: &Actor,
        req: ReportRequest,
    ) -> Result<ReportOutput> {
        let built = self.build_report(&req).await?;
        let kept = self
            .keep_document(
                actor,
                NewDocument {
                    org_id: Some(built.org_id),
                    profile_id: Some(built.profile_id),
                    kind: format!("{} report", format!("{:?}", req.kind).to_lowercase()),
                    media_type: built.report.media_type.as_str().to_owned(),
                    title: built.title.clone(),
                    content: built.report.content,
                },
            )
            .await?;
        Ok(ReportOutput {
            uri: document_uri(&kept.id),
            document_id: kept.id.to_string(),
            kind: req.kind,
            format: req.format,
            media_type: built.report.media_type,
            summary: built.summary,
            title: built.title,
            bytes: kept.content.len(),
            embedded: kept.content.len() <= MAX_REPORT_BYTES,
            content: kept.content,
        })
    }

    /// The same report, rendered but not kept: for readers who only view or download it (the
    /// web console), so viewing writes nothing and needs no write permission.
    pub async fn render_report(self: &Arc<Self>, req: ReportRequest) -> Result<RenderedReport> {
        Ok(self.build_report(&req).await?.report)
    }

    async fn build_report(self: &Arc<Self>, req: &ReportRequest) -> Result<BuiltReport> {
        if let Some(t) = &req.title {
            check_len("title", t, 200)?;
        }
        if let Some(c) = &req.currency {
            check_len("currency", c, 16)?;
        }
        required_arguments(req)?;
        let mut data = ReportData {
            title: req.title.clone(),
            generated_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
            ..ReportData::default()
        };
        let plan = match &req.plan_id {
            Some(id) => Some(self.load_plan(id).await?),
            None => None,
        };
        let profile_id =
            match (&req.profile_id, &plan) {
                (Some(id), _) => id.clone(),
                (None, Some(stored)) => stored.current_profile_id.to_string(),
                (None, None) => return Err(Error::Invalid(
                    "give `profile_id` (the assessed profile), or `plan_id` for a plan's progress"
                        .into(),
                )),
            };
        if let Some(stored) = &plan {
            data.plan = Some(plan_body(stored)?);
        }
        let (current, scope) = self.report_figures(req, &profile_id, &mut data).await?;
        data.maturity = Some(self.maturity_with_quick(&current, &scope).await?);
        match req.kind {
            ReportKind::Audit => {
                let subs = scope.subcategories()?;
                let in_scope: Vec<_> = current
                    .entries
                    .iter()
                    .filter(|e| subs.iter().any(|s| s.id == e.subcategory_id))
                    .cloned()
                    .collect();
                data.entries = entry_records(&in_scope);
                data.evidence = report_evidence(
                    self.profile_evidence(&current.profile.org_id, &current.profile.id)
                        .await?,
                    &current.profile.id,
                    &data.entries,
                );
            }
            ReportKind::Progress => {
                let (_, history) = self.load_history(current.profile.id.as_str()).await?;
                let trend = TrendParams {
                    period: req.period,
                    scope: scope.clone(),
                    until: None,
                };
                data.trend = Some(maturity_trend(&history, &trend)?);
            }
            ReportKind::Executive | ReportKind::Technical => {}
        }
        let report = render_report(req.kind, req.format, &data)?;
        let title = title(req.kind, &data);
        Ok(BuiltReport {
            summary: summary(&title, &data),
            title,
            report,
            org_id: current.profile.org_id.clone(),
            profile_id: current.profile.id.clone(),
        })
    }

    /// Reads the profile (and the Target when given), fills the subject and the Target's
    /// figures, and returns the assessed profile with the scope.
    async fn report_figures(
        self: &Arc<Self>,
        req: &ReportRequest,
        profile_id: &str,
        data: &mut ReportData,
    ) -> Result<(Loaded, ScopeFilter)> {
        let Some(target) = &req.target_profile_id else {
            if req.capacity.is_some() || req.hourly_rate.is_some() {
                return Err(Error::Invalid(
                    "`capacity` and `hourly_rate` apply to gaps: give a `target_profile_id` too"
                        .into(),
                ));
            }
            let (loaded, org) = self.load_with_org(profile_id).await?;
            let scope = ScopeFilter::for_profiles(req.scope.clone(), &[&loaded.profile])?;
            data.subject = subject(&org, &loaded.profile, None);
            return Ok((loaded, scope));
        };
        let PairGaps { pair, scope, gaps } = self
            .gaps(GapBasis {
                current_profile_id: profile_id,
                target_profile_id: target,
                scope: req.scope.clone(),
                default_priority: req.default_priority,
            })
            .await?;
        data.subject = subject(&pair.org, &pair.current.profile, Some(&pair.target.profile));
        gap_sections(req, &pair.org, &pair.target, &scope, gaps, data)?;
        Ok((pair.current, scope))
    }
}
