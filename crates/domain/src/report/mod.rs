//! `render_report`: executive, technical, audit and progress reports as Markdown, JSON or one
//! self-contained HTML page (inline CSS and SVG, no script, no external asset).

mod blocks;
mod content;
pub(crate) mod dashboard;
mod escape;
mod html;
mod markdown;
mod output;
pub(crate) mod service;
mod svg;

pub use output::ReportOutput;
pub use service::{ReportRequest, MAX_REPORT_BYTES};

/// Markdown-safe text (used by other modules' Markdown output).
pub(crate) fn md_escape(s: &str) -> String {
    escape::md_cell(s)
}

use crate::analysis::compare::ProfileComparison;
use crate::analysis::cost::CostEstimate;
use crate::analysis::gap::GapAnalysis;
use crate::analysis::matrix::PriorityMatrix;
use crate::analysis::maturity::MaturityAssessment;
use crate::analysis::risk::RiskScore;
use crate::analysis::suggest::Suggestions;
use crate::analysis::trend::MaturityTrend;
use crate::error::{Error, Result};
use crate::plans::plan::Plan;
use crate::records::EntryRecord;
use csf_store::OrgSize;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Board-level summary: headline figures, radar, top gaps, risk.
    Executive,
    /// Every figure per function and category, heat map, all gaps, priority matrix.
    Technical,
    /// Every entry with evidence, assessor, confidence and version; unassessed outcomes.
    Audit,
    /// Plan progress per phase and milestone, and the maturity trend.
    Progress,
}

impl ReportKind {
    /// Words for titles.
    pub fn label(self) -> &'static str {
        match self {
            ReportKind::Executive => "Executive summary",
            ReportKind::Technical => "Technical report",
            ReportKind::Audit => "Audit report",
            ReportKind::Progress => "Progress report",
        }
    }
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// GitHub-flavoured Markdown.
    Markdown,
    /// The report's data as JSON.
    Json,
    /// One self-contained HTML page.
    Html,
}

/// The media type of a rendered report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum ReportMediaType {
    #[serde(rename = "text/markdown")]
    Markdown,
    #[serde(rename = "application/json")]
    Json,
    #[serde(rename = "text/html")]
    Html,
}

/// Who the report is about.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReportSubject {
    /// Organization name.
    pub organization: Option<String>,
    /// Sector.
    pub sector: Option<String>,
    /// Declared size.
    pub size: Option<OrgSize>,
    /// Declared governance Tier (1..=4), as declared by the organization.
    pub governance_tier: Option<u8>,
    /// Declared risk management practices Tier (1..=4).
    pub risk_management_tier: Option<u8>,
    /// Current profile name.
    pub current_profile: Option<String>,
    /// Target profile name.
    pub target_profile: Option<String>,
}

/// Everything a report can show; each kind needs some sections (see [`render_report`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReportData {
    /// Title (default: the kind's label).
    pub title: Option<String>,
    /// When the data was read (RFC 3339), shown as given.
    pub generated_at: String,
    /// Who it is about.
    #[serde(default)]
    pub subject: ReportSubject,
    /// Maturity of the current profile.
    pub maturity: Option<MaturityAssessment>,
    /// Maturity of the target profile (radar target polygon).
    pub target_maturity: Option<MaturityAssessment>,
    /// Gap analysis current → target.
    pub gaps: Option<GapAnalysis>,
    /// Risk score of the gaps.
    pub risk: Option<RiskScore>,
    /// Priority matrix of the gaps.
    pub matrix: Option<PriorityMatrix>,
    /// Suggested next actions.
    pub suggestions: Option<Suggestions>,
    /// Cost estimate.
    pub cost: Option<CostEstimate>,
    /// Implementation plan.
    pub plan: Option<Plan>,
    /// Maturity trend.
    pub trend: Option<MaturityTrend>,
    /// Profile comparison.
    pub comparison: Option<ProfileComparison>,
    /// Entries of the current profile (audit report).
    #[serde(default)]
    pub entries: Vec<EntryRecord>,
    /// Evidence-register items linked to the entries shown (audit report), with those links.
    #[serde(default)]
    pub evidence: Vec<csf_store::EvidenceItem>,
}

/// A rendered report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RenderedReport {
    /// Kind.
    pub kind: ReportKind,
    /// Format.
    pub format: ReportFormat,
    /// `text/markdown`, `application/json` or `text/html`.
    pub media_type: ReportMediaType,
    /// The document.
    pub content: String,
}

/// Renders one report. Needs: executive — `maturity`; technical — `maturity` and `gaps`;
/// audit — `maturity` (and `entries`); progress — `plan`. Other sections are shown when given.
pub fn render_report(
    kind: ReportKind,
    format: ReportFormat,
    data: &ReportData,
) -> Result<RenderedReport> {
    let missing = |needs: &str| Error::MissingInput {
        what: format!("{} report", kind.label().to_lowercase()),
        needs: needs.to_owned(),
    };
    match kind {
        ReportKind::Executive | ReportKind::Audit if data.maturity.is_none() => {
            return Err(missing("a maturity assessment of the current profile"))
        }
        ReportKind::Technical if data.maturity.is_none() || data.gaps.is_none() => {
            return Err(missing("a maturity assessment and a gap analysis"))
        }
        ReportKind::Progress if data.plan.is_none() => {
            return Err(missing("an implementation plan"))
        }
        _ => {}
    }
    let (media_type, content) = match format {
        ReportFormat::Json => (
            ReportMediaType::Json,
            serde_json::to_string_pretty(&JsonReport {
                kind,
                title: title(kind, data),
                data,
            })
            .map_err(|e| Error::invalid("data", e.to_string()))?,
        ),
        ReportFormat::Markdown => (ReportMediaType::Markdown, markdown::render(kind, data)),
        ReportFormat::Html => (ReportMediaType::Html, html::render(kind, data)),
    };
    Ok(RenderedReport {
        kind,
        format,
        media_type,
        content,
    })
}

#[derive(Serialize)]
struct JsonReport<'a> {
    kind: ReportKind,
    title: String,
    data: &'a ReportData,
}

pub(crate) fn title(kind: ReportKind, data: &ReportData) -> String {
    data.title
        .clone()
        .unwrap_or_else(|| match &data.subject.organization {
            Some(o) => format!("{} — {}", kind.label(), o),
            None => kind.label().to_owned(),
        })
}

/// Function titles in catalog order, for charts.
pub(crate) fn function_label(id: &str) -> String {
    csf_catalog::get(id)
        .and_then(|e| e.title())
        .map_or_else(|| id.to_owned(), |t| format!("{id} {}", title_case(t)))
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut first = true;
    for c in s.chars() {
        if first {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        first = c == ' ';
    }
    out
}
