//! The reviewer's view: what the campaign would change in the profile since its last cycle,
//! answers given with low confidence, implemented outcomes without evidence, and answers that
//! cannot become entries.

use std::collections::HashMap;

use csf_store::{
    AnswerState, AssessmentEntry, CampaignAnswer, Confidence, EntryInput, ImplementationStatus,
    Patch,
};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

/// One field the campaign changes.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FieldChange {
    pub subcategory: String,
    pub field: String,
    /// The profile's current value (null: no entry or no value).
    pub from: Value,
    pub to: Value,
}

/// An answer the reviewer should look at, and why.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Flagged {
    pub question_id: String,
    pub answered_by: String,
    pub why: String,
}

fn val<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Field-by-field differences between the entry changes and the current entries.
pub fn changes(
    proposed: &[EntryInput],
    current: &HashMap<String, AssessmentEntry>,
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for p in proposed {
        let old = current.get(&p.subcategory_id);
        let mut push = |field: &str, from: Value, to: Value| {
            if from != to {
                out.push(FieldChange {
                    subcategory: p.subcategory_id.clone(),
                    field: field.into(),
                    from,
                    to,
                });
            }
        };
        if let Some(s) = p.status {
            push("status", val(&old.map(|e| e.status)), val(&s));
        }
        if let Patch::Set(m) = &p.maturity {
            push("maturity", val(&old.and_then(|e| e.maturity)), val(m));
        }
        if let Patch::Set(c) = &p.confidence {
            push("confidence", val(&old.and_then(|e| e.confidence)), val(c));
        }
        if let Patch::Set(o) = &p.owner {
            push("owner", val(&old.and_then(|e| e.owner.clone())), val(o));
        }
    }
    out
}

/// Answers given with low confidence, and evidence answers of `none`.
pub fn low_confidence(answers: &[CampaignAnswer]) -> Vec<Flagged> {
    answers
        .iter()
        .filter(|a| a.state == AnswerState::Answered)
        .filter_map(|a| {
            let why = if a.confidence == Some(Confidence::Low) {
                "answered with low confidence"
            } else if a.question_id.ends_with(":evidence")
                && a.answer.as_ref().and_then(Value::as_str) == Some("none")
            {
                "no evidence: the answer rests on recollection"
            } else {
                return None;
            };
            Some(Flagged {
                question_id: a.question_id.clone(),
                answered_by: a.answered_by.clone(),
                why: why.into(),
            })
        })
        .collect()
}

/// Outcomes answered as at least partially implemented whose entry lists no evidence.
pub fn without_evidence(
    proposed: &[EntryInput],
    current: &HashMap<String, AssessmentEntry>,
    answers: &[CampaignAnswer],
) -> Vec<Flagged> {
    proposed
        .iter()
        .filter(|p| {
            matches!(
                p.status,
                Some(
                    ImplementationStatus::Partially
                        | ImplementationStatus::Largely
                        | ImplementationStatus::Fully
                )
            )
        })
        .filter(|p| {
            current
                .get(&p.subcategory_id)
                .is_none_or(|e| e.evidence.is_empty())
        })
        .map(|p| {
            let qid = format!("{}:implementation", p.subcategory_id);
            Flagged {
                answered_by: answers
                    .iter()
                    .find(|a| a.question_id == qid)
                    .map(|a| a.answered_by.clone())
                    .unwrap_or_default(),
                question_id: qid,
                why: "claimed as implemented, but the entry lists no evidence".into(),
            }
        })
        .collect()
}
