//! An assessor's next questions as one form: each question with its context and answer controls.

use axum::extract::{Path, State};
use axum::Extension;
use csf_domain::campaigns::{CampaignQuestion, NextQuestionsRequest};
use maud::{html, Markup};
use serde_json::{json, Value};

use super::{campaign_href, invalid, PER_FORM};
use crate::console::layout::{lookup_error, page, PageResult, Viewer};
use crate::console::render::tree;
use crate::console::Ui;

fn context_block(q: &CampaignQuestion) -> Markup {
    html! {
        @if let Some(c) = &q.context {
            details {
                summary { "Context: outcome, examples, references, levels" }
                p { strong { "Outcome: " } (c.outcome) }
                @if !c.examples.is_empty() {
                    p { strong { "Implementation examples" } }
                    ul { @for e in &c.examples { li { (e.text) } } }
                }
                @if !c.references.is_empty() {
                    p { strong { "Informative references" } }
                    (tree(&json!(c.references)))
                }
                p { strong { "What each answer looks like" } }
                dl { @for l in &c.levels { dt { (l.value) } dd { (l.looks_like) } } }
            }
        }
    }
}

fn answer_input(i: usize, q: &CampaignQuestion) -> Markup {
    let id = format!("a{i}");
    let current = q
        .current
        .as_ref()
        .and_then(|c| c.answer.as_ref())
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
    let levels: Vec<String> = q
        .context
        .as_ref()
        .map(|c| c.levels.iter().map(|l| l.value.clone()).collect())
        .unwrap_or_default();
    html! {
        label for=(id) { "Answer (" (q.answers) ")" }
        @if q.dimension == "ownership" || levels.is_empty() {
            input id=(id) name=(id) maxlength="200" value=(current.clone().unwrap_or_default());
        } @else {
            select id=(id) name=(id) {
                option value="" { "— not now —" }
                @for l in &levels { option value=(l) selected[current.as_deref() == Some(l.as_str())] { (l) } }
            }
        }
    }
}

/// One question with its context, and its answer controls when `writable`.
fn question_fields(i: usize, q: &CampaignQuestion, writable: bool) -> Markup {
    html! {
        fieldset.question {
            legend { code { (q.question_id) } " " (q.question) }
            @if let Some(c) = &q.current {
                @if let Some(r) = &c.reason { p.error { "Sent back or skipped: " (r) } }
            }
            (context_block(q))
            @if writable {
                input type="hidden" name={ "q" (i) } value=(q.question_id);
                (answer_input(i, q))
                label for={ "c" (i) } { "Confidence" }
                select id={ "c" (i) } name={ "c" (i) } {
                    option value="" { "not stated" }
                    @for c in ["high", "medium", "low"] { option value=(c) { (c) } }
                }
                label for={ "n" (i) } { "Notes (optional)" }
                textarea id={ "n" (i) } name={ "n" (i) } rows="2" maxlength="2000" {}
                label for={ "s" (i) } { "Or skip, saying why" }
                input id={ "s" (i) } name={ "s" (i) } maxlength="2000";
            }
        }
    }
}

pub(crate) async fn questions(
    State(ui): State<Ui>,
    Extension(viewer): Extension<Viewer>,
    Path(id): Path<String>,
    uri: http::Uri,
) -> PageResult {
    let query = crate::console::form::query(&uri);
    let Some(assessor) = query.get("assessor").filter(|a| !a.is_empty()).cloned() else {
        return Err(invalid(&viewer, "name an assessor: ?assessor=NAME".into()));
    };
    let next = ui
        .service
        .next_campaign_questions(NextQuestionsRequest {
            campaign_id: id.clone(),
            assessor: assessor.clone(),
            limit: Some(PER_FORM),
            include_context: Some(true),
        })
        .await
        .map_err(|e| lookup_error(&viewer, &e))?;
    let cid = next.campaign_id.clone();
    let body = html! {
        p.muted { a href=(campaign_href(&cid)) { "Back to the campaign" } " · state " (next.state.as_str())
            " · " (next.remaining_for_assessor) " open for " (assessor) }
        p { "Next step: " (next.next_step) }
        @if next.questions.is_empty() { p { "No open question for this assessor." } }
        @else {
            @if viewer.can_write() {
                form.stack method="post" action={ (campaign_href(&cid)) "/answers" } {
                    (viewer.csrf_field())
                    input type="hidden" name="assessor" value=(assessor);
                    @for (i, q) in next.questions.iter().enumerate() { (question_fields(i, q, true)) }
                    button type="submit" { "Save answers" }
                }
            } @else {
                @for (i, q) in next.questions.iter().enumerate() { (question_fields(i, q, false)) }
            }
        }
    };
    Ok(page(&format!("Questions for {assessor}"), &viewer, body))
}
