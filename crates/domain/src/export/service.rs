//! The export operation: a profile's entries (JSON, CSV, OSCAL assessment-results) or its gap
//! rows against a Target (JSON, CSV), returned as content, never written to a path.

use std::sync::Arc;

use csf_store::{Organization, Priority};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{entries_csv, gaps_csv, oscal_assessment_results_with_evidence, to_json, OscalParams};
use crate::analysis::inputs::Loaded;
use crate::analysis::requests::GapBasis;
use crate::error::{Error, Result};
use crate::records::entry_records;
use crate::report::service::bounded;
use crate::service::Service;
use csf_store::EvidenceItem;

/// Largest export returned in one call. An OSCAL document of 106 entries with short notes is
/// about 190 KB; long notes and many evidence references per entry need the headroom.
pub const MAX_EXPORT_BYTES: usize = 2_000_000;

// Export format (no doc comment: it would become a description of the output field).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Json,
    Csv,
    Oscal,
}

/// What an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportedData {
    Entries,
    Gaps,
}

/// The media type of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ExportMediaType {
    #[serde(rename = "application/json")]
    Json,
    #[serde(rename = "text/csv")]
    Csv,
}

/// What to export.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExportRequest {
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

/// An exported document.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ExportOutput {
    pub profile_id: String,
    pub format: ExportFormat,
    /// entries or gaps.
    pub data: ExportedData,
    /// application/json, text/csv or application/json (OSCAL).
    pub media_type: ExportMediaType,
    /// The exported document.
    pub content: String,
}

/// The OSCAL document is dated by the last change to the profile's entries, so exporting the
/// same data twice gives the same document.
fn oscal(loaded: &Loaded, org: &Organization, evidence: &[EvidenceItem]) -> Result<String> {
    let generated_at = loaded
        .entries
        .iter()
        .map(|e| e.updated_at)
        .max()
        .unwrap_or(loaded.profile.updated_at);
    oscal_assessment_results_with_evidence(
        &loaded.entries,
        evidence,
        &OscalParams {
            title: format!("NIST CSF 2.0 assessment results: {}", loaded.profile.name),
            profile_id: loaded.profile.id.to_string(),
            profile_name: loaded.profile.name.clone(),
            organization: Some(org.name.clone()),
            generated_at,
            version: None,
        },
    )
}

impl Service {
    /// A profile's entries, or its gap rows against a Target, as one document.
    pub async fn export_data(self: &Arc<Self>, req: ExportRequest) -> Result<ExportOutput> {
        let (data, media_type, content) = match &req.target_profile_id {
            Some(target) => self.export_gaps(&req, target).await?,
            None => self.export_entries(&req).await?,
        };
        Ok(ExportOutput {
            profile_id: req.profile_id,
            format: req.format,
            data,
            media_type,
            content: bounded(
                content,
                MAX_EXPORT_BYTES,
                "export the entries as csv, or gap rows by `scope`",
            )?,
        })
    }

    async fn export_gaps(
        self: &Arc<Self>,
        req: &ExportRequest,
        target: &str,
    ) -> Result<(ExportedData, ExportMediaType, String)> {
        let gaps = self
            .gaps(GapBasis {
                current_profile_id: &req.profile_id,
                target_profile_id: target,
                scope: req.scope.clone(),
                default_priority: req.default_priority,
            })
            .await?
            .gaps;
        match req.format {
            ExportFormat::Json => Ok((ExportedData::Gaps, ExportMediaType::Json, to_json(&gaps)?)),
            ExportFormat::Csv => Ok((ExportedData::Gaps, ExportMediaType::Csv, gaps_csv(&gaps))),
            ExportFormat::Oscal => Err(Error::Invalid(
                "the OSCAL export holds one profile's entries: omit `target_profile_id`, or use \
                 json or csv for gap rows"
                    .into(),
            )),
        }
    }

    async fn export_entries(
        self: &Arc<Self>,
        req: &ExportRequest,
    ) -> Result<(ExportedData, ExportMediaType, String)> {
        if req.scope.is_some() || req.default_priority.is_some() {
            return Err(Error::Invalid(
                "`scope` and `default_priority` apply to a gap export: give a \
                 `target_profile_id` too"
                    .into(),
            ));
        }
        let (media_type, content) = match req.format {
            ExportFormat::Json => {
                let loaded = self.load_profile(&req.profile_id).await?;
                let records = entry_records(&loaded.entries);
                (ExportMediaType::Json, to_json(&records)?)
            }
            ExportFormat::Csv => {
                let loaded = self.load_profile(&req.profile_id).await?;
                (ExportMediaType::Csv, entries_csv(&loaded.entries))
            }
            ExportFormat::Oscal => {
                let (loaded, org) = self.load_with_org(&req.profile_id).await?;
                let evidence = self.profile_evidence(&org.id, &loaded.profile.id).await?;
                (ExportMediaType::Json, oscal(&loaded, &org, &evidence)?)
            }
        };
        Ok((ExportedData::Entries, media_type, content))
    }
}
