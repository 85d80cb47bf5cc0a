//! Function-level quick assessments: one status (and optional maturity) per CSF function,
//! stored as such and never spread over subcategories.

use std::sync::Arc;

use csf_store::{ImplementationStatus, Maturity, QuickAnswer, QuickAnswerInput};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::orgs::profile_id;
use crate::service::{Actor, Service};

// One function's answer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuickAnswerParam {
    /// GV, ID, PR, DE, RS or RC.
    pub function: String,
    /// Overall implementation of the function: not_implemented … fully.
    pub status: ImplementationStatus,
    /// Overall maturity 0–5 (optional).
    pub maturity: Option<u8>,
    pub notes: Option<String>,
}

/// Answers for a profile.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuickRequest {
    pub profile_id: String,
    /// One answer per function (1–6).
    pub answers: Vec<QuickAnswerParam>,
}

/// The profile's function-level answers after the call.
#[derive(Debug, Serialize, JsonSchema)]
pub struct QuickOutput {
    pub profile_id: String,
    /// All of the profile's function-level answers after this call.
    pub answers: Vec<QuickAnswer>,
    pub note: String,
}

fn inputs(answers: Vec<QuickAnswerParam>) -> Result<Vec<QuickAnswerInput>> {
    if answers.is_empty() || answers.len() > 6 {
        return Err(Error::Invalid(format!(
            "`answers` has {} items; give one per function, 1–6",
            answers.len()
        )));
    }
    let mut out: Vec<QuickAnswerInput> = Vec::new();
    for (i, a) in answers.into_iter().enumerate() {
        let f = csf_catalog::ids::function(&a.function)
            .map_err(|e| Error::Invalid(format!("answers[{i}].function: {e}")))?
            .id;
        if out.iter().any(|x| x.function_id == f) {
            return Err(Error::Invalid(format!(
                "answers[{i}]: {f} is answered twice"
            )));
        }
        let maturity = a
            .maturity
            .map(Maturity::new)
            .transpose()
            .map_err(|e| Error::Invalid(format!("answers[{i}].maturity: {e}")))?;
        out.push(QuickAnswerInput {
            function_id: f.into(),
            status: a.status,
            maturity,
            notes: a.notes,
        });
    }
    Ok(out)
}

impl Service {
    /// Stores function-level answers (a new answer for a function replaces its old one).
    pub async fn quick_assessment(
        self: &Arc<Self>,
        actor: &Actor,
        req: QuickRequest,
    ) -> Result<QuickOutput> {
        let id = profile_id(&req.profile_id)?;
        let answers = inputs(req.answers)?;
        let pid = id.clone();
        let answers = self
            .write(actor, move |s, by| {
                Ok(s.record_quick_answers(&pid, &answers, by)?)
            })
            .await?;
        Ok(QuickOutput {
            profile_id: id.to_string(),
            answers,
            note: "Stored at function level only. Subcategory entries are recorded separately \
                   (record_assessment); no per-subcategory score is derived from these answers."
                .into(),
        })
    }
}
