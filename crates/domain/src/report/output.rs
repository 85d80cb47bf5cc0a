//! What `generate_report` returns: where the kept document lives, what it is, and a short
//! summary. The document itself travels beside it (an embedded resource), never escaped
//! inside the JSON.

use schemars::JsonSchema;
use serde::Serialize;

use super::{ReportData, ReportFormat, ReportKind, ReportMediaType};

/// A generated report, kept as a document.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ReportOutput {
    /// The kept document (doc_…).
    pub document_id: String,
    /// Read it (again) as this resource.
    pub uri: String,
    /// Kind.
    pub kind: ReportKind,
    /// Format.
    pub format: ReportFormat,
    /// MIME type of the document.
    pub media_type: ReportMediaType,
    /// Title.
    pub title: String,
    /// Size of the document in bytes (UTF-8).
    pub bytes: usize,
    /// True when the document is embedded in this result; false when it is too large
    /// (over 200,000 bytes) and only linked: read `uri`.
    pub embedded: bool,
    /// A few lines on what it says.
    pub summary: String,
    /// The document (sent as an embedded resource, not in the structured result).
    #[serde(skip)]
    #[schemars(skip)]
    pub content: String,
}

impl ReportMediaType {
    /// The MIME type as text.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportMediaType::Markdown => "text/markdown",
            ReportMediaType::Json => "application/json",
            ReportMediaType::Html => "text/html",
        }
    }
}

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".into(), |v| format!("{:.0}%", v * 100.0))
}

/// One or two sentences: coverage and score of the assessed profile, and the open gaps.
pub(crate) fn summary(title: &str, data: &ReportData) -> String {
    let mut out = title.to_owned();
    if let Some(m) = &data.maturity {
        out.push_str(&format!(
            ": {} of {} subcategories assessed ({} coverage), implementation score {}",
            m.overall.assessed,
            m.overall.in_scope,
            percent(m.overall.coverage),
            percent(m.overall.implementation_score)
        ));
    }
    if let Some(g) = &data.gaps {
        out.push_str(&format!("; {} open gaps", g.gaps().count()));
    }
    if let Some(p) = &data.plan {
        out.push_str(&format!("; plan of {} items", p.items.len()));
    }
    out.push('.');
    out
}
