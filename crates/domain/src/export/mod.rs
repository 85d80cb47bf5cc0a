//! Exports returned as content (never written to a path): JSON, CSV and OSCAL
//! assessment-results.

mod csv;
mod oscal;
mod oscal_evidence;
pub(crate) mod service;

pub use csv::{entries_csv, gaps_csv};
pub use oscal::{
    oscal_assessment_results, oscal_assessment_results_with_evidence, OscalParams, OSCAL_VERSION,
};
pub use service::{
    ExportFormat, ExportMediaType, ExportOutput, ExportRequest, ExportedData, MAX_EXPORT_BYTES,
};

use crate::error::{Error, Result};
use serde::Serialize;

/// Any analysis output as pretty JSON.
pub fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::invalid("value", e.to_string()))
}
