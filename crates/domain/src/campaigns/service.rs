//! Campaign operations on the domain service: create, read, the question flow (next, answer,
//! skip, go back), state changes, review, send-back and sign-off. Every front end calls these.

use std::collections::HashMap;
use std::sync::Arc;

use csf_store::{
    AnswerInput, AnswerState, AssessmentEntry, CampaignAnswer, CampaignChange, CampaignEvent,
    CampaignId, EntryFilter, NewCampaign, StoredCampaign,
};

use super::context::context;
use super::flow::{self};
use super::model::{Assessor, CampaignScope, CampaignState, Settings};
pub use super::requests::*;
use crate::analysis::inputs::date_arg;
use crate::assessment::questions::{check_answer, Question};
use crate::error::{check_len, Error, Result};
use crate::orgs::profile_id;
use crate::paging::page;
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

fn check_settings(s: &Settings) -> Result<()> {
    for f in &s.scope.functions {
        csf_catalog::ids::function(f)?;
    }
    for c in &s.scope.categories {
        csf_catalog::ids::category(c)?;
    }
    if s.assessors.is_empty() || s.assessors.len() > 50 {
        return Err(Error::invalid(
            "assessors",
            format!("{} given; name 1–50 assessors", s.assessors.len()),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for a in &s.assessors {
        check_len("assessors[].name", &a.name, 200)?;
        if a.name.trim().is_empty() || !seen.insert(a.name.as_str()) {
            return Err(Error::invalid(
                "assessors",
                format!(
                    "assessor names must be non-empty and distinct ('{}')",
                    a.name
                ),
            ));
        }
        for area in &a.areas {
            if csf_catalog::ids::function(area).is_err() {
                csf_catalog::ids::category(area)?;
            }
        }
    }
    Ok(())
}

/// Function and category ids in their canonical spelling.
fn canonical_scope(functions: Vec<String>, categories: Vec<String>) -> Result<CampaignScope> {
    Ok(CampaignScope {
        functions: functions
            .iter()
            .map(|f| Ok(csf_catalog::ids::function(f)?.id.to_string()))
            .collect::<Result<_>>()?,
        categories: categories
            .iter()
            .map(|c| {
                check_len("categories[]", c, 16)?;
                Ok(csf_catalog::ids::category(c)?.id.to_string())
            })
            .collect::<Result<_>>()?,
    })
}

fn canonical_areas(assessors: Vec<Assessor>) -> Result<Vec<Assessor>> {
    assessors
        .into_iter()
        .map(|a| {
            let areas = a
                .areas
                .iter()
                .map(|x| {
                    check_len("assessors[].areas[]", x, 16)?;
                    match csf_catalog::ids::function(x) {
                        Ok(f) => Ok(f.id.to_string()),
                        Err(_) => Ok(csf_catalog::ids::category(x)?.id.to_string()),
                    }
                })
                .collect::<Result<_>>()?;
            Ok(Assessor {
                name: a.name.trim().to_string(),
                areas,
            })
        })
        .collect()
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

    /// Creates a campaign on a profile.
    pub async fn create_campaign(
        self: &Arc<Self>,
        actor: &Actor,
        req: CreateCampaignRequest,
    ) -> Result<CampaignView> {
        check_len("name", &req.name, 200)?;
        let profile = profile_id(&req.profile_id)?;
        let due_date = req
            .due_date
            .as_deref()
            .map(|d| date_arg("due_date", d))
            .transpose()?;
        let scope = canonical_scope(req.functions, req.categories)?;
        let assessors = canonical_areas(req.assessors)?;
        let org_size = match req.org_size {
            Some(s) => Some(s),
            None => {
                let p = profile.clone();
                self.read(move |s| {
                    let prof = s.get_profile(&p)?;
                    Ok(s.get_organization(&prof.org_id)?.size)
                })
                .await?
            }
        };
        let settings = Settings {
            scope,
            org_size,
            assessors,
            due_date,
            sign_off: None,
        };
        check_settings(&settings)?;
        let state = if req.start {
            CampaignState::InProgress
        } else {
            CampaignState::Draft
        };
        let new = NewCampaign {
            profile_id: profile,
            name: req.name.trim().to_string(),
            state: state.as_str().into(),
            body: settings.to_body()?,
        };
        let stored = self
            .write(actor, move |s, by| Ok(s.create_campaign(&new, by)?))
            .await?;
        Ok(self.load_campaign(stored.id.as_str()).await?.view(None))
    }

    /// A campaign's state, settings and progress (with its log if asked).
    pub async fn get_campaign(self: &Arc<Self>, req: CampaignRequest) -> Result<CampaignView> {
        let loaded = self.load_campaign(&req.campaign_id).await?;
        let history = if req.include_history {
            let id = loaded.stored.id.clone();
            Some(
                self.read(move |s| crate::paging::all_pages(|p| s.campaign_events(&id, &p)))
                    .await?,
            )
        } else {
            None
        };
        Ok(loaded.view(history))
    }

    /// The document of `csf://campaign/{id}`.
    pub async fn campaign_doc(self: &Arc<Self>, id: &str) -> Result<CampaignView> {
        self.get_campaign(CampaignRequest {
            campaign_id: id.into(),
            include_history: false,
        })
        .await
    }

    /// Campaigns in creation order.
    pub async fn list_campaigns(
        self: &Arc<Self>,
        req: ListCampaignsRequest,
    ) -> Result<ListCampaignsOutput> {
        let profile = req.profile_id.as_deref().map(profile_id).transpose()?;
        let p = page(req.limit, req.cursor.as_ref())?;
        let listed = self
            .read(move |s| Ok(s.list_campaigns(profile.as_ref(), &p)?))
            .await?;
        Ok(ListCampaignsOutput {
            campaigns: listed
                .items
                .into_iter()
                .map(|c| CampaignSummary {
                    campaign_id: c.id.to_string(),
                    profile_id: c.profile_id.to_string(),
                    name: c.name,
                    state: c.state,
                    version: c.version,
                    updated_at: c.updated_at,
                })
                .collect(),
            next_cursor: listed.next_cursor,
        })
    }

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
