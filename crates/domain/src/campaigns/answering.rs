//! The question flow of one assessor: the next open questions, answering or skipping them,
//! going back to an earlier answer, and the open questions a run of forms asks.

use std::sync::Arc;

use csf_store::{AnswerInput, AnswerState, CampaignAnswer};

use super::flow::{self};
use super::model::CampaignState;
use super::service::*;
use crate::assessment::questions::{check_answer, Question};
use crate::error::{check_len, Error, Result};
use crate::service::{Actor, Service};

impl Service {
    /// The next open questions of one assessor.
    pub async fn next_campaign_questions(
        self: &Arc<Self>,
        req: NextQuestionsRequest,
    ) -> Result<NextQuestionsOutput> {
        let limit = crate::paging::limit(req.limit, 1, 20)?;
        let l = self.load_campaign(&req.campaign_id).await?;
        let assessor = l.settings.assessor(&req.assessor)?;
        let open = flow::open_for(&l.questions, &l.answers, assessor);
        let map = flow::by_question(&l.answers);
        let with_context = req.include_context.unwrap_or(true);
        let questions = if l.state == CampaignState::InProgress {
            open.iter()
                .take(limit)
                .map(|q| question_view(q, map.get(q.id.as_str()).copied(), with_context))
                .collect()
        } else {
            Vec::new()
        };
        let progress = flow::progress(&l.questions, &l.answers).overall;
        Ok(NextQuestionsOutput {
            campaign_id: l.stored.id.to_string(),
            state: l.state,
            assessor: assessor.name.clone(),
            remaining_for_assessor: open.len(),
            questions,
            next_step: next_step(l.state, progress.remaining),
            progress,
        })
    }

    /// Checks answers against the campaign (scope, the assessor's areas, accepted values)
    /// and turns them into rows; nothing is stored.
    fn answer_rows(l: &Loaded, assessor: &str, items: &[AnswerItem]) -> Result<Vec<AnswerInput>> {
        if items.is_empty() || items.len() > 100 {
            return Err(Error::invalid(
                "answers",
                format!("{} given; give 1–100", items.len()),
            ));
        }
        let who = l.settings.assessor(assessor)?;
        let mut seen = std::collections::HashSet::new();
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let at = |m: String| Error::Invalid(format!("answers[{i}]: {m}"));
                let q = flow::find_question(&l.questions, &l.settings, &item.question_id)
                    .map_err(|e| at(e.to_string()))?;
                if !who.answers(q.function, q.category) {
                    return Err(at(format!(
                        "{} is outside {}'s areas ({})",
                        q.id,
                        who.name,
                        who.areas.join(", ")
                    )));
                }
                if !seen.insert(q.id.clone()) {
                    return Err(at(format!("{} is answered twice", q.id)));
                }
                if let Some(n) = &item.notes {
                    check_len("notes", n, 2000).map_err(|e| at(e.to_string()))?;
                }
                let (state, answer, reason) = match (&item.answer, &item.skip_reason) {
                    (Some(v), None) => {
                        check_answer(q.dimension, v).map_err(|m| at(format!("{}: {m}", q.id)))?;
                        (AnswerState::Answered, Some(v.clone()), None)
                    }
                    (None, Some(r)) if !r.trim().is_empty() => {
                        check_len("skip_reason", r, 2000).map_err(|e| at(e.to_string()))?;
                        (AnswerState::Skipped, None, Some(r.trim().to_string()))
                    }
                    _ => {
                        return Err(at(format!(
                            "{}: give either `answer` ({}) or a non-empty `skip_reason`",
                            q.id, q.answers
                        )))
                    }
                };
                Ok(AnswerInput {
                    question_id: q.id.clone(),
                    subcategory_id: q.subcategory.into(),
                    state,
                    answer,
                    confidence: item.confidence,
                    notes: item.notes.clone(),
                    reason,
                    answered_by: who.name.clone(),
                })
            })
            .collect()
    }

    /// Records answers and skips of one assessor (a question answered again changes its
    /// answer; the earlier one stays in the log).
    pub async fn answer_campaign_questions(
        self: &Arc<Self>,
        actor: &Actor,
        req: AnswerRequest,
    ) -> Result<AnswerOutput> {
        let l = self.load_campaign(&req.campaign_id).await?;
        l.expect_state(CampaignState::InProgress, "answering")?;
        let rows = Self::answer_rows(&l, &req.assessor, &req.answers)?;
        let id = l.stored.id.clone();
        let recorded = self
            .write(actor, move |s, by| {
                Ok(s.put_campaign_answers(&id, &["in_progress"], &rows, by)?)
            })
            .await?;
        let l = self.load_campaign(&req.campaign_id).await?;
        let who = l.settings.assessor(&req.assessor)?;
        let open = flow::open_for(&l.questions, &l.answers, who);
        Ok(AnswerOutput {
            campaign_id: l.stored.id.to_string(),
            recorded,
            progress: flow::progress(&l.questions, &l.answers).overall,
            remaining_for_assessor: open.len(),
            next_question_id: open.first().map(|q| q.id.clone()),
        })
    }

    /// The assessor's answer before `before` (or the latest), with its question and context,
    /// to look at again or change.
    pub async fn previous_campaign_question(
        self: &Arc<Self>,
        req: PreviousQuestionRequest,
    ) -> Result<CampaignQuestion> {
        let l = self.load_campaign(&req.campaign_id).await?;
        let who = l.settings.assessor(&req.assessor)?;
        let mut mine: Vec<&CampaignAnswer> = l
            .answers
            .iter()
            .filter(|a| a.answered_by == who.name && a.state != AnswerState::SentBack)
            .collect();
        mine.sort_by(|a, b| (a.answered_at, &a.question_id).cmp(&(b.answered_at, &b.question_id)));
        let pos = match &req.before {
            None => mine.len(),
            Some(b) => {
                let q = flow::find_question(&l.questions, &l.settings, b)?;
                mine.iter()
                    .position(|a| a.question_id == q.id)
                    .ok_or_else(|| {
                        Error::Invalid(format!("{} has no answer by {}", q.id, who.name))
                    })?
            }
        };
        let a = pos
            .checked_sub(1)
            .and_then(|i| mine.get(i))
            .ok_or_else(|| Error::NotFound(format!("{} has no earlier answer", who.name)))?;
        let q = flow::find_question(&l.questions, &l.settings, &a.question_id)?;
        Ok(question_view(q, Some(a), true))
    }

    /// The assessor's open questions as the elicitation loop asks them (no context: the form
    /// carries the levels).
    pub async fn campaign_open_questions(
        self: &Arc<Self>,
        campaign: &str,
        assessor: &str,
    ) -> Result<(CampaignState, Vec<Question>)> {
        let l = self.load_campaign(campaign).await?;
        let who = l.settings.assessor(assessor)?;
        let open = flow::open_for(&l.questions, &l.answers, who)
            .into_iter()
            .cloned()
            .collect();
        Ok((l.state, open))
    }
}
