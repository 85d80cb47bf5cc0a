//! Moving a campaign between states: starting a draft, and submitting a finished campaign for
//! review (review, send-back and sign-off are in `signoff`).

use std::sync::Arc;

use csf_store::CampaignChange;

use super::flow::{self};
use super::model::CampaignState;
use super::service::*;
use crate::assessment::questions::Question;
use crate::error::{Error, Result};
use crate::service::{Actor, Service};

impl Service {
    /// Starts a draft, or submits a finished campaign for review.
    pub async fn set_campaign_state(
        self: &Arc<Self>,
        actor: &Actor,
        req: SetStateRequest,
    ) -> Result<CampaignView> {
        let l = self.load_campaign(&req.campaign_id).await?;
        l.state.check_move(req.to)?;
        match req.to {
            CampaignState::InProgress | CampaignState::InReview => {}
            other => {
                return Err(Error::Invalid(format!(
                    "use {} to move a campaign to {}",
                    if other == CampaignState::SignedOff {
                        "sign_off_campaign"
                    } else {
                        "send_back_campaign_items"
                    },
                    other.as_str()
                )))
            }
        }
        if req.to == CampaignState::InProgress && l.state == CampaignState::InReview {
            return Err(Error::Invalid(
                "use send_back_campaign_items to return a campaign in review to its assessors"
                    .into(),
            ));
        }
        if req.to == CampaignState::InReview {
            let open: Vec<&Question> = l
                .questions
                .iter()
                .filter(|q| flow::is_open(&flow::by_question(&l.answers), q))
                .collect();
            if !open.is_empty() {
                return Err(Error::Invalid(format!(
                    "{} questions are still open (e.g. {}); answer or skip them first",
                    open.len(),
                    open.iter()
                        .take(5)
                        .map(|q| q.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        let change = CampaignChange {
            expected_version: l.version(req.expected_version),
            state: req.to.as_str().into(),
            body: l.stored.body.clone(),
            answers: Vec::new(),
            entries: Vec::new(),
            event: (
                req.to.as_str().into(),
                serde_json::json!({"from": l.state.as_str()}),
            ),
        };
        self.apply_change(actor, &l.stored.id, change).await?;
        self.campaign_doc(l.stored.id.as_str()).await
    }
}
