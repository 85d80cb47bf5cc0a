//! Assessment campaigns: a guided assessment of one profile. The store keeps the campaign
//! (state and a settings document the domain interprets, guarded by a version), one row per
//! answered question, and an append-only log of every answer and state change.

use crate::assessment::{Confidence, EntryInput};
use crate::ids::{CampaignId, OrgId, ProfileId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// What a caller gives to create a campaign (state `draft`, version 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewCampaign {
    /// The profile it assesses (its organization is recorded with it).
    pub profile_id: ProfileId,
    /// Display name, 1..=200 characters.
    pub name: String,
    /// Initial state, as the domain names it (1..=32 characters).
    pub state: String,
    /// Settings (a JSON object of at most 1 MiB), kept as given.
    pub body: serde_json::Value,
}

/// A stored campaign.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredCampaign {
    pub id: CampaignId,
    pub org_id: OrgId,
    pub profile_id: ProfileId,
    pub name: String,
    pub state: String,
    /// 1 when created, +1 on each change of state or settings.
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub created_by: String,
    pub updated_by: String,
    pub body: serde_json::Value,
}

/// What an answer row says about its question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum AnswerState {
    /// Answered; `answer` holds the value.
    Answered,
    /// Skipped; `reason` says why.
    Skipped,
    /// Sent back by a reviewer; `reason` says why. It is asked again.
    SentBack,
}

/// One answer to write.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerInput {
    /// `<subcategory>:<dimension>`, 1..=64 characters.
    pub question_id: String,
    pub subcategory_id: String,
    pub state: AnswerState,
    pub answer: Option<serde_json::Value>,
    pub confidence: Option<Confidence>,
    /// Up to 10,000 characters.
    pub notes: Option<String>,
    /// Up to 2,000 characters.
    pub reason: Option<String>,
    /// The assessor (or reviewer) named in the row, 1..=200 characters.
    pub answered_by: String,
}

/// A stored answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignAnswer {
    pub question_id: String,
    pub subcategory_id: String,
    pub state: AnswerState,
    pub answer: Option<serde_json::Value>,
    pub confidence: Option<Confidence>,
    pub notes: Option<String>,
    pub reason: Option<String>,
    pub answered_by: String,
    pub answered_at: Timestamp,
    /// 1 when first written, +1 on each change.
    pub revision: i64,
}

/// One line of a campaign's log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignEvent {
    pub seq: i64,
    pub at: Timestamp,
    /// The principal who made the change.
    pub by: String,
    /// `created`, `answered`, `skipped`, `sent_back` or the new state's name.
    pub kind: String,
    pub question_id: Option<String>,
    pub detail: serde_json::Value,
}

/// A guarded change of a campaign: applied only if its version is still `expected_version`,
/// together (one transaction) with the answers and profile entries it carries.
#[derive(Clone, Debug, PartialEq)]
pub struct CampaignChange {
    pub expected_version: i64,
    pub state: String,
    pub body: serde_json::Value,
    /// Answer rows to write with the change (send-backs).
    pub answers: Vec<AnswerInput>,
    /// Profile entries to record with the change (a sign-off), as `record_entries` would.
    pub entries: Vec<EntryInput>,
    /// The log line's kind and detail.
    pub event: (String, serde_json::Value),
}
