//! The question bank as callers page through it, and the validation of answers into the
//! entries they map to (nothing stored).

use csf_store::{EntryInput, OrgSize};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::questions::{self, Dimension, Response};
use crate::error::{Error, Result};
use crate::paging;

/// Which questions to list.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionsRequest {
    /// Only this function (GV, ID, PR, DE, RS, RC).
    pub function: Option<String>,
    /// Only this category (e.g. PR.AA).
    pub category: Option<String>,
    /// Organization size; picks the dimensions asked: small (implementation, evidence),
    /// medium (+ ownership), large / enterprise (all four). Default: all four.
    pub org_size: Option<OrgSize>,
    /// Ask exactly these dimensions instead.
    pub dimensions: Option<Vec<Dimension>>,
    /// Questions per page, 1–200 (default 50).
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

// One question.
#[derive(Debug, Serialize, JsonSchema)]
pub struct QuestionView {
    /// Answer with this id in validate_assessment_responses.
    pub id: String,
    pub subcategory: String,
    pub dimension: Dimension,
    pub question: String,
    /// What answers are accepted.
    pub answers: String,
}

/// A page of questions.
#[derive(Debug, Serialize, JsonSchema)]
pub struct QuestionsOutput {
    pub total: usize,
    pub questions: Vec<QuestionView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// How answers become assessment entries.
    pub mapping: String,
}

/// How answers become entries, as shown to callers.
pub const MAPPING: &str = "implementation -> status; maturity -> maturity; evidence none/\
    documented/tested -> confidence low/medium/high; ownership -> owner. A subcategory becomes \
    an entry only with an implementation answer.";

/// A page of questions for the request's filters.
pub fn list_questions(req: QuestionsRequest) -> Result<QuestionsOutput> {
    let function = req
        .function
        .as_deref()
        .map(|f| Ok::<_, Error>(csf_catalog::ids::function(f)?.id))
        .transpose()?;
    let category = req
        .category
        .as_deref()
        .map(|c| {
            crate::error::check_len("category", c, 16)?;
            Ok::<_, Error>(csf_catalog::ids::category(c)?.id)
        })
        .transpose()?;
    let dims: Vec<Dimension> = match req.dimensions {
        // Each dimension once, in the order given: repeats would only multiply the work
        // (100,000 repeats made 10.6 million questions, 26 s of CPU in a debug build).
        Some(d) if !d.is_empty() => d.into_iter().fold(Vec::new(), |mut seen, x| {
            if !seen.contains(&x) {
                seen.push(x);
            }
            seen
        }),
        _ => Dimension::for_size(req.org_size).to_vec(),
    };
    let all = questions::questions(function, category, &dims);
    let limit = paging::limit(req.limit, 50, 200)?;
    let scope = format!("{function:?}{category:?}{dims:?}");
    let offset = paging::decode(req.cursor.as_deref(), &scope)?;
    let end = offset.saturating_add(limit).min(all.len());
    Ok(QuestionsOutput {
        total: all.len(),
        questions: all
            .get(offset.min(all.len())..end)
            .unwrap_or_default()
            .iter()
            .map(|q| QuestionView {
                id: q.id.clone(),
                subcategory: q.subcategory.into(),
                dimension: q.dimension,
                question: q.text.clone(),
                answers: q.answers.into(),
            })
            .collect(),
        next_cursor: (end < all.len()).then(|| paging::encode(end, &scope)),
        mapping: MAPPING.into(),
    })
}

// One answer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseParam {
    /// A question id from get_assessment_questions, e.g. GV.OC-01:implementation.
    pub question_id: String,
    /// The answer: a string for implementation/evidence/ownership, an integer for maturity.
    pub answer: serde_json::Value,
}

/// Answers to check.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateRequest {
    /// 1–1000 answers.
    pub responses: Vec<ResponseParam>,
}

// A refused answer.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ResponseErrorView {
    /// Index in `responses` (equal to its length for a missing implementation answer).
    pub index: usize,
    pub question_id: String,
    pub message: String,
}

/// What the answers map to.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ValidateOutput {
    pub valid: bool,
    /// The entries these answers produce; pass them to record_assessment when valid.
    pub entries: Vec<EntryInput>,
    pub errors: Vec<ResponseErrorView>,
}

/// Checks answers and shows the entries they map to.
pub fn validate_responses(req: ValidateRequest) -> Result<ValidateOutput> {
    if req.responses.is_empty() || req.responses.len() > 1000 {
        return Err(Error::Invalid(format!(
            "`responses` has {} items; give 1–1000",
            req.responses.len()
        )));
    }
    let responses: Vec<Response> = req
        .responses
        .into_iter()
        .map(|r| Response {
            question_id: r.question_id,
            answer: r.answer,
        })
        .collect();
    let (entries, errors) = questions::entries_from_responses(&responses);
    Ok(ValidateOutput {
        valid: errors.is_empty(),
        entries,
        errors: errors
            .into_iter()
            .map(|e| ResponseErrorView {
                index: e.index,
                question_id: e.question_id,
                message: e.message,
            })
            .collect(),
    })
}
