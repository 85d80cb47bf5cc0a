//! Assessment analysis for nist-csf-mcp: pure, deterministic functions over the compiled-in
//! CSF 2.0 catalog and the store's records (entries, history, profiles, organizations).
//!
//! Every result carries a [`Method`]: the formula in words and every assumption with the value
//! applied and its documented default. Nothing is invented: missing entries are listed, not
//! scored as zero; effort, cost rates and weights are inputs. `docs/ANALYSIS.md` states the
//! formulas.
//!
//! ```
//! use csf_domain::{gap_analysis, GapParams};
//! use csf_store::{AssessmentEntry, ImplementationStatus};
//! # fn entry(id: &str, s: ImplementationStatus) -> AssessmentEntry {
//! #     serde_json::from_value(serde_json::json!({
//! #         "profile_id": "prof_01J00000000000000000000000", "subcategory_id": id,
//! #         "status": s, "maturity": null, "priority": null, "owner": null,
//! #         "target_date": null, "evidence": [], "notes": null, "assessed_by": null,
//! #         "confidence": null, "version": 1, "updated_at": "2026-01-05T10:00:00Z",
//! #         "updated_by": "tester"})).unwrap()
//! # }
//! let current = [entry("GV.OC-01", ImplementationStatus::Partially)];
//! let target = [entry("GV.OC-01", ImplementationStatus::Fully)];
//! let gaps = gap_analysis(&current, &target, &GapParams::default()).unwrap();
//! // partially (1) → fully (3) = 2 steps × default medium weight 2.
//! assert_eq!(gaps.totals.weighted_gap, 4);
//! ```

pub mod admin;
pub mod analysis;
pub mod assessment;
pub mod audit;
pub mod campaigns;
mod documents;
mod error;
pub mod evidence;
mod export;
pub mod framework;
mod ids;
pub mod orgs;
pub mod paging;
pub mod plans;
mod policy;
mod prompts;
mod records;
mod report;
mod service;
#[cfg(test)]
mod testkit;
pub mod tiers;

pub use analysis::compare::*;
pub use analysis::cost::*;
pub use analysis::effort::{
    EffortBasis, EffortClass, EffortModel, EffortOverride, EffortSource, DEFAULT_UNITS_PER_STEP,
};
pub use analysis::gap::*;
pub use analysis::matrix::*;
pub use analysis::maturity::{
    assess_maturity, maturity_method, ConfidenceCounts, MaturityAssessment, MaturityGroup,
    MaturitySummary, StatusCounts,
};
pub use analysis::method::{Assumption, Method, SCALE};
pub use analysis::risk::*;
pub use analysis::scale::{default_hours_per_step, priority_weight, status_score, MAX_LEVEL};
pub use analysis::scope::{
    common_functions, covers_function, profile_covers, IgnoredEntry, ScopeFilter, MAX_SCOPE_IDS,
};
pub use analysis::suggest::*;
pub use analysis::trend::*;
pub use documents::{document_uri, DOCUMENT_URI_PREFIX, MAX_INLINE_BYTES};
pub use error::{check_len, Error, Result};
pub use export::{
    entries_csv, gaps_csv, oscal_assessment_results, oscal_assessment_results_with_evidence,
    to_json, ExportFormat, ExportMediaType, ExportOutput, ExportRequest, ExportedData, OscalParams,
    MAX_EXPORT_BYTES, OSCAL_VERSION,
};
pub use ids::stable_uuid;
pub use plans::plan::*;
pub use plans::progress::{track_progress, ItemUpdate, MilestoneUpdate, ProgressUpdates};
pub use policy::*;
pub use prompts::*;
pub use records::{entry_records, EntryRecord, EvidenceItem};
pub use report::dashboard::{dashboard_charts, function_name, DashboardCharts};
pub use report::{
    render_report, RenderedReport, ReportData, ReportFormat, ReportKind, ReportMediaType,
    ReportOutput, ReportRequest, ReportSubject, MAX_REPORT_BYTES,
};
pub use service::{Actor, Service};
