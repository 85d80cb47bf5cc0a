//! Assessment campaigns: create, read, the question flow, review, send-back and sign-off, and
//! the elicitation run. Thin adapters over the domain service.

use csf_domain::campaigns::{
    AnswerOutput, AnswerRequest, CampaignQuestion, CampaignRequest, CampaignView,
    CreateCampaignRequest, FormAsker, FormReply, ListCampaignsOutput, ListCampaignsRequest,
    NextQuestionsOutput, NextQuestionsRequest, PreviousQuestionRequest, ReviewOutput, RoundStep,
    RunQuestionsOutput, RunQuestionsRequest, SendBackRequest, SetStateRequest, SignOffOutput,
    SignOffRequest,
};
use rmcp::model::{
    ClientResult, ElicitRequest, ElicitRequestParams, ElicitationAction, ServerRequest,
};
use rmcp::{Peer, RoleServer};

use crate::mcp::error::ToolError;
use crate::mcp::registry::{Call, CsfTool, Reply, ToolClass, ToolMeta};
use crate::mcp::round_trip;

pub struct CreateAssessmentCampaign;
impl CsfTool for CreateAssessmentCampaign {
    const META: ToolMeta = ToolMeta {
        name: "create_assessment_campaign",
        title: "Create an assessment campaign",
        description: "Set up a guided assessment of a profile: scope (functions, categories), \
            organization size (which question dimensions are asked), assessors with the areas \
            each answers, and a due date. Starts as draft, or in_progress with start true. \
            Answers are kept as they come, so the campaign can be paused and resumed anywhere.",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = CreateCampaignRequest;
    type Output = CampaignView;
    async fn call(call: Call, p: CreateCampaignRequest) -> Result<CampaignView, ToolError> {
        Ok(call.service.create_campaign(&call.actor, p).await?)
    }
}

pub struct GetAssessmentCampaign;
impl CsfTool for GetAssessmentCampaign {
    const META: ToolMeta = ToolMeta {
        name: "get_assessment_campaign",
        title: "Read an assessment campaign",
        description: "A campaign's state, version, settings, progress per function and \
            category, what remains per assessor and the next step; with include_history, its \
            log of every answer, skip, send-back and state change (who and when).",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = CampaignRequest;
    type Output = CampaignView;
    async fn call(call: Call, p: CampaignRequest) -> Result<CampaignView, ToolError> {
        Ok(call.service.get_campaign(p).await?)
    }
}

pub struct ListAssessmentCampaigns;
impl CsfTool for ListAssessmentCampaigns {
    const META: ToolMeta = ToolMeta {
        name: "list_assessment_campaigns",
        title: "List assessment campaigns",
        description: "Campaigns (of one profile, or all) in creation order with state and \
            version; paginated.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = ListCampaignsRequest;
    type Output = ListCampaignsOutput;
    async fn call(call: Call, p: ListCampaignsRequest) -> Result<ListCampaignsOutput, ToolError> {
        Ok(call.service.list_campaigns(p).await?)
    }
}

pub struct NextCampaignQuestions;
impl CsfTool for NextCampaignQuestions {
    const META: ToolMeta = ToolMeta {
        name: "next_campaign_questions",
        title: "Next questions for an assessor",
        description: "The assessor's open questions (sent-back ones first, then in CSF order), \
            each with its context: the outcome, NIST's implementation examples, informative \
            references and what each answer level looks like.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = NextQuestionsRequest;
    type Output = NextQuestionsOutput;
    async fn call(call: Call, p: NextQuestionsRequest) -> Result<NextQuestionsOutput, ToolError> {
        Ok(call.service.next_campaign_questions(p).await?)
    }
}

pub struct AnswerCampaignQuestions;
impl CsfTool for AnswerCampaignQuestions {
    const META: ToolMeta = ToolMeta {
        name: "answer_campaign_questions",
        title: "Answer or skip campaign questions",
        description: "Record an assessor's answers (or skips with a reason), with confidence \
            and notes. Answering a question again changes its answer; the log keeps every \
            earlier one. Each answer is its own row: assessors answering at once never \
            overwrite each other. Entries of the profile change only at sign-off.",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = AnswerRequest;
    type Output = AnswerOutput;
    async fn call(call: Call, p: AnswerRequest) -> Result<AnswerOutput, ToolError> {
        Ok(call
            .service
            .answer_campaign_questions(&call.actor, p)
            .await?)
    }
}

pub struct PreviousCampaignQuestion;
impl CsfTool for PreviousCampaignQuestion {
    const META: ToolMeta = ToolMeta {
        name: "previous_campaign_question",
        title: "Go back to an earlier answer",
        description: "The assessor's answer before `before` (default: the latest) with its \
            question and context, to review or change with answer_campaign_questions.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = PreviousQuestionRequest;
    type Output = CampaignQuestion;
    async fn call(call: Call, p: PreviousQuestionRequest) -> Result<CampaignQuestion, ToolError> {
        Ok(call.service.previous_campaign_question(p).await?)
    }
}

pub struct SetCampaignState;
impl CsfTool for SetCampaignState {
    const META: ToolMeta = ToolMeta {
        name: "set_campaign_state",
        title: "Start a campaign or submit it for review",
        description: "draft -> in_progress, or in_progress -> in_review once every question is \
            answered or skipped. Compare-and-set on the campaign's version.",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = SetStateRequest;
    type Output = CampaignView;
    async fn call(call: Call, p: SetStateRequest) -> Result<CampaignView, ToolError> {
        Ok(call.service.set_campaign_state(&call.actor, p).await?)
    }
}

pub struct ReviewCampaign;
impl CsfTool for ReviewCampaign {
    const META: ToolMeta = ToolMeta {
        name: "review_campaign",
        title: "Review a campaign",
        description: "What signing off would change in the profile since its last cycle \
            (field by field), answers given with low confidence or without evidence, skipped \
            questions with their reasons, and answers that cannot become entries.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = CampaignRequest;
    type Output = ReviewOutput;
    async fn call(call: Call, p: CampaignRequest) -> Result<ReviewOutput, ToolError> {
        Ok(call.service.review_campaign(p).await?)
    }
}

pub struct SendBackCampaignItems;
impl CsfTool for SendBackCampaignItems {
    const META: ToolMeta = ToolMeta {
        name: "send_back_campaign_items",
        title: "Send answers back to their assessors",
        description: "Return answers with a reason; they reappear first in the assessors' \
            questions and the campaign goes back to in_progress. Compare-and-set on the version.",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = SendBackRequest;
    type Output = CampaignView;
    async fn call(call: Call, p: SendBackRequest) -> Result<CampaignView, ToolError> {
        Ok(call
            .service
            .send_back_campaign_items(&call.actor, p)
            .await?)
    }
}

pub struct SignOffCampaign;
impl CsfTool for SignOffCampaign {
    const META: ToolMeta = ToolMeta {
        name: "sign_off_campaign",
        title: "Sign a campaign off",
        description: "Record the reviewed answers in the profile (only the fields they answer, \
            with the cycle date as assessed date, in the entries' history) and close the \
            campaign, in one transaction; the profile then has a dated cycle that trends \
            compare.",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = SignOffRequest;
    type Output = SignOffOutput;
    async fn call(call: Call, p: SignOffRequest) -> Result<SignOffOutput, ToolError> {
        Ok(call.service.sign_off_campaign(&call.actor, p).await?)
    }
}

/// Forms sent to the client as `elicitation/create` requests.
struct PeerForms(Peer<RoleServer>);

impl FormAsker for PeerForms {
    async fn ask(&self, message: String, schema: serde_json::Value) -> Result<FormReply, String> {
        let requested_schema = serde_json::from_value(schema).map_err(|e| e.to_string())?;
        let params = ElicitRequestParams::FormElicitationParams {
            meta: None,
            message,
            requested_schema,
        };
        let reply = self
            .0
            .send_request(ServerRequest::ElicitRequest(ElicitRequest::new(params)))
            .await
            .map_err(|e| e.to_string())?;
        match reply {
            ClientResult::ElicitResult(r) => Ok(match r.action {
                ElicitationAction::Accept => FormReply::Accept(r.content.unwrap_or_default()),
                ElicitationAction::Decline => FormReply::Decline,
                _ => FormReply::Cancel,
            }),
            _ => Err("the client answered with something other than an elicitation result".into()),
        }
    }
}

pub struct RunCampaignQuestions;
impl CsfTool for RunCampaignQuestions {
    const META: ToolMeta = ToolMeta {
        name: "run_campaign_questions",
        title: "Ask an assessor's questions as forms",
        description: "When the client supports elicitation, ask the assessor's open questions \
            as forms (enumerated answers, confidence, notes, or a reason to skip) and record \
            each answer as given: one form at a time on protocols up to 2025-11-25; on \
            2026-07-28, as input-required results of up to five forms, answered by calling \
            again with the input responses and request state. Declining or cancelling pauses \
            the campaign with every answer kept. Without elicitation, returns the next \
            questions to answer with answer_campaign_questions.",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = RunQuestionsRequest;
    type Output = RunQuestionsOutput;
    async fn call(call: Call, p: RunQuestionsRequest) -> Result<RunQuestionsOutput, ToolError> {
        let forms = call
            .peer
            .clone()
            .filter(|peer| {
                peer.peer_info()
                    .is_some_and(|info| info.capabilities.elicitation.is_some())
            })
            .map(PeerForms);
        Ok(call
            .service
            .run_campaign_questions(&call.actor, p, forms.as_ref())
            .await?)
    }

    async fn reply(
        call: Call,
        p: RunQuestionsRequest,
    ) -> Result<Reply<RunQuestionsOutput>, ToolError> {
        let rt = &call.round_trip;
        if !rt.forms && !rt.is_retry() {
            return Self::call(call, p).await.map(Reply::Done);
        }
        let name = Self::META.name;
        let principal = call.actor.principal();
        let prior = if rt.is_retry() {
            let state = round_trip::open_state(name, principal, rt.state.as_deref())?;
            Some((state, round_trip::replies(name, rt.responses.clone())?))
        } else {
            None
        };
        let step = call
            .service
            .run_campaign_round(&call.actor, p, prior, rt.forms)
            .await?;
        match step {
            RoundStep::Ask { forms, state } => Ok(Reply::InputRequired(
                round_trip::input_required(name, principal, forms, &state)?,
            )),
            RoundStep::Done(out) => Ok(Reply::Done(out)),
        }
    }
}
