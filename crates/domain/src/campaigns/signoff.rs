//! Review, send-back and sign-off of a campaign on the domain service: the reviewer's side of
//! a cycle, apart from the assessors' question flow in `service`.

use std::sync::Arc;

use csf_store::{AnswerInput, AnswerState, CampaignChange, Patch, WriteOutcome};

use super::flow::{self};
use super::model::{CampaignState, SignOff};
pub use super::requests::*;
use super::review::{self, Flagged};
use crate::analysis::inputs::date_arg;
use crate::error::{check_len, Error, Result};
use crate::service::{Actor, Service};

impl Service {
    /// What the reviewer checks before signing off.
    pub async fn review_campaign(self: &Arc<Self>, req: CampaignRequest) -> Result<ReviewOutput> {
        let l = self.load_campaign(&req.campaign_id).await?;
        let current = self.current_entries(&l).await?;
        let (proposed, bad) = flow::entry_changes(&l.questions, &l.answers);
        let mut cannot_record: Vec<Flagged> = bad
            .into_iter()
            .map(|(sub, why)| Flagged {
                question_id: sub,
                answered_by: String::new(),
                why,
            })
            .collect();
        cannot_record.extend(
            proposed
                .iter()
                .filter(|p| p.status.is_none() && !current.contains_key(&p.subcategory_id))
                .map(|p| Flagged {
                    question_id: format!("{}:implementation", p.subcategory_id),
                    answered_by: String::new(),
                    why: "no implementation answer and no entry yet: an entry needs a status"
                        .into(),
                }),
        );
        let skipped = l
            .answers
            .iter()
            .filter(|a| a.state == AnswerState::Skipped)
            .map(|a| Flagged {
                question_id: a.question_id.clone(),
                answered_by: a.answered_by.clone(),
                why: a.reason.clone().unwrap_or_default(),
            })
            .collect();
        Ok(ReviewOutput {
            campaign_id: l.stored.id.to_string(),
            state: l.state,
            version: l.stored.version,
            last_cycle: current.values().filter_map(|e| e.assessed_on).max(),
            changes_since_last_cycle: review::changes(&proposed, &current),
            low_confidence: review::low_confidence(&l.answers),
            without_evidence: review::without_evidence(&proposed, &current, &l.answers),
            skipped,
            cannot_record,
            progress: flow::progress(&l.questions, &l.answers).overall,
        })
    }

    /// Sends answers back to their assessors; the campaign returns to in_progress.
    pub async fn send_back_campaign_items(
        self: &Arc<Self>,
        actor: &Actor,
        req: SendBackRequest,
    ) -> Result<CampaignView> {
        let l = self.load_campaign(&req.campaign_id).await?;
        l.expect_state(CampaignState::InReview, "sending items back")?;
        if req.items.is_empty() || req.items.len() > 200 {
            return Err(Error::invalid(
                "items",
                format!("{} given; give 1–200", req.items.len()),
            ));
        }
        let map = flow::by_question(&l.answers);
        let mut rows = Vec::new();
        for (i, item) in req.items.iter().enumerate() {
            let q = flow::find_question(&l.questions, &l.settings, &item.question_id)
                .map_err(|e| Error::Invalid(format!("items[{i}]: {e}")))?;
            let a = map.get(q.id.as_str()).ok_or_else(|| {
                Error::Invalid(format!("items[{i}]: {} has no answer to send back", q.id))
            })?;
            if item.reason.trim().is_empty() {
                return Err(Error::invalid(
                    "items[].reason",
                    "say why, for the assessor",
                ));
            }
            check_len("items[].reason", &item.reason, 2000)?;
            rows.push(AnswerInput {
                question_id: q.id.clone(),
                subcategory_id: q.subcategory.into(),
                state: AnswerState::SentBack,
                // The earlier answer stays visible to the assessor.
                answer: a.answer.clone(),
                confidence: a.confidence,
                notes: a.notes.clone(),
                reason: Some(item.reason.trim().to_string()),
                answered_by: a.answered_by.clone(),
            });
        }
        let ids: Vec<String> = rows.iter().map(|r| r.question_id.clone()).collect();
        let change = CampaignChange {
            expected_version: l.version(req.expected_version),
            state: CampaignState::InProgress.as_str().into(),
            body: l.stored.body.clone(),
            answers: rows,
            entries: Vec::new(),
            event: ("sent_back".into(), serde_json::json!({"questions": ids})),
        };
        self.apply_change(actor, &l.stored.id, change).await?;
        self.campaign_doc(l.stored.id.as_str()).await
    }

    /// Signs a reviewed campaign off: its answers are recorded in the profile (only the
    /// answered fields, with the cycle date as assessed date) together with the state change.
    pub async fn sign_off_campaign(
        self: &Arc<Self>,
        actor: &Actor,
        req: SignOffRequest,
    ) -> Result<SignOffOutput> {
        let l = self.load_campaign(&req.campaign_id).await?;
        l.expect_state(CampaignState::InReview, "signing off")?;
        let cycle_date = match &req.cycle_date {
            Some(d) => date_arg("cycle_date", d)?,
            None => csf_store::now().date_naive(),
        };
        let current = self.current_entries(&l).await?;
        let (proposed, bad) = flow::entry_changes(&l.questions, &l.answers);
        let mut not_recorded: Vec<String> = bad.into_iter().map(|(s, _)| s).collect();
        let map = flow::by_question(&l.answers);
        let mut entries = Vec::new();
        for mut e in proposed {
            if e.status.is_none() && !current.contains_key(&e.subcategory_id) {
                not_recorded.push(e.subcategory_id.clone());
                continue;
            }
            e.assessed_on = Patch::Set(cycle_date);
            let by = map
                .get(format!("{}:implementation", e.subcategory_id).as_str())
                .map(|a| a.answered_by.clone());
            e.assessed_by = Patch::set_if_some(by);
            entries.push(e);
        }
        let mut settings = l.settings.clone();
        settings.sign_off = Some(SignOff {
            by: actor.principal().to_string(),
            at: csf_store::now(),
            cycle_date,
            entries_recorded: entries.len(),
        });
        let change = CampaignChange {
            expected_version: l.version(req.expected_version),
            state: CampaignState::SignedOff.as_str().into(),
            body: settings.to_body()?,
            answers: Vec::new(),
            entries,
            event: (
                CampaignState::SignedOff.as_str().into(),
                serde_json::json!({"cycle_date": cycle_date, "not_recorded": not_recorded}),
            ),
        };
        let writes = self.apply_change(actor, &l.stored.id, change).await?;
        let n = |o: WriteOutcome| writes.iter().filter(|w| w.outcome == o).count();
        Ok(SignOffOutput {
            campaign: self.campaign_doc(l.stored.id.as_str()).await?,
            cycle_date,
            created: n(WriteOutcome::Created),
            updated: n(WriteOutcome::Updated),
            unchanged: n(WriteOutcome::Unchanged),
            not_recorded,
        })
    }
}
