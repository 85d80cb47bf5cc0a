//! Campaign operations on the domain service: create, read, the question flow (next, answer,
//! skip, go back), state changes, review, send-back and sign-off. Every front end calls these.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use csf_store::{
    AnswerInput, AnswerState, AssessmentEntry, CampaignAnswer, CampaignChange, CampaignEvent,
    CampaignId, Confidence, EntryFilter, NewCampaign, OrgSize, Patch, StoredCampaign, Timestamp,
    WriteOutcome,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::context::{context, QuestionContext};
use super::flow::{self, Progress, Tally};
use super::model::{Assessor, CampaignScope, CampaignState, Settings, SignOff};
use super::review::{self, FieldChange, Flagged};
use crate::analysis::inputs::date_arg;
use crate::assessment::questions::{check_answer, Question};
use crate::error::{check_len, Error, Result};
use crate::orgs::profile_id;
use crate::paging::page;
use crate::service::{Actor, Service};

fn campaign_id(s: &str) -> Result<CampaignId> {
    Ok(CampaignId::parse(s)?)
}

/// A new campaign (state draft unless `start`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCampaignRequest {
    /// The profile it assesses (prof_…).
    pub profile_id: String,
    /// Name, 1–200 characters.
    pub name: String,
    /// Functions in scope (GV, ID, PR, DE, RS, RC).
    #[serde(default)]
    pub functions: Vec<String>,
    /// Categories in scope (e.g. PR.AA). Scope is the union; both empty: the whole Core.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Organization size, picking the dimensions asked (default: the organization's size;
    /// unknown size: all four).
    pub org_size: Option<OrgSize>,
    /// 1–50 assessors with the function or category ids each answers (empty: all).
    pub assessors: Vec<Assessor>,
    /// Due date, YYYY-MM-DD.
    pub due_date: Option<String>,
    /// Start at once (state in_progress) instead of draft.
    #[serde(default)]
    pub start: bool,
}

/// One campaign.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignRequest {
    /// The campaign (camp_…).
    pub campaign_id: String,
    /// Include the campaign's log (every answer, skip, send-back and state change).
    #[serde(default)]
    pub include_history: bool,
}

// An assessor's share of what remains.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AssessorRemaining {
    pub name: String,
    pub areas: Vec<String>,
    pub remaining: usize,
}

/// A campaign's state, settings and progress.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CampaignView {
    pub campaign_id: String,
    pub org_id: String,
    pub profile_id: String,
    pub name: String,
    pub state: CampaignState,
    /// Pass as `expected_version` to guard a state change.
    pub version: i64,
    pub settings: Settings,
    pub progress: Progress,
    pub assessors: Vec<AssessorRemaining>,
    pub created_at: Timestamp,
    pub created_by: String,
    pub updated_at: Timestamp,
    pub updated_by: String,
    /// What to do next, in words.
    pub next_step: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<CampaignEvent>>,
}

/// Which campaigns to list.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListCampaignsRequest {
    /// Only this profile's campaigns (prof_…).
    pub profile_id: Option<String>,
    /// Items per page, 1–200 (default 50).
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

// A campaign in a listing.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CampaignSummary {
    pub campaign_id: String,
    pub profile_id: String,
    pub name: String,
    pub state: String,
    pub version: i64,
    pub updated_at: Timestamp,
}

/// Campaigns in creation order.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListCampaignsOutput {
    pub campaigns: Vec<CampaignSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The next questions for an assessor.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NextQuestionsRequest {
    pub campaign_id: String,
    /// The assessor's name, as given when the campaign was created.
    pub assessor: String,
    /// Questions to return, 1–20 (default 1).
    pub limit: Option<u32>,
    /// Include each question's context (outcome, examples, references, levels); default true.
    pub include_context: Option<bool>,
}

// One question as an assessor sees it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CampaignQuestion {
    /// Answer with this id.
    pub question_id: String,
    pub function: String,
    pub category: String,
    pub subcategory: String,
    pub dimension: String,
    pub question: String,
    /// What answers are accepted.
    pub answers: String,
    /// The stored answer (a sent-back one carries the reviewer's reason).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<CampaignAnswer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<QuestionContext>,
}

