//! Documents built from stored assessments: reports (Markdown, JSON, self-contained HTML),
//! exports (JSON, CSV, OSCAL assessment-results) and policy templates. Everything is returned
//! as content; nothing is written to a path the caller chooses.

use chrono::{SecondsFormat, Utc};
use csf_domain::{
    assess_maturity, entries_csv, entry_records, gap_analysis, gaps_csv, maturity_trend,
    oscal_assessment_results, policy_template, priority_matrix, render_report, risk_score,
    suggest_next_actions, to_json, CostParams, GapParams, MatrixParams, OscalParams, Period,
    PolicyParams, PolicyTemplate, RenderedReport, ReportData, ReportFormat, ReportKind,
    ReportSubject, RiskParams, ScopeFilter, SuggestParams, TrendParams,
};
use csf_store::Priority;
use csf_store::{Organization, ProfileId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::analysis_inputs::{all_history, load_pair, load_profile, scope_for, Loaded};
use super::plans::{load_plan, plan_body};
use super::store_call::with_store;
use crate::mcp::error::{check_len, ToolError};
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};

/// Largest report returned in one call; beyond it the caller narrows the scope. The sample
/// reports of a fully assessed profile (106 entries) are 10–45 KB.
pub const MAX_REPORT_BYTES: usize = 200_000;
/// Largest export returned in one call. An OSCAL document of 106 entries with short notes is
/// about 190 KB; long notes and many evidence references per entry need the headroom.
pub const MAX_EXPORT_BYTES: usize = 2_000_000;

