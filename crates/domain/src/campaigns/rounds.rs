//! Running an assessor's questions in rounds of forms for clients that cannot be sent requests
//! while a call runs (MCP 2026-07-28 is stateless): a call answers with the next forms and a
//! round state; the client shows them and calls again with the replies and that state. Each
//! reply is recorded exactly as the one-form-at-a-time run records it (`record_reply`).
//!
//! The round state travels through the client, so nothing in it is trusted: every call checks
//! it against the request and the campaign as stored now (same campaign and assessor, the
//! campaign still in progress at the same version, every question asked in the campaign's
//! scope and the assessor's areas, replies only to the questions asked and still open).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::flow;
use super::forms::form;
use super::model::CampaignState;
use super::run::{FormReply, Recorded, RunQuestionsOutput, RunQuestionsRequest};
use super::service::Loaded;
use crate::assessment::questions::Question;
use crate::error::{Error, Result};
use crate::service::{Actor, Service};

/// Most forms in one round: a client shows them together, so a round stays short; a run of
/// 20 questions takes four rounds.
pub const FORMS_PER_ROUND: usize = 5;

/// What one round hands to the next call. The client returns it unchanged; the server checks
/// all of it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundState {
    /// The campaign's id, canonical.
    pub campaign: String,
    /// The assessor's name as the campaign spells it.
    pub assessor: String,
    /// The campaign's version when the forms were made (it changes with the campaign's state).
    pub version: i64,
    /// The question ids of the forms shown in this round, in order.
    pub asked: Vec<String>,
    /// Question ids recorded in earlier rounds of this run.
    pub recorded: Vec<String>,
    /// Forms shown in earlier rounds of this run (counted against `max_questions`).
    pub shown: usize,
}

/// One form to show: the reply comes back under `question_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundForm {
    pub question_id: String,
    pub message: String,
    pub schema: Value,
}

/// What a call of a run in rounds gives.
#[derive(Debug)]
pub enum RoundStep {
    /// Show these forms, then call again with the replies and `state`.
    Ask {
        forms: Vec<RoundForm>,
        state: RoundState,
    },
    /// The run is over (or paused): what it recorded.
    Done(RunQuestionsOutput),
}

/// The replies of a round, by question id.
pub type RoundReplies = BTreeMap<String, FormReply>;

fn refuse(why: String) -> Error {
    Error::Invalid(format!(
        "{why}; nothing from these forms was recorded: call run_campaign_questions again \
         without input responses to get fresh forms"
    ))
}

/// Checks a returned round against the request and the campaign as it is now; returns the
/// questions asked, in order.
fn check_round<'a>(
    l: &'a Loaded,
    req: &RunQuestionsRequest,
    state: &RoundState,
    replies: &RoundReplies,
) -> Result<Vec<&'a Question>> {
    let who = l.settings.assessor(&req.assessor)?;
    if state.campaign != l.stored.id.as_str() || state.assessor != who.name {
        return Err(refuse(format!(
            "the round state belongs to another campaign or assessor than campaign_id {} and \
             assessor '{}'",
            l.stored.id, who.name
        )));
    }
    if state.version != l.stored.version {
        return Err(refuse(format!(
            "campaign {} changed since the forms were made (version {}, now {})",
            l.stored.id, state.version, l.stored.version
        )));
    }
    if state.asked.is_empty() || state.asked.len() > FORMS_PER_ROUND {
        return Err(refuse(format!(
            "a round asks 1–{FORMS_PER_ROUND} questions, this state names {}",
            state.asked.len()
        )));
    }
    let mut asked: Vec<&Question> = Vec::with_capacity(state.asked.len());
    for id in &state.asked {
        let q = flow::find_question(&l.questions, &l.settings, id)
            .map_err(|e| refuse(e.to_string()))?;
        if q.id != *id || asked.iter().any(|a| a.id == q.id) {
            return Err(refuse(format!(
                "the round state names {id} wrongly or twice"
            )));
        }
        if !who.answers(q.function, q.category) {
            return Err(refuse(format!(
                "{} is outside {}'s areas ({})",
                q.id,
                who.name,
                who.areas.join(", ")
            )));
        }
        asked.push(q);
    }
    if let Some(stray) = replies.keys().find(|k| !state.asked.contains(k)) {
        return Err(refuse(format!(
            "input response '{}' answers no form of this round; its forms are: {}",
            stray.chars().take(64).collect::<String>(),
            state.asked.join(", ")
        )));
    }
    // Answers do not change the campaign's version, so a round sent again (a client's retry,
    // an old copy) would pass the checks above and silently replace answers given since.
    let answered = flow::by_question(&l.answers);
    if let Some(q) = asked
        .iter()
        .find(|q| replies.contains_key(&q.id) && !flow::is_open(&answered, q))
    {
        return Err(refuse(format!(
            "{} was answered since the forms were made (this round was already sent, or the \
             answer was given another way)",
            q.id
        )));
    }
    Ok(asked)
}

