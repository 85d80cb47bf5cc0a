//! Evidence records as callers give them and as the store returns them.

use crate::ids::{EvidenceId, OrgId, ProfileId};
use crate::patch::Patch;
use crate::time::Timestamp;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Most subcategories one link or unlink call names.
pub const MAX_LINKS_PER_CALL: usize = 200;

/// What kind of evidence an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A policy document.
    Policy,
    /// A procedure or runbook.
    Procedure,
    /// A configuration export or baseline.
    Configuration,
    /// A log extract or log source.
    Log,
    /// A report (audit, scan, test).
    Report,
    /// A screenshot.
    Screenshot,
    /// A signed statement by a responsible person.
    Attestation,
    /// A ticket or change record.
    Ticket,
    /// Anything else.
    Other,
}

/// How sensitive the evidence is (who may see it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    /// May be shared publicly.
    Public,
    /// Inside the organization.
    Internal,
    /// A named group only.
    Confidential,
    /// Named people only.
    Restricted,
}

/// What a caller gives to create an evidence item. At least one of `location` and `sha256`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewEvidence {
    /// The organization that holds it.
    pub org_id: OrgId,
    /// What it is, 1..=200 characters.
    pub title: String,
    /// Its kind.
    pub kind: EvidenceKind,
    /// Where it is: a URL (`https://…`) or a document-system reference (`dms:POL-0042`,
    /// `POL-0042`), up to 2,000 characters. Never a local file path.
    pub location: Option<String>,
    /// SHA-256 of its content: 64 hex digits, optionally prefixed `sha256:`.
    pub sha256: Option<String>,
    /// Who keeps it (person or team), up to 200 characters.
    pub owner: Option<String>,
    /// When it was collected.
    pub collected_on: Option<NaiveDate>,
    /// When it must be reviewed again (or expires); not before `collected_on`.
    pub review_by: Option<NaiveDate>,
    /// Sensitivity.
    pub sensitivity: Sensitivity,
}

/// A change to an evidence item: absent fields keep their value, `null` clears an optional one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EvidencePatch {
    /// New title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// New kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<EvidenceKind>,
    /// New location, or `null` to clear it (the hash must then remain).
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub location: Patch<String>,
    /// New content hash, or `null` to clear it (the location must then remain).
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub sha256: Patch<String>,
    /// New owner, or `null`.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub owner: Patch<String>,
    /// New collection date, or `null`.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub collected_on: Patch<NaiveDate>,
    /// New review-by date, or `null`.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub review_by: Patch<NaiveDate>,
    /// New sensitivity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<Sensitivity>,
}

impl EvidencePatch {
    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self == &EvidencePatch::default()
    }
}

/// One link of an item to an entry (profile + subcategory).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EvidenceLink {
    /// The profile.
    pub profile_id: ProfileId,
    /// The subcategory.
    pub subcategory_id: String,
    /// When the link was made.
    pub linked_at: Timestamp,
    /// Who made it.
    pub linked_by: String,
}

/// A stored evidence item with its links (profile, then subcategory order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EvidenceItem {
    /// Its id (`evd_…`).
    pub id: EvidenceId,
    /// The organization that holds it.
    pub org_id: OrgId,
    /// What it is.
    pub title: String,
    /// Its kind.
    pub kind: EvidenceKind,
    /// Where it is (URL or document reference).
    pub location: Option<String>,
    /// SHA-256 of its content, 64 lower-case hex digits.
    pub sha256: Option<String>,
    /// Who keeps it.
    pub owner: Option<String>,
    /// When it was collected.
    pub collected_on: Option<NaiveDate>,
    /// When it must be reviewed again.
    pub review_by: Option<NaiveDate>,
    /// Sensitivity.
    pub sensitivity: Sensitivity,
    /// When it was registered.
    pub created_at: Timestamp,
    /// Who registered it.
    pub created_by: String,
    /// When it was last changed (links included).
    pub updated_at: Timestamp,
    /// Who last changed it.
    pub updated_by: String,
    /// The entries it supports.
    pub links: Vec<EvidenceLink>,
}
