//! Assessment entries (one per profile and subcategory), their history, and function-level
//! quick-assessment answers.

use crate::error::StoreError;
use crate::ids::ProfileId;
use crate::patch::Patch;
use crate::time::Timestamp;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Implementation status of a subcategory outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImplementationStatus {
    /// Not implemented.
    NotImplemented,
    /// Partially implemented.
    Partially,
    /// Largely implemented.
    Largely,
    /// Fully implemented.
    Fully,
    /// Does not apply to this organization.
    NotApplicable,
}

/// Maturity rating 0..=5, as the assessor judges it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "u8", into = "u8")]
pub struct Maturity(u8);

impl Maturity {
    /// A maturity from 0..=5.
    pub fn new(n: u8) -> Result<Self, StoreError> {
        if n <= 5 {
            Ok(Maturity(n))
        } else {
            Err(StoreError::invalid(
                "maturity",
                format!("{n} is out of range: use 0..=5"),
            ))
        }
    }

    /// The rating, 0..=5.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Maturity {
    type Error = StoreError;
    fn try_from(n: u8) -> Result<Self, StoreError> {
        Maturity::new(n)
    }
}

impl From<Maturity> for u8 {
    fn from(m: Maturity) -> u8 {
        m.0
    }
}

/// Priority, as in NIST's Organizational Profile template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// High priority.
    High,
    /// Medium priority.
    Medium,
    /// Low priority.
    Low,
}

/// How sure the assessor is of the entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Low confidence.
    Low,
    /// Medium confidence.
    Medium,
    /// High confidence.
    High,
}

/// A reference to evidence: metadata only. The store never opens `location`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EvidenceRef {
    /// What the evidence is, 1..=200 characters.
    pub title: String,
    /// Where it is or what it hashes to (URL, document id, `sha256:…`), 1..=2,000 characters.
    pub location: String,
}

/// What a caller gives to record one entry: a change to the stored entry. Fields left out
/// (`Patch::Keep`) keep their stored value, `Patch::Clear` empties a field, `Patch::Set`
/// stores a value; with `replace` the input is the whole entry and left-out fields are emptied.
/// A new entry needs a status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EntryInput {
    /// Subcategory id as validated by the caller (e.g. `GV.OC-01`); 1..=32 of `A-Z a-z 0-9 . - _`.
    pub subcategory_id: String,
    /// Implementation status (required to create the entry; absent keeps the stored one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ImplementationStatus>,
    /// Maturity 0..=5.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub maturity: Patch<Maturity>,
    /// Priority.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub priority: Patch<Priority>,
    /// Owner (person or team), up to 200 characters.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub owner: Patch<String>,
    /// Target date for the outcome.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub target_date: Patch<NaiveDate>,
    /// Evidence references, up to 50 per entry. In a merge they are added to the stored ones
    /// (one already stored is not repeated); with `replace` they are the whole list; cleared:
    /// none.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub evidence: Patch<Vec<EvidenceRef>>,
    /// Notes, up to 10,000 characters.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub notes: Patch<String>,
    /// Who assessed it, up to 200 characters.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub assessed_by: Patch<String>,
    /// Confidence of the assessor.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub confidence: Patch<Confidence>,
    /// The date the assessment describes (when the state was observed), as opposed to when it
    /// was recorded.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    pub assessed_on: Patch<NaiveDate>,
    /// Optimistic check: the version the caller last read (0 = "must not exist yet").
    /// `None` = last writer wins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<i64>,
    /// The input is the whole entry: fields left out are emptied instead of kept.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replace: bool,
}

impl EntryInput {
    /// A change setting the status and keeping every other field.
    pub fn new(subcategory_id: impl Into<String>, status: ImplementationStatus) -> Self {
        EntryInput {
            status: Some(status),
            ..Self::keep(subcategory_id)
        }
    }

    /// A change that keeps every field (set the ones to change).
    pub fn keep(subcategory_id: impl Into<String>) -> Self {
        EntryInput {
            subcategory_id: subcategory_id.into(),
            status: None,
            maturity: Patch::Keep,
            priority: Patch::Keep,
            owner: Patch::Keep,
            target_date: Patch::Keep,
            evidence: Patch::Keep,
            notes: Patch::Keep,
            assessed_by: Patch::Keep,
            confidence: Patch::Keep,
            assessed_on: Patch::Keep,
            expected_version: None,
            replace: false,
        }
    }

    /// This change as a whole-entry replacement.
    pub fn replacing(self) -> Self {
        EntryInput {
            replace: true,
            ..self
        }
    }
}

/// A stored assessment entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AssessmentEntry {
    /// The profile it belongs to.
    pub profile_id: ProfileId,
    /// The subcategory it assesses.
    pub subcategory_id: String,
    /// Implementation status.
    pub status: ImplementationStatus,
    /// Maturity 0..=5.
    pub maturity: Option<Maturity>,
    /// Priority.
    pub priority: Option<Priority>,
    /// Owner.
    pub owner: Option<String>,
    /// Target date.
    pub target_date: Option<NaiveDate>,
    /// Evidence references.
    pub evidence: Vec<EvidenceRef>,
    /// Notes.
    pub notes: Option<String>,
    /// Who assessed it.
    pub assessed_by: Option<String>,
    /// Confidence of the assessor.
    pub confidence: Option<Confidence>,
    /// The date the assessment describes, if given (distinct from `updated_at`, when it was
    /// recorded).
    #[serde(default)]
    pub assessed_on: Option<NaiveDate>,
    /// 1 when created, +1 on every change.
    pub version: i64,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// Who last changed it (the principal of the write).
    pub updated_by: String,
}

