//! Campaign plumbing every operation shares: reading a campaign whole (`Loaded`), its view,
//! the next-step hint, a question's view, and applying a state change. The operations are in
//! `setup` (create, read, list), `answering` (the question flow) and `states` (start, submit).

use std::collections::HashMap;
use std::sync::Arc;

use csf_store::{
    AssessmentEntry, CampaignAnswer, CampaignChange, CampaignEvent, CampaignId, EntryFilter,
    StoredCampaign,
};

use super::context::context;
use super::flow::{self};
use super::model::{CampaignState, Settings};
pub use super::requests::*;
use crate::assessment::questions::Question;
use crate::error::{Error, Result};
use crate::service::{Actor, Service};

pub(super) fn campaign_id(s: &str) -> Result<CampaignId> {
    Ok(CampaignId::parse(s)?)
}

/// Everything about a campaign one read gives.
pub(super) struct Loaded {
    pub(super) stored: StoredCampaign,
    pub(super) settings: Settings,
    pub(super) state: CampaignState,
    pub(super) questions: Vec<Question>,
    pub(super) answers: Vec<CampaignAnswer>,
}

impl Loaded {
    pub(super) fn view(self, history: Option<Vec<CampaignEvent>>) -> CampaignView {
        let progress = flow::progress(&self.questions, &self.answers);
        let assessors = self
            .settings
            .assessors
            .iter()
            .map(|a| AssessorRemaining {
                name: a.name.clone(),
                areas: a.areas.clone(),
                remaining: flow::open_for(&self.questions, &self.answers, a).len(),
            })
            .collect();
        let next_step = next_step(self.state, progress.overall.remaining);
        let s = self.stored;
        CampaignView {
            campaign_id: s.id.to_string(),
            org_id: s.org_id.to_string(),
            profile_id: s.profile_id.to_string(),
            name: s.name,
            state: self.state,
            version: s.version,
            settings: self.settings,
            progress,
            assessors,
            created_at: s.created_at,
            created_by: s.created_by,
            updated_at: s.updated_at,
            updated_by: s.updated_by,
            next_step,
            history,
        }
    }

    pub(super) fn expect_state(&self, want: CampaignState, doing: &str) -> Result<()> {
        if self.state == want {
            return Ok(());
        }
        Err(Error::Invalid(format!(
            "campaign {} is {}; {doing} needs it {} ({})",
            self.stored.id,
            self.state.as_str(),
            want.as_str(),
            next_step(self.state, 1)
        )))
    }

    pub(super) fn version(&self, expected: Option<i64>) -> i64 {
        expected.unwrap_or(self.stored.version)
    }
}

pub(super) fn next_step(state: CampaignState, remaining: usize) -> String {
    match state {
        CampaignState::Draft => "start it: set_campaign_state to in_progress".into(),
        CampaignState::InProgress if remaining > 0 => format!(
            "{remaining} questions remain: next_campaign_questions / answer_campaign_questions \
             (or run_campaign_questions); pausing is safe, answers are kept"
        ),
        CampaignState::InProgress => {
            "every question is answered or skipped: set_campaign_state to in_review".into()
        }
        CampaignState::InReview => {
            "review_campaign, then send_back_campaign_items or sign_off_campaign".into()
        }
        CampaignState::SignedOff => {
            "signed off: its answers are a dated cycle of the profile".into()
        }
    }
}

pub(super) fn question_view(
    q: &Question,
    current: Option<&CampaignAnswer>,
    with_context: bool,
) -> CampaignQuestion {
    CampaignQuestion {
        question_id: q.id.clone(),
        function: q.function.into(),
        category: q.category.into(),
        subcategory: q.subcategory.into(),
        dimension: q.dimension.as_str().into(),
        question: q.text.clone(),
        answers: q.answers.into(),
        current: current.cloned(),
        context: with_context.then(|| context(q)),
    }
}
impl Service {
    pub(super) async fn load_campaign(self: &Arc<Self>, id: &str) -> Result<Loaded> {
        let id = campaign_id(id)?;
        let (stored, answers) = self
            .read(move |s| Ok((s.get_campaign(&id)?, s.campaign_answers(&id)?)))
            .await?;
        let settings = Settings::from_body(stored.id.as_str(), &stored.body)?;
        let state = CampaignState::parse(&stored.state)?;
        let questions = flow::campaign_questions(&settings);
        Ok(Loaded {
            stored,
            settings,
            state,
            questions,
            answers,
        })
    }

    pub(super) async fn apply_change(
        self: &Arc<Self>,
        actor: &Actor,
        id: &CampaignId,
        change: CampaignChange,
    ) -> Result<Vec<csf_store::EntryWrite>> {
        let id = id.clone();
        let (_, writes) = self
            .write(actor, move |s, by| Ok(s.change_campaign(&id, &change, by)?))
            .await?;
        Ok(writes)
    }

    pub(super) async fn current_entries(
        self: &Arc<Self>,
        l: &Loaded,
    ) -> Result<HashMap<String, AssessmentEntry>> {
        let p = l.stored.profile_id.clone();
        let list = self
            .read(move |s| {
                crate::paging::all_pages(|pg| s.list_entries(&p, &EntryFilter::default(), &pg))
            })
            .await?;
        Ok(list
            .into_iter()
            .map(|e| (e.subcategory_id.clone(), e))
            .collect())
    }
}