/// Questions for an assessor and where the campaign stands.
#[derive(Debug, Serialize, JsonSchema)]
pub struct NextQuestionsOutput {
    pub campaign_id: String,
    pub state: CampaignState,
    pub assessor: String,
    /// Open questions for this assessor (sent-back ones included).
    pub remaining_for_assessor: usize,
    pub questions: Vec<CampaignQuestion>,
    pub progress: Tally,
    pub next_step: String,
}

/// One answer, or a skip with its reason.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerItem {
    /// A question id of the campaign, e.g. GV.OC-01:implementation.
    pub question_id: String,
    /// The answer (a string; an integer 0–5 for maturity). Give this or `skip_reason`.
    pub answer: Option<Value>,
    /// Skip the question, saying why (1–2000 characters).
    pub skip_reason: Option<String>,
    /// How sure the assessor is.
    pub confidence: Option<Confidence>,
    /// Notes, up to 2000 characters.
    pub notes: Option<String>,
}

/// Answers (or skips) by one assessor. Answering a question again changes its answer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    pub campaign_id: String,
    pub assessor: String,
    /// 1–100 answers.
    pub answers: Vec<AnswerItem>,
}

/// What was recorded and what comes next.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AnswerOutput {
    pub campaign_id: String,
    pub recorded: Vec<CampaignAnswer>,
    pub progress: Tally,
    pub remaining_for_assessor: usize,
    /// The assessor's next question id, if any remain.
    pub next_question_id: Option<String>,
}

/// Go back to an earlier answer of this assessor.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviousQuestionRequest {
    pub campaign_id: String,
    pub assessor: String,
    /// The answer given before this question's (default: the assessor's latest answer).
    pub before: Option<String>,
}

/// Move a campaign to another state.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetStateRequest {
    pub campaign_id: String,
    /// in_progress (start a draft) or in_review (every question answered or skipped).
    /// Send-back and sign-off have their own tools.
    pub to: CampaignState,
    /// The version you read; on mismatch nothing changes (default: current).
    pub expected_version: Option<i64>,
}

/// The reviewer's view.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReviewOutput {
    pub campaign_id: String,
    pub state: CampaignState,
    pub version: i64,
    /// The profile's latest cycle date (assessed date of its entries), if any.
    pub last_cycle: Option<NaiveDate>,
    /// What signing off would change in the profile, field by field.
    pub changes_since_last_cycle: Vec<FieldChange>,
    pub low_confidence: Vec<Flagged>,
    pub without_evidence: Vec<Flagged>,
    pub skipped: Vec<Flagged>,
    /// Subcategories whose answers cannot become entries (no implementation answer and no
    /// entry yet); they are left out at sign-off.
    pub cannot_record: Vec<Flagged>,
    pub progress: Tally,
}

// One item to send back.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SendBackItem {
    pub question_id: String,
    /// Why, for the assessor (1–2000 characters).
    pub reason: String,
}

/// Send answers back to their assessors; the campaign returns to in_progress.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SendBackRequest {
    pub campaign_id: String,
    /// 1–200 items.
    pub items: Vec<SendBackItem>,
    pub expected_version: Option<i64>,
}

/// Sign a reviewed campaign off.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOffRequest {
    pub campaign_id: String,
    /// The cycle's date, recorded as the entries' assessed date, YYYY-MM-DD (default today,
    /// UTC).
    pub cycle_date: Option<String>,
    pub expected_version: Option<i64>,
}

/// The signed-off campaign and what it recorded.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SignOffOutput {
    pub campaign: CampaignView,
    pub cycle_date: NaiveDate,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Subcategories left out (see review_campaign's cannot_record).
    pub not_recorded: Vec<String>,
}

/// Everything about a campaign one read gives.
struct Loaded {
    stored: StoredCampaign,
    settings: Settings,
    state: CampaignState,
    questions: Vec<Question>,
    answers: Vec<CampaignAnswer>,
}

impl Loaded {
    fn view(self, history: Option<Vec<CampaignEvent>>) -> CampaignView {
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

    fn expect_state(&self, want: CampaignState, doing: &str) -> Result<()> {
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

    fn version(&self, expected: Option<i64>) -> i64 {
        expected.unwrap_or(self.stored.version)
    }
}

fn next_step(state: CampaignState, remaining: usize) -> String {
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

fn question_view(
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
    async fn load_campaign(self: &Arc<Self>, id: &str) -> Result<Loaded> {
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

    async fn apply_change(
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

    async fn current_entries(
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