impl AssessmentEntry {
    /// True when the assessed content (everything but version and change metadata) is equal.
    pub(crate) fn same_content(&self, other: &AssessmentEntry) -> bool {
        self.status == other.status
            && self.maturity == other.maturity
            && self.priority == other.priority
            && self.owner == other.owner
            && self.target_date == other.target_date
            && self.evidence == other.evidence
            && self.notes == other.notes
            && self.assessed_by == other.assessed_by
            && self.confidence == other.confidence
            && self.assessed_on == other.assessed_on
    }

    /// Names of the content fields that `old` had a value for and this entry has not.
    pub(crate) fn cleared_fields(&self, old: &AssessmentEntry) -> Vec<String> {
        let mut out = Vec::new();
        let mut check = |name: &str, cleared: bool| {
            if cleared {
                out.push(name.to_owned());
            }
        };
        check(
            "maturity",
            old.maturity.is_some() && self.maturity.is_none(),
        );
        check(
            "priority",
            old.priority.is_some() && self.priority.is_none(),
        );
        check("owner", old.owner.is_some() && self.owner.is_none());
        check(
            "target_date",
            old.target_date.is_some() && self.target_date.is_none(),
        );
        check(
            "evidence",
            !old.evidence.is_empty() && self.evidence.is_empty(),
        );
        check("notes", old.notes.is_some() && self.notes.is_none());
        check(
            "assessed_by",
            old.assessed_by.is_some() && self.assessed_by.is_none(),
        );
        check(
            "confidence",
            old.confidence.is_some() && self.confidence.is_none(),
        );
        check(
            "assessed_on",
            old.assessed_on.is_some() && self.assessed_on.is_none(),
        );
        out
    }

    /// Names of the content fields that differ from `old`.
    pub(crate) fn changed_fields(&self, old: &AssessmentEntry) -> Vec<String> {
        let mut out = Vec::new();
        let mut check = |name: &str, differs: bool| {
            if differs {
                out.push(name.to_owned());
            }
        };
        check("status", self.status != old.status);
        check("maturity", self.maturity != old.maturity);
        check("priority", self.priority != old.priority);
        check("owner", self.owner != old.owner);
        check("target_date", self.target_date != old.target_date);
        check("evidence", self.evidence != old.evidence);
        check("notes", self.notes != old.notes);
        check("assessed_by", self.assessed_by != old.assessed_by);
        check("confidence", self.confidence != old.confidence);
        check("assessed_on", self.assessed_on != old.assessed_on);
        out
    }
}

/// Which entries of a profile to list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EntryFilter {
    /// Only subcategory ids starting with this text (e.g. `GV.` or `PR.AA`).
    pub subcategory_prefix: Option<String>,
    /// Only these statuses (empty = all).
    #[serde(default)]
    pub statuses: Vec<ImplementationStatus>,
}

/// What one row of a batch did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WriteOutcome {
    /// The entry did not exist and was created (version 1).
    Created,
    /// The entry changed (version + 1, one history row).
    Updated,
    /// The content was identical: no new version, no history row.
    Unchanged,
}

/// Result of one row of [`crate::Store::record_entries`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EntryWrite {
    /// The subcategory written.
    pub subcategory_id: String,
    /// What happened.
    pub outcome: WriteOutcome,
    /// The entry's version after the write.
    pub version: i64,
    /// For an update: the fields whose value changes, in entry order (empty when the entry is
    /// created or unchanged).
    #[serde(default)]
    pub changed: Vec<String>,
    /// Of `changed`, the fields that had a value and are emptied.
    #[serde(default)]
    pub cleared: Vec<String>,
}

/// Why a history row was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// First recording of the entry.
    Created,
    /// A later change.
    Updated,
    /// Copied from another profile by `clone_profile`.
    Cloned,
}

/// One appended history row: the entry before and after a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HistoryRecord {
    /// Global, increasing sequence number.
    pub seq: i64,
    /// The profile.
    pub profile_id: ProfileId,
    /// The subcategory.
    pub subcategory_id: String,
    /// When the change was committed.
    pub changed_at: Timestamp,
    /// Who made it.
    pub changed_by: String,
    /// Why the row exists.
    pub change: ChangeKind,
    /// Content fields that changed (empty for created/cloned).
    pub changed_fields: Vec<String>,
    /// The entry before (`None` when created or cloned).
    pub old: Option<AssessmentEntry>,
    /// The entry after.
    pub new: AssessmentEntry,
}

/// A function-level quick-assessment answer, as given. It is never expanded into
/// subcategory entries or scores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QuickAnswerInput {
    /// Function id as validated by the caller (e.g. `GV`).
    pub function_id: String,
    /// The answer for the function as a whole.
    pub status: ImplementationStatus,
    /// Maturity 0..=5 for the function as a whole.
    pub maturity: Option<Maturity>,
    /// Notes, up to 10,000 characters.
    pub notes: Option<String>,
}

/// A stored quick-assessment answer (one per profile and function; a new answer replaces it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QuickAnswer {
    /// The profile.
    pub profile_id: ProfileId,
    /// The function.
    pub function_id: String,
    /// The answer.
    pub status: ImplementationStatus,
    /// Maturity 0..=5.
    pub maturity: Option<Maturity>,
    /// Notes.
    pub notes: Option<String>,
    /// When it was answered.
    pub answered_at: Timestamp,
    /// Who answered.
    pub answered_by: String,
}
