//! What the campaign operations take and return (typed, with JSON Schema for the MCP tools
//! and the console's forms).

use chrono::NaiveDate;
use csf_store::{CampaignAnswer, CampaignEvent, Confidence, OrgSize, Timestamp};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::context::QuestionContext;
use super::flow::{Progress, Tally};
use super::model::{Assessor, CampaignState, Settings};
use super::review::{FieldChange, Flagged};

/// A new campaign (state draft unless `start`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCampaignRequest {
    /// The profile it assesses (prof_…).
    pub profile_id: String,
    /// Name, 1–200 characters.
    pub name: String,
    /// Functions in scope (GV, ID, PR, DE, RS, RC).
    #[serde(default)]
    pub functions: Vec<String>,
    /// Categories in scope (e.g. PR.AA). Scope is the union; both empty: the whole Core.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Organization size, picking the dimensions asked (default: the organization's size;
    /// unknown size: all four).
    pub org_size: Option<OrgSize>,
    /// 1–50 assessors with the function or category ids each answers (empty: all).
    pub assessors: Vec<Assessor>,
    /// Due date, YYYY-MM-DD.
    pub due_date: Option<String>,
    /// Start at once (state in_progress) instead of draft.
    #[serde(default)]
    pub start: bool,
}

/// One campaign.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignRequest {
    /// The campaign (camp_…).
    pub campaign_id: String,
    /// Include the campaign's log (every answer, skip, send-back and state change).
    #[serde(default)]
    pub include_history: bool,
}

// An assessor's share of what remains.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AssessorRemaining {
    pub name: String,
    pub areas: Vec<String>,
    pub remaining: usize,
}

/// A campaign's state, settings and progress.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CampaignView {
    pub campaign_id: String,
    pub org_id: String,
    pub profile_id: String,
    pub name: String,
    pub state: CampaignState,
    /// Pass as `expected_version` to guard a state change.
    pub version: i64,
    pub settings: Settings,
    pub progress: Progress,
    pub assessors: Vec<AssessorRemaining>,
    pub created_at: Timestamp,
    pub created_by: String,
    pub updated_at: Timestamp,
    pub updated_by: String,
    /// What to do next, in words.
    pub next_step: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<CampaignEvent>>,
}

/// Which campaigns to list.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListCampaignsRequest {
    /// Only this profile's campaigns (prof_…).
    pub profile_id: Option<String>,
    /// Items per page, 1–200 (default 50).
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

// A campaign in a listing.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CampaignSummary {
    pub campaign_id: String,
    pub profile_id: String,
    pub name: String,
    pub state: String,
    pub version: i64,
    pub updated_at: Timestamp,
}

/// Campaigns in creation order.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListCampaignsOutput {
    pub campaigns: Vec<CampaignSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The next questions for an assessor.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NextQuestionsRequest {
    pub campaign_id: String,
    /// The assessor's name, as given when the campaign was created.
    pub assessor: String,
    /// Questions to return, 1–20 (default 1).
    pub limit: Option<u32>,
    /// Include each question's context (outcome, examples, references, levels); default true.
    pub include_context: Option<bool>,
}

// One question as an assessor sees it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CampaignQuestion {
    /// Answer with this id.
    pub question_id: String,
    pub function: String,
    pub category: String,
    pub subcategory: String,
    pub dimension: String,
    pub question: String,
    /// What answers are accepted.
    pub answers: String,
    /// The stored answer (a sent-back one carries the reviewer's reason).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<CampaignAnswer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<QuestionContext>,
}

/// Questions for an assessor and where the campaign stands.
#[derive(Debug, Serialize, JsonSchema)]
pub struct NextQuestionsOutput {
    pub campaign_id: String,
    pub state: CampaignState,
    pub assessor: String,
    /// Open questions for this assessor (sent-back ones included).
    pub remaining_for_assessor: usize,
    pub questions: Vec<CampaignQuestion>,
    pub progress: Tally,
    pub next_step: String,
}

/// One answer, or a skip with its reason.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerItem {
    /// A question id of the campaign, e.g. GV.OC-01:implementation.
    pub question_id: String,
    /// The answer (a string; an integer 0–5 for maturity). Give this or `skip_reason`.
    pub answer: Option<Value>,
    /// Skip the question, saying why (1–2000 characters).
    pub skip_reason: Option<String>,
    /// How sure the assessor is.
    pub confidence: Option<Confidence>,
    /// Notes, up to 2000 characters.
    pub notes: Option<String>,
}

/// Answers (or skips) by one assessor. Answering a question again changes its answer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    pub campaign_id: String,
    pub assessor: String,
    /// 1–100 answers.
    pub answers: Vec<AnswerItem>,
}

/// What was recorded and what comes next.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AnswerOutput {
    pub campaign_id: String,
    pub recorded: Vec<CampaignAnswer>,
    pub progress: Tally,
    pub remaining_for_assessor: usize,
    /// The assessor's next question id, if any remain.
    pub next_question_id: Option<String>,
}

/// Go back to an earlier answer of this assessor.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviousQuestionRequest {
    pub campaign_id: String,
    pub assessor: String,
    /// The answer given before this question's (default: the assessor's latest answer).
    pub before: Option<String>,
}

/// Move a campaign to another state.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetStateRequest {
    pub campaign_id: String,
    /// in_progress (start a draft) or in_review (every question answered or skipped).
    /// Send-back and sign-off have their own tools.
    pub to: CampaignState,
    /// The version you read; on mismatch nothing changes (default: current).
    pub expected_version: Option<i64>,
}

/// The reviewer's view.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReviewOutput {
    pub campaign_id: String,
    pub state: CampaignState,
    pub version: i64,
    /// The profile's latest cycle date (assessed date of its entries), if any.
    pub last_cycle: Option<NaiveDate>,
    /// What signing off would change in the profile, field by field.
    pub changes_since_last_cycle: Vec<FieldChange>,
    pub low_confidence: Vec<Flagged>,
    pub without_evidence: Vec<Flagged>,
    pub skipped: Vec<Flagged>,
    /// Subcategories whose answers cannot become entries (no implementation answer and no
    /// entry yet); they are left out at sign-off.
    pub cannot_record: Vec<Flagged>,
    pub progress: Tally,
}

// One item to send back.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SendBackItem {
    pub question_id: String,
    /// Why, for the assessor (1–2000 characters).
    pub reason: String,
}

/// Send answers back to their assessors; the campaign returns to in_progress.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SendBackRequest {
    pub campaign_id: String,
    /// 1–200 items.
    pub items: Vec<SendBackItem>,
    pub expected_version: Option<i64>,
}

/// Sign a reviewed campaign off.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOffRequest {
    pub campaign_id: String,
    /// The cycle's date, recorded as the entries' assessed date, YYYY-MM-DD (default today,
    /// UTC).
    pub cycle_date: Option<String>,
    pub expected_version: Option<i64>,
}

/// The signed-off campaign and what it recorded.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SignOffOutput {
    pub campaign: CampaignView,
    pub cycle_date: NaiveDate,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Subcategories left out (see review_campaign's cannot_record).
    pub not_recorded: Vec<String>,
}
