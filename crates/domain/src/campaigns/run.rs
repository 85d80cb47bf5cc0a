//! Running an assessor's questions as forms the client shows its user (MCP elicitation), one
//! question at a time; or, when the client cannot show forms, handing the questions back for
//! ordinary tool calls. A declined or cancelled form pauses the campaign: nothing is lost,
//! and the next run resumes at the first open question.

use std::future::Future;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::forms::{answer_from_form, form};
use super::model::CampaignState;
use super::service::{AnswerRequest, NextQuestionsOutput, NextQuestionsRequest};
use crate::assessment::questions::Question;
use crate::error::{Error, Result};
use crate::service::{Actor, Service};

/// What the person did with a form.
#[derive(Debug, Clone, PartialEq)]
pub enum FormReply {
    Accept(Value),
    Decline,
    Cancel,
}

/// Shows a form to the person at the client (the transport's elicitation request).
pub trait FormAsker: Send + Sync {
    fn ask(
        &self,
        message: String,
        schema: Value,
    ) -> impl Future<Output = std::result::Result<FormReply, String>> + Send;
}

/// Run an assessor's open questions.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunQuestionsRequest {
    pub campaign_id: String,
    pub assessor: String,
    /// Most questions to ask in this run, 1–100 (default 20).
    pub max_questions: Option<u32>,
}

/// How the run went.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RunQuestionsOutput {
    pub campaign_id: String,
    /// `elicitation` (forms shown to the user) or `tool_calls` (the client cannot show forms:
    /// answer `questions` with answer_campaign_questions).
    pub mode: String,
    /// Question ids answered or skipped in this run.
    pub recorded: Vec<String>,
    /// The run stopped before the assessor's questions ran out, and why (declined,
    /// cancelled, the limit reached, an unreadable form). Run again to resume.
    pub paused: Option<String>,
    pub remaining_for_assessor: usize,
    /// In tool_calls mode: the next questions with their context.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub questions: Option<NextQuestionsOutput>,
}

/// What became of one form's reply.
pub(super) enum Recorded {
    /// The answer or skip is stored; the assessor has `remaining` open questions.
    Yes { remaining: usize },
    /// Nothing stored for this question, and why the run pauses here.
    Paused(String),
}

impl Service {
    /// Records one form's reply as every run does (forms sent one at a time, or a round of
    /// forms returned in a later call): an accepted form becomes one answer_campaign_questions
    /// call; a declined, cancelled or unreadable form, or an answer the campaign refuses,
    /// pauses the run with nothing stored for it.
    pub(super) async fn record_reply(
        self: &Arc<Self>,
        actor: &Actor,
        req: &RunQuestionsRequest,
        q: &Question,
        reply: FormReply,
    ) -> Result<Recorded> {
        let content = match reply {
            FormReply::Accept(c) => c,
            FormReply::Decline => {
                return Ok(Recorded::Paused(format!(
                    "declined at {}; answers so far are kept",
                    q.id
                )))
            }
            FormReply::Cancel => {
                return Ok(Recorded::Paused(format!(
                    "cancelled at {}; answers so far are kept",
                    q.id
                )))
            }
        };
        let item = match answer_from_form(q, &content) {
            Ok(item) => item,
            Err(e) => {
                return Ok(Recorded::Paused(format!(
                    "unreadable form for {}: {e}",
                    q.id
                )))
            }
        };
        let out = self
            .answer_campaign_questions(
                actor,
                AnswerRequest {
                    campaign_id: req.campaign_id.clone(),
                    assessor: req.assessor.clone(),
                    answers: vec![item],
                },
            )
            .await;
        match out {
            Ok(out) => Ok(Recorded::Yes {
                remaining: out.remaining_for_assessor,
            }),
            Err(e) if e.is_caller_error() => {
                Ok(Recorded::Paused(format!("{} not recorded: {e}", q.id)))
            }
            Err(e) => Err(e),
        }
    }

    /// Asks the assessor's open questions through `asker` (None: the client has no forms).
    pub async fn run_campaign_questions<A: FormAsker>(
        self: &Arc<Self>,
        actor: &Actor,
        req: RunQuestionsRequest,
        asker: Option<&A>,
    ) -> Result<RunQuestionsOutput> {
        let max = crate::paging::limit(req.max_questions, 20, 100)?;
        let (state, open) = self
            .campaign_open_questions(&req.campaign_id, &req.assessor)
            .await?;
        if state != CampaignState::InProgress {
            return Err(Error::Invalid(format!(
                "campaign {} is {}; questions are asked only while it is in_progress",
                req.campaign_id.trim(),
                state.as_str()
            )));
        }
        let Some(asker) = asker else {
            let next = self
                .next_campaign_questions(NextQuestionsRequest {
                    campaign_id: req.campaign_id.clone(),
                    assessor: req.assessor.clone(),
                    limit: Some(5),
                    include_context: Some(true),
                })
                .await?;
            return Ok(RunQuestionsOutput {
                campaign_id: next.campaign_id.clone(),
                mode: "tool_calls".into(),
                recorded: Vec::new(),
                paused: None,
                remaining_for_assessor: next.remaining_for_assessor,
                questions: Some(next),
            });
        };
        let mut recorded = Vec::new();
        let mut paused = None;
        let mut remaining = open.len();
        for (i, q) in open.iter().enumerate() {
            if i >= max {
                paused = Some(format!("asked {max} questions (max_questions)"));
                break;
            }
            let (message, schema) = form(q, remaining);
            let reply = asker
                .ask(message, schema)
                .await
                .map_err(|e| Error::Unavailable {
                    message: format!("the client did not answer the form: {e}"),
                    transient: true,
                })?;
            match self.record_reply(actor, &req, q, reply).await? {
                Recorded::Yes { remaining: left } => {
                    recorded.push(q.id.clone());
                    remaining = left;
                }
                Recorded::Paused(why) => {
                    paused = Some(why);
                    break;
                }
            }
        }
        Ok(RunQuestionsOutput {
            campaign_id: req.campaign_id.trim().to_string(),
            mode: "elicitation".into(),
            recorded,
            paused,
            remaining_for_assessor: remaining,
            questions: None,
        })
    }
}
