//! A schema-carrying view of a stored assessment entry, used by reports and exports.

use crate::assessment::read::official_position;
use chrono::NaiveDate;
use csf_store::AssessmentEntry;
use csf_store::{Confidence, ImplementationStatus, Priority};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Evidence reference (metadata only; never opened).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EvidenceItem {
    /// Title.
    pub title: String,
    /// Location or hash as recorded.
    pub location: String,
}

/// One assessment entry as reports and exports show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EntryRecord {
    /// Subcategory id.
    pub subcategory_id: String,
    /// ImplementationStatus.
    pub status: ImplementationStatus,
    /// Maturity 0..=5.
    pub maturity: Option<u8>,
    /// Priority.
    pub priority: Option<Priority>,
    /// Owner.
    pub owner: Option<String>,
    /// Target date.
    pub target_date: Option<NaiveDate>,
    /// Evidence references.
    pub evidence: Vec<EvidenceItem>,
    /// Notes.
    pub notes: Option<String>,
    /// Assessor.
    pub assessed_by: Option<String>,
    /// Confidence.
    pub confidence: Option<Confidence>,
    /// The date the assessment describes (distinct from `updated_at`, when it was recorded).
    pub assessed_on: Option<NaiveDate>,
    /// Entry version.
    pub version: i64,
    /// Last change, RFC 3339 UTC.
    pub updated_at: String,
    /// Who made the last change.
    pub updated_by: String,
}

impl From<&AssessmentEntry> for EntryRecord {
    fn from(e: &AssessmentEntry) -> Self {
        EntryRecord {
            subcategory_id: e.subcategory_id.clone(),
            status: e.status,
            maturity: e.maturity.map(|m| m.get()),
            priority: e.priority,
            owner: e.owner.clone(),
            target_date: e.target_date,
            evidence: e
                .evidence
                .iter()
                .map(|v| EvidenceItem {
                    title: v.title.clone(),
                    location: v.location.clone(),
                })
                .collect(),
            notes: e.notes.clone(),
            assessed_by: e.assessed_by.clone(),
            confidence: e.confidence,
            assessed_on: e.assessed_on,
            version: e.version,
            updated_at: e
                .updated_at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            updated_by: e.updated_by.clone(),
        }
    }
}

/// Entries in official CSF order (unknown ids last, by id).
pub fn entry_records(entries: &[AssessmentEntry]) -> Vec<EntryRecord> {
    let mut v: Vec<(usize, EntryRecord)> = entries
        .iter()
        .map(|e| (official_position(&e.subcategory_id), EntryRecord::from(e)))
        .collect();
    v.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.subcategory_id.cmp(&b.1.subcategory_id))
    });
    v.into_iter().map(|(_, r)| r).collect()
}