impl Service {
    /// One call of a run in rounds: with `prior` (the state and replies of the round shown
    /// last), records the replies; then either the next round of forms or, when the run is
    /// over or `forms` is false (the client can show none this time), the run's summary.
    pub async fn run_campaign_round(
        self: &Arc<Self>,
        actor: &Actor,
        req: RunQuestionsRequest,
        prior: Option<(RoundState, RoundReplies)>,
        forms: bool,
    ) -> Result<RoundStep> {
        let max = crate::paging::limit(req.max_questions, 20, 100)?;
        let l = self.load_campaign(&req.campaign_id).await?;
        if l.state != CampaignState::InProgress {
            return Err(Error::Invalid(format!(
                "campaign {} is {}; questions are asked only while it is in_progress",
                l.stored.id,
                l.state.as_str()
            )));
        }
        let (mut recorded, mut shown, mut paused) = (Vec::new(), 0, None);
        if let Some((state, mut replies)) = prior {
            let asked = check_round(&l, &req, &state, &replies)?;
            recorded = state.recorded;
            shown = state.shown.saturating_add(asked.len());
            // Every reply is kept, even after a declined form: the client showed the round's
            // forms together, so a later answer is the person's as much as an earlier one.
            for q in asked {
                let Some(reply) = replies.remove(&q.id) else {
                    continue; // not answered: still open, asked again in the next round
                };
                match self.record_reply(actor, &req, q, reply).await? {
                    Recorded::Yes { .. } => recorded.push(q.id.clone()),
                    Recorded::Paused(why) => {
                        paused.get_or_insert(why);
                    }
                }
            }
        }
        let l = self.load_campaign(&req.campaign_id).await?;
        let who = l.settings.assessor(&req.assessor)?;
        let open = flow::open_for(&l.questions, &l.answers, who);
        if paused.is_none() && !open.is_empty() {
            if shown >= max {
                paused = Some(format!("asked {max} questions (max_questions)"));
            } else if !forms {
                paused = Some("the client cannot show forms in this call".into());
            }
        }
        if paused.is_some() || open.is_empty() || l.state != CampaignState::InProgress {
            return Ok(RoundStep::Done(RunQuestionsOutput {
                campaign_id: l.stored.id.to_string(),
                mode: "elicitation".into(),
                recorded,
                paused,
                remaining_for_assessor: open.len(),
                questions: None,
            }));
        }
        let take = FORMS_PER_ROUND.min(max - shown);
        let forms: Vec<RoundForm> = open
            .iter()
            .take(take)
            .enumerate()
            .map(|(i, q)| {
                let (message, schema) = form(q, open.len() - i);
                RoundForm {
                    question_id: q.id.clone(),
                    message,
                    schema,
                }
            })
            .collect();
        Ok(RoundStep::Ask {
            state: RoundState {
                campaign: l.stored.id.to_string(),
                assessor: who.name.clone(),
                version: l.stored.version,
                asked: forms.iter().map(|f| f.question_id.clone()).collect(),
                recorded,
                shown,
            },
            forms,
        })
    }
}
