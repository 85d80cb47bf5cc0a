//! What callers send to the evidence register and what they get back.

use csf_store::{EvidenceItem, EvidenceKind, Patch, Sensitivity};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::lists::{MissingEvidence, StaleEvidence, UnusedEvidence};

/// A new evidence item (metadata only: the server never opens the location).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEvidenceRequest {
    /// The organization that holds it (org_…).
    pub org_id: String,
    /// What it is, 1–200 characters ("Access control policy v3").
    pub title: String,
    /// policy, procedure, configuration, log, report, screenshot, attestation, ticket or other.
    pub kind: EvidenceKind,
    /// Where it is: a URL (https://…) or a document-system reference (dms:POL-0042,
    /// POL-0042). Never a local file path (absolute, relative, ~, file:, C:\, \\server):
    /// those are refused. Give a location, a sha256, or both.
    pub location: Option<String>,
    /// SHA-256 of the content: 64 hex digits, optionally prefixed sha256:.
    pub sha256: Option<String>,
    /// Who keeps it (person or team).
    pub owner: Option<String>,
    /// When it was collected, YYYY-MM-DD.
    pub collected_on: Option<String>,
    /// When it must be reviewed again or expires, YYYY-MM-DD (not before collected_on).
    pub review_by: Option<String>,
    /// public, internal (default), confidential or restricted.
    pub sensitivity: Option<Sensitivity>,
}

/// A change to an item: absent fields keep their value; null clears an optional one.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEvidenceRequest {
    /// The item (evd_…).
    pub evidence_id: String,
    pub title: Option<String>,
    pub kind: Option<EvidenceKind>,
    /// New location (same rules as when created), or null to clear it (a sha256 must remain).
    #[serde(default)]
    pub location: Patch<String>,
    /// New SHA-256, or null to clear it (a location must remain).
    #[serde(default)]
    pub sha256: Patch<String>,
    /// New owner, or null.
    #[serde(default)]
    pub owner: Patch<String>,
    /// New collection date YYYY-MM-DD, or null.
    #[serde(default)]
    pub collected_on: Patch<String>,
    /// New review-by date YYYY-MM-DD, or null.
    #[serde(default)]
    pub review_by: Patch<String>,
    pub sensitivity: Option<Sensitivity>,
}

/// One item.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceIdRequest {
    /// The item (evd_…).
    pub evidence_id: String,
}

/// Links between one item and subcategories of one profile.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkEvidenceRequest {
    /// The item (evd_…).
    pub evidence_id: String,
    /// A profile of the item's organization (prof_…).
    pub profile_id: String,
    /// Subcategory ids (e.g. PR.AA-01), 1–200, within the profile's scope.
    pub subcategory_ids: Vec<String>,
}

/// Which items to list.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListEvidenceRequest {
    /// The organization (org_…).
    pub org_id: String,
    /// Only items linked to this profile (prof_…).
    pub profile_id: Option<String>,
    /// Items per page, 1–200 (default 50).
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The register with its lists.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRegisterRequest {
    /// The organization (org_…).
    pub org_id: String,
    /// Date evidence is judged stale against, YYYY-MM-DD (default: today, UTC).
    pub as_of: Option<String>,
    /// Check only this profile for implemented-without-evidence (default: every Current
    /// profile of the organization that is not archived).
    pub profile_id: Option<String>,
}

/// Items in creation order.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListEvidenceOutput {
    pub items: Vec<EvidenceItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A deleted item as it was; the entries it was linked to are unchanged.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DeletedEvidence {
    pub deleted: EvidenceItem,
    /// Links removed with it.
    pub links_removed: usize,
}

/// The organization's register and what needs attention.
#[derive(Debug, Serialize, JsonSchema)]
pub struct EvidenceRegister {
    pub org_id: String,
    /// The date staleness was judged against.
    pub as_of: chrono::NaiveDate,
    /// Profiles checked for implemented-without-evidence.
    pub profiles_checked: Vec<String>,
    /// Every item with its links, in creation order.
    pub items: Vec<EvidenceItem>,
    /// Items past their review-by date, oldest first.
    pub stale: Vec<StaleEvidence>,
    /// Entries claimed largely or fully implemented with no item linked.
    pub implemented_without_evidence: Vec<MissingEvidence>,
    /// Items linked to no existing entry.
    pub unused: Vec<UnusedEvidence>,
    /// How the lists are computed.
    pub criteria: Vec<String>,
}