fn bounded(content: String, max: usize, advice: &str) -> Result<String, ToolError> {
    if content.len() > max {
        return Err(ToolError::InvalidValue(format!(
            "the document is {} bytes, more than the {max} returned in one call; {advice}",
            content.len()
        )));
    }
    Ok(content)
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn subject(org: &Organization, current: Option<&Loaded>, target: Option<&Loaded>) -> ReportSubject {
    ReportSubject {
        organization: Some(org.name.clone()),
        sector: org.sector.clone(),
        size: org.size.map(|s| s.as_str().to_owned()),
        governance_tier: org.governance_tier.map(|t| t.get()),
        risk_management_tier: org.risk_management_tier.map(|t| t.get()),
        current_profile: current.map(|l| l.profile.name.clone()),
        target_profile: target.map(|l| l.profile.name.clone()),
    }
}

// ---------------------------------------------------------------- generate_report

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportParams {
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

pub struct GenerateReport;
impl CsfTool for GenerateReport {
    const META: ToolMeta = ToolMeta {
        name: "generate_report",
        title: "Generate a report",
        description: "An executive, technical, audit or progress report of a profile (with a \
            Target for gaps, risk and the priority matrix) as Markdown, JSON or one self-contained \
            HTML page with inline SVG charts (function radar, gap heat map, progress bars) that \
            prints on A4. The progress report needs a stored plan (plan_id). Returned as content \
            (at most 200 KB). Every report ends with the methods and assumptions of its figures.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = ReportParams;
    type Output = RenderedReport;
    async fn call(call: Call, p: ReportParams) -> Result<RenderedReport, ToolError> {
        if let Some(t) = &p.title {
            check_len("title", t, 200)?;
        }
        if let Some(c) = &p.currency {
            check_len("currency", c, 16)?;
        }
        let mut data = ReportData {
            title: p.title.clone(),
            generated_at: now(),
            ..ReportData::default()
        };
        let plan = match &p.plan_id {
            Some(id) => Some(load_plan(&call, id).await?),
            None => None,
        };
        let profile_id = match (&p.profile_id, &plan) {
            (Some(id), _) => id.clone(),
            (None, Some(stored)) => stored.current_profile_id.to_string(),
            (None, None) => {
                return Err(ToolError::InvalidValue(
                    "give `profile_id` (the assessed profile), or `plan_id` for a plan's \
                     progress"
                        .into(),
                ))
            }
        };
        if let Some(stored) = &plan {
            data.plan = Some(plan_body(stored)?);
        }
        let (current, scope) = match &p.target_profile_id {
            Some(target) => {
                let pair = load_pair(&call, &profile_id, target).await?;
                let scope = scope_for(
                    p.scope.clone(),
                    &[&pair.current.profile, &pair.target.profile],
                )?;
                data.subject = subject(&pair.org, Some(&pair.current), Some(&pair.target));
                data.target_maturity = Some(assess_maturity(&pair.target.entries, &scope)?);
                let gaps = gap_analysis(
                    &pair.current.entries,
                    &pair.target.entries,
                    &GapParams {
                        scope: scope.clone(),
                        default_priority: p.default_priority,
                    },
                )?;
                data.risk = Some(risk_score(&gaps, &RiskParams::default())?);
                data.matrix = Some(priority_matrix(&gaps, &MatrixParams::default())?);
                if let Some(capacity) = p.capacity {
                    data.suggestions = Some(suggest_next_actions(
                        &gaps,
                        &SuggestParams {
                            capacity,
                            effort: Default::default(),
                            limit: None,
                        },
                    )?);
                }
                match (p.hourly_rate, &p.currency) {
                    (Some(rate), Some(currency)) => {
                        data.cost = Some(csf_domain::estimate_cost(
                            &gaps,
                            &CostParams {
                                size: pair.org.size,
                                hours_per_step: None,
                                hourly_rate: rate,
                                currency: currency.clone(),
                                hours_overrides: Vec::new(),
                            },
                        )?);
                    }
                    (None, None) => {}
                    _ => {
                        return Err(ToolError::InvalidValue(
                            "give both `hourly_rate` and `currency` for a cost estimate, or \
                             neither"
                                .into(),
                        ))
                    }
                }
                data.gaps = Some(gaps);
                (pair.current, scope)
            }
            None => {
                if p.capacity.is_some() || p.hourly_rate.is_some() {
                    return Err(ToolError::InvalidValue(
                        "`capacity` and `hourly_rate` apply to gaps: give a `target_profile_id` \
                         too"
                        .into(),
                    ));
                }
                let loaded = load_profile(&call, &profile_id).await?;
                let scope = scope_for(p.scope.clone(), &[&loaded.profile])?;
                let org_id = loaded.profile.org_id.clone();
                let org = with_store(&call, move |s, _| s.get_organization(&org_id)).await?;
                data.subject = subject(&org, Some(&loaded), None);
                (loaded, scope)
            }
        };
        data.maturity = Some(assess_maturity(&current.entries, &scope)?);
        match p.kind {
            ReportKind::Audit => {
                let subs = scope.subcategories()?;
                let in_scope: Vec<_> = current
                    .entries
                    .iter()
                    .filter(|e| subs.iter().any(|s| s.id == e.subcategory_id))
                    .cloned()
                    .collect();
                data.entries = entry_records(&in_scope);
            }
            ReportKind::Progress => {
                data.trend = Some(trend_of(&call, &current.profile.id, &scope, p.period).await?)
            }
            ReportKind::Executive | ReportKind::Technical => {}
        }
        let mut report = render_report(p.kind, p.format, &data)?;
        report.content = bounded(
            report.content,
            MAX_REPORT_BYTES,
            "narrow `scope` (e.g. one function such as [\"PR\"]) or choose the markdown format",
        )?;
        Ok(report)
    }
}

async fn trend_of(
    call: &Call,
    id: &ProfileId,
    scope: &ScopeFilter,
    period: Option<Period>,
) -> Result<csf_domain::MaturityTrend, ToolError> {
    let id = id.clone();
    let history = with_store(call, move |s, _| all_history(s, &id)).await?;
    Ok(maturity_trend(
        &history,
        &TrendParams {
            period,
            scope: scope.clone(),
            until: None,
        },
    )?)
}

// ---------------------------------------------------------------- export_data

#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Json,
    Csv,
    Oscal,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    /// The profile (prof_…).
    pub profile_id: String,
    /// json, csv or oscal (an OSCAL 1.1.3 assessment-results document, entries only).
    pub format: ExportFormat,
    /// Export the gap rows against this Target profile instead of the entries (json or csv).
    pub target_profile_id: Option<String>,
    /// For a gap export: function, category or subcategory ids (default: the functions both
    /// profiles cover).
    pub scope: Option<Vec<String>>,
    /// For a gap export: priority assumed where a target entry has none (default medium).
    pub default_priority: Option<Priority>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ExportOutput {
    pub profile_id: String,
    pub format: ExportFormat,
    /// entries or gaps.
    pub data: String,
    /// application/json, text/csv or application/json (OSCAL).
    pub media_type: String,
    /// The exported document.
    pub content: String,
}

pub struct ExportData;
impl CsfTool for ExportData {
    const META: ToolMeta = ToolMeta {
        name: "export_data",
        title: "Export assessment data",
        description: "A profile's entries as JSON, CSV (RFC 4180, formula-safe cells) or an OSCAL \
            1.1.3 assessment-results document (one observation per entry, one finding per \
            applicable entry: fully = satisfied, else not-satisfied; reproducible UUIDs); or the \
            gap rows against a Target as JSON or CSV. Returned as content, never written to a \
            path.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = ExportParams;
    type Output = ExportOutput;
    async fn call(call: Call, p: ExportParams) -> Result<ExportOutput, ToolError> {
        let (data, media_type, content) = match &p.target_profile_id {
            Some(target) => {
                let pair = load_pair(&call, &p.profile_id, target).await?;
                let scope = scope_for(p.scope, &[&pair.current.profile, &pair.target.profile])?;
                let gaps = gap_analysis(
                    &pair.current.entries,
                    &pair.target.entries,
                    &GapParams {
                        scope,
                        default_priority: p.default_priority,
                    },
                )?;
                match p.format {
                    ExportFormat::Json => ("gaps", "application/json", to_json(&gaps)?),
                    ExportFormat::Csv => ("gaps", "text/csv", gaps_csv(&gaps)),
                    ExportFormat::Oscal => {
                        return Err(ToolError::InvalidValue(
                            "the OSCAL export holds one profile's entries: omit \
                             `target_profile_id`, or use json or csv for gap rows"
                                .into(),
                        ))
                    }
                }
            }
            None => {
                if p.scope.is_some() || p.default_priority.is_some() {
                    return Err(ToolError::InvalidValue(
                        "`scope` and `default_priority` apply to a gap export: give a \
                         `target_profile_id` too"
                            .into(),
                    ));
                }
                let loaded = load_profile(&call, &p.profile_id).await?;
                match p.format {
                    ExportFormat::Json => (
                        "entries",
                        "application/json",
                        to_json(&entry_records(&loaded.entries))?,
                    ),
                    ExportFormat::Csv => ("entries", "text/csv", entries_csv(&loaded.entries)),
                    ExportFormat::Oscal => {
                        let org_id = loaded.profile.org_id.clone();
                        let org =
                            with_store(&call, move |s, _| s.get_organization(&org_id)).await?;
                        ("entries", "application/json", oscal(&loaded, &org)?)
                    }
                }
            }
        };
        Ok(ExportOutput {
            profile_id: p.profile_id,
            format: p.format,
            data: data.into(),
            media_type: media_type.into(),
            content: bounded(
                content,
                MAX_EXPORT_BYTES,
                "export the entries as csv, or gap rows by `scope`",
            )?,
        })
    }
}

/// The OSCAL document is dated by the last change to the profile's entries, so exporting the
/// same data twice gives the same document.
fn oscal(loaded: &Loaded, org: &Organization) -> Result<String, ToolError> {
    let generated_at = loaded
        .entries
        .iter()
        .map(|e| e.updated_at)
        .max()
        .unwrap_or(loaded.profile.updated_at);
    Ok(oscal_assessment_results(
        &loaded.entries,
        &OscalParams {
            title: format!("NIST CSF 2.0 assessment results: {}", loaded.profile.name),
            profile_id: loaded.profile.id.to_string(),
            profile_name: loaded.profile.name.clone(),
            organization: Some(org.name.clone()),
            generated_at,
            version: None,
        },
    )?)
}

// ---------------------------------------------------------------- generate_policy_template

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyToolParams {
    /// 1–30 active CSF 2.0 subcategory ids (e.g. ["PR.AA-01", "PR.AA-05"]).
    pub subcategory_ids: Vec<String>,
    /// Organization name to put in the outline (default "[Organization]").
    pub organization: Option<String>,
}

pub struct GeneratePolicyTemplate;
impl CsfTool for GeneratePolicyTemplate {
    const META: ToolMeta = ToolMeta {
        name: "generate_policy_template",
        title: "Policy template for subcategories",
        description: "A policy outline for 1–30 subcategories: each section carries the CSF \
            outcome and its implementation examples (informative) and headings to complete \
            (statement, scope, roles, procedures, evidence, measures, exceptions). Clearly marked \
            as a template, not an adopted policy; also returned as Markdown.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = PolicyToolParams;
    type Output = PolicyTemplate;
    async fn call(_call: Call, p: PolicyToolParams) -> Result<PolicyTemplate, ToolError> {
        if let Some(o) = &p.organization {
            check_len("organization", o, 200)?;
        }
        Ok(policy_template(&PolicyParams {
            subcategory_ids: p.subcategory_ids,
            organization: p.organization,
        })?)
    }
}
